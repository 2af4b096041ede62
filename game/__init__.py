"""Fortress: a strategy game and classroom tool about how frontier AI labs fund themselves."""

__version__ = "0.5.0"
