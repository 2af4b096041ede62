"""Names for the branches a bot's actions stand for, shared by the tests that check every branch
of the bots is played."""

from __future__ import annotations

from game.session.actions import Action, OrderCapacity, RaiseRound, RespondDeal


def label(action: Action) -> str:
    """A short name for the branch an action stands for."""
    if isinstance(action, RespondDeal):
        return f"{action.response}" + (f":{action.term}" if action.term else "")
    if isinstance(action, OrderCapacity):
        return f"order:{action.option}"
    if isinstance(action, RaiseRound):
        return f"raise:{action.investor}"
    return action.kind
