"""Rich renderables built from the session's plain views: panels, previews and reports."""
