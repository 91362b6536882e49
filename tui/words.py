"""Counts in words, singular or plural as English wants them ("1 reply", "2 replies")."""

from __future__ import annotations

_PLURALS = {"reply": "replies"}


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun``, the noun plural unless the number is exactly one."""
    if number == 1:
        return f"{number} {noun}"
    return f"{number} {_PLURALS.get(noun, noun + 's')}"
