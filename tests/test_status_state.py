"""The status bar's state redraws its bars when what they show changes, and only then."""

from __future__ import annotations

from tui.model import CurrentUser
from tui.status import StatusState


def watched() -> tuple[StatusState, list[int]]:
    state = StatusState()
    redraws: list[int] = []
    state.subscribe(lambda: redraws.append(1))
    return state, redraws


def test_a_page_shown_again_redraws_nothing() -> None:
    state, redraws = watched()
    state.set_page(3, 9)
    state.set_page(3, 9)
    state.set_activity("loading page 4…")
    state.set_activity("loading page 4…")
    state.set_offline(None)
    assert len(redraws) == 2
    assert (state.page, state.pages, state.activity, state.offline) == (3, 9, "loading page 4…", "")


def test_each_change_redraws_once() -> None:
    state, redraws = watched()
    state.set_page(3, 9)
    state.set_page(3, 10)
    state.set_site("Demo")
    state.set_offline(0.0)
    state.set_activity("")
    assert len(redraws) == 4
    assert state.pages == 10 and state.site == "Demo" and state.offline.startswith("offline — saved at")


def test_the_same_user_is_drawn_again() -> None:
    """The session's user object carries the unread counts, which change in place."""
    state, redraws = watched()
    user = CurrentUser(uid="1", username="alice")
    state.set_user(user)
    user.unread_pms = 2
    state.set_user(user)
    assert len(redraws) == 2
