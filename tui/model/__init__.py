"""The engine-neutral forum model.

Every forum engine (Discuz! X today) fills these plain dataclasses; the screens and the
`read` command only ever see these. Nothing here knows about HTTP, JSON field names or
Textual. Identifiers are strings because engines disagree on their shape; counts are ints
(``None`` when the engine did not say). Times are aware ``datetime`` objects when the engine
gave an exact time, with the engine's own display text kept beside them for when it did not.

Every name is imported from ``tui.model``; it has two parts. ``core`` (sites, boards, users,
log-in, link targets) loads with it: a session needs those from its start. ``reading`` (thread
lists, threads and posts, polls, the account's pages, search, ratings) loads on the first use
of one of its names, so that a remembered account's board list does not wait for it; code that
loads with the engine (the Discuz! parser and session) names those as ``model.Post`` and so on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.model.core import (
    Board,
    BoardGroup,
    BoardIndex,
    CaptchaChallenge,
    CurrentUser,
    LoginRequest,
    SiteInfo,
    Target,
    TargetKind,
    ThreadOrder,
    Timestamp,
)

if TYPE_CHECKING:
    from tui.model.reading import (
        Attachment,
        AuthorCard,
        Conversation,
        Notice,
        NoticeKind,
        Page,
        Poll,
        PollOption,
        Post,
        PostLocation,
        PostSource,
        PrivateMessage,
        Profile,
        RateCredit,
        RateForm,
        Rating,
        ReplyResult,
        SearchQuery,
        SearchResult,
        Thread,
        ThreadList,
        ThreadPage,
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

# The names of the reading part: those listed above that the core part did not bring.
_READING = frozenset(__all__).difference(globals())


def __getattr__(name: str) -> object:
    """A name of the reading part: the part loads (once) and the name is kept here."""
    if name not in _READING:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from tui.model import reading

    value = getattr(reading, name)
    globals()[name] = value
    return value

