"""The default content pack: every number and every word of the game, as TOML files.

Installed, this folder is the package `game.pack`; `game.content.loader.default_content_dir`
finds it with importlib.resources wherever the game is run from.
"""
