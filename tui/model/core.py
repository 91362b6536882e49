"""The model everything starts from: link targets, times, thread orders, and who the session is.

Part of ``tui.model``, loaded with it (see there); import these names from ``tui.model``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


@dataclass(frozen=True, slots=True)
class Timestamp:
    """A moment as the forum showed it: exact when known, always with displayable text."""

    text: str
    exact: datetime | None = None

    def iso(self) -> str | None:
        """ISO 8601 form, or None when the forum only gave relative text."""
        return self.exact.isoformat() if self.exact else None


class TargetKind(Enum):
    SITE = "site"
    BOARD = "board"
    THREAD = "thread"
    POST = "post"


@dataclass(frozen=True, slots=True)
class Target:
    """What a pasted URL points at: a site, and maybe a board, thread or post in it."""

    site_url: str
    kind: TargetKind = TargetKind.SITE
    id: str = ""
    page: int = 1
    thread_id: str = ""  # for POST targets when the URL names the thread too


class ThreadOrder(Enum):
    """How a board's thread list is sorted."""

    LAST_REPLY = "lastpost"
    NEWEST = "dateline"
    MOST_REPLIES = "replies"
    MOST_VIEWS = "views"


@dataclass(slots=True)
class CurrentUser:
    """Who the session is, with unread counts for the status bar. uid "0" is a guest."""

    uid: str = "0"
    username: str = ""
    group_id: str = ""
    unread_notices: int = 0
    unread_pms: int = 0

    @property
    def is_guest(self) -> bool:
        return self.uid in ("", "0")
