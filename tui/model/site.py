"""The model of a site before any thread is opened: what a probe tells, boards and their
thread lists, log-in.

Part of ``tui.model``, loaded on the first use of one of these names there (see there);
import them from ``tui.model``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.model.core import CurrentUser, Timestamp


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


@dataclass(slots=True)
class ThreadSummary:
    """One row of a board's thread list."""

    id: str
    subject: str
    author: str
    author_id: str = ""
    board_id: str = ""
    replies: int = 0
    views: int = 0
    created: Timestamp | None = None
    last_reply: Timestamp | None = None
    last_poster: str = ""
    sticky: int = 0  # 0 not pinned; a higher level pins it more widely (the engine's levels)
    digest: int = 0  # 0 none, 1–3 digest level
    closed: bool = False
    poll: bool = False
    has_attachment: bool = False
    has_image: bool = False
    highlighted: bool = False
    thread_type: str = ""
    is_new: bool = False


@dataclass(slots=True)
class ThreadType:
    """A thread category a board offers (Discuz! 主题分类)."""

    id: str
    name: str


@dataclass(slots=True)
class ThreadList:
    """A page of a board's thread list."""

    board: Board
    threads: list[ThreadSummary]
    page: int
    pages: int
    page_size: int
    total: int | None = None
    subboards: list[Board] = field(default_factory=list)
    thread_types: list[ThreadType] = field(default_factory=list)
    user: CurrentUser | None = None
    # Whether the list itself says which threads are closed (a web page draws a lock); when it
    # does not (the mobile API), the app shows what each thread's own page last said.
    marks_closed: bool = False


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
