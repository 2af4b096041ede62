"""Above the session: the bots and the reference player (one policy each, on the rules' batched
plan), batch simulation, the engine's evaluation of futures, the judgement of each decision, the
class debrief and its exports. Nothing here imports Textual."""
