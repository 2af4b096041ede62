"""The Textual interface of Fortress: the app, its screens, widgets and stylesheet.

Only this package imports textual. It builds on `game.session` (and `game.content`), never on
`game.engine` directly.
"""
