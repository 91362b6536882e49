"""Letting go of widgets removed from a parent that stays: freed at once, not kept alive."""

from __future__ import annotations

from textual.widget import Widget


def drop_stale_child_lists(parent: Widget) -> None:
    """Forget the list of ``parent``'s displayed children made before some were removed.

    Textual keeps that list until it is next asked for, which for the thread view comes only
    with the next change of focus; until then the widgets removed (a page of floors) stay
    alive. Asking for it now makes it again from the children left.
    """
    parent.displayed_children  # noqa: B018 (read for its effect: the list is made anew)
