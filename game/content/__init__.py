"""The content pack: its pydantic models (every number with its range), loading and checking the
TOML files that ship inside the package (`game/pack`), and workshops. The lowest layer beside
the engine: it imports neither the engine nor anything above it."""
