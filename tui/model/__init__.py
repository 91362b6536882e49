"""The engine-neutral forum model.

Every forum engine (Discuz! X today) fills these plain dataclasses; the screens and the
`read` command only ever see these. Nothing here knows about HTTP, JSON field names or
Textual. Identifiers are strings because engines disagree on their shape; counts are ints
(``None`` when the engine did not say). Times are aware ``datetime`` objects when the engine
gave an exact time, with the engine's own display text kept beside them for when it did not.

Every name is imported from ``tui.model``; it has four parts, since each class costs a
fraction of a millisecond to make as the program starts. ``core`` (link targets, times,
thread orders, who the session is) loads with it. The others load on the first use of one
of their names: ``site`` (what a probe tells, boards and their thread lists, log-in) with
a session, ``reading`` (threads, their posts and polls) with the first thread, ``members``
(the account's pages, search, editing and rating posts) with the first of those. So a
remembered account's board list waits for no thread model, and ``forum-tui read`` of a page
for no board, log-in or account model. Code that loads before them (the Discuz! parser and
session) names them as ``model.Post`` and so on.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from tui.model.core import CurrentUser, Target, TargetKind, ThreadOrder, Timestamp

if TYPE_CHECKING:
    from tui.model.members import (
        Conversation,
        Notice,
        NoticeKind,
        Page,
        PostSource,
        PrivateMessage,
        Profile,
        RateCredit,
        RateForm,
        SearchQuery,
        SearchResult,
    )
    from tui.model.reading import (
        Attachment,
        AuthorCard,
        Poll,
        PollOption,
        Post,
        PostLocation,
        Rating,
        ReplyResult,
        Thread,
        ThreadPage,
    )
    from tui.model.site import (
        Board,
        BoardGroup,
        BoardIndex,
        CaptchaChallenge,
        LoginRequest,
        SiteInfo,
        ThreadList,
        ThreadSummary,
        ThreadType,
    )

__all__ = [
    "Attachment",
    "AuthorCard",
    "Board",
    "BoardGroup",
    "BoardIndex",
    "CaptchaChallenge",
    "Conversation",
    "CurrentUser",
    "LoginRequest",
    "Notice",
    "NoticeKind",
    "Page",
    "Poll",
    "PollOption",
    "Post",
    "PostLocation",
    "PostSource",
    "PrivateMessage",
    "Profile",
    "RateCredit",
    "RateForm",
    "Rating",
    "ReplyResult",
    "SearchQuery",
    "SearchResult",
    "SiteInfo",
    "Target",
    "TargetKind",
    "Thread",
    "ThreadList",
    "ThreadOrder",
    "ThreadPage",
    "ThreadSummary",
    "ThreadType",
    "Timestamp",
]

# The parts loaded on first use, and their names.
_LATER_PARTS = {
    "site": (
        "Board",
        "BoardGroup",
        "BoardIndex",
        "CaptchaChallenge",
        "LoginRequest",
        "SiteInfo",
        "ThreadList",
        "ThreadSummary",
        "ThreadType",
    ),
    "reading": (
        "Attachment",
        "AuthorCard",
        "Poll",
        "PollOption",
        "Post",
        "PostLocation",
        "Rating",
        "ReplyResult",
        "Thread",
        "ThreadPage",
    ),
    "members": (
        "Conversation",
        "Notice",
        "NoticeKind",
        "Page",
        "PostSource",
        "PrivateMessage",
        "Profile",
        "RateCredit",
        "RateForm",
        "SearchQuery",
        "SearchResult",
    ),
}
_PART_OF = {name: part for part, names in _LATER_PARTS.items() for name in names}



def __getattr__(name: str) -> object:
    """A name of a part loaded on first use: the part loads (once) and the name is kept here."""
    part = _PART_OF.get(name)
    if part is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"tui.model.{part}"), name)
    globals()[name] = value
    return value
