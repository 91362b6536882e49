"""The model a session needs from its start: sites, boards, users, log-in, link targets.

Part of ``tui.model`` (see there); import these names from ``tui.model``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What a probe of a site tells: enough to talk to it correctly."""

    base_url: str
    name: str = ""
    engine: str = "discuz"
    version: str = ""
    charset: str = "utf-8"
    api_enabled: bool = True
    language: str = "en"  # "zh" for a site that writes Chinese: relative times follow it


@dataclass(slots=True)
class Board:
    """A forum board (Discuz! 版块); subboards nest under their parent."""

    id: str
    name: str
    description: str = ""
    threads: int | None = None
    posts: int | None = None
    today_posts: int | None = None
    members_only: bool = False
    parent_id: str | None = None
    last_post: Timestamp | None = None
    subboards: list[Board] = field(default_factory=list)


@dataclass(slots=True)
class BoardGroup:
    """A group of boards (Discuz! 分区)."""

    id: str
    name: str
    boards: list[Board] = field(default_factory=list)


@dataclass(slots=True)
class BoardIndex:
    """The site's board tree as the current user may see it."""

    groups: list[BoardGroup] = field(default_factory=list)
    user: CurrentUser | None = None

    def find(self, board_id: str) -> Board | None:
        """The board (or subboard) with this id, wherever it sits in the tree."""
        stack = [board for group in self.groups for board in group.boards]
        while stack:
            board = stack.pop()
            if board.id == board_id:
                return board
            stack.extend(board.subboards)
        return None


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


@dataclass(slots=True)
class LoginRequest:
    """Everything a log-in attempt may need; captcha fields only when the site asked."""

    username: str
    password: str
    question_id: int = 0
    answer: str = ""
    captcha: CaptchaChallenge | None = None
    captcha_answer: str = ""
    question_answer: str = ""  # to the challenge's question, when it has one


@dataclass(slots=True)
class CaptchaChallenge:
    """What the site asks before it takes a form: a picture to read, a question, or both.

    ``image`` is empty when there is only a question. ``required`` is False when the site
    announces a captcha but will not check it (the answer is then optional).
    """

    token: str
    image: bytes
    image_url: str
    question: str = ""
    required: bool = True

