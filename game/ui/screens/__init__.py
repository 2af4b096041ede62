"""The game's screens, one per module: title, new game, dashboard, actions, report, the end."""
