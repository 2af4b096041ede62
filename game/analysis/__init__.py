"""Fortress."""
