"""Reusable widgets: panels, the status bar, the history charts."""
