"""Saved games: the file format (the actions and seed, replayed to check a digest), the save
folder with its autosaves, and the class folder a workshop's debrief reads. Above the session;
nothing here imports Textual."""
