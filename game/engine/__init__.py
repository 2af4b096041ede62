"""The economic engine: W worlds at once as numpy arrays. Parameters built from content, the state,
keyed random draws, the rules (`legality`, one reason code per world) and the quarter (`step`, a
list of phases). It imports numpy only."""
