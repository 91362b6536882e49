"""The model of what is read after the board list: thread lists, threads and posts, polls,
the account's pages (profiles, messages, notices), search and ratings.

Part of ``tui.model``, loaded on the first use of one of these names there (see there);
import them from ``tui.model``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from enum import Enum
from typing import Generic, TypeVar

from tui.model.core import Board, CurrentUser, Timestamp

T = TypeVar("T")


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
class AuthorCard:
    """What a post shows about its author."""

    id: str
    name: str
    group: str = ""
    threads: int | None = None
    posts: int | None = None
    credits: int | None = None
    avatar_url: str = ""
    location: str = ""


@dataclass(slots=True)
class Attachment:
    """A file attached to a post."""

    id: str
    name: str
    url: str
    size: str = ""  # as the forum formats it, e.g. "12.5 KB"
    downloads: int | None = None
    is_image: bool = False
    thumbnail_url: str = ""


@dataclass(slots=True)
class PollOption:
    id: str
    text: str
    votes: int = 0
    percent: float = 0.0


@dataclass(slots=True)
class Poll:
    """A thread's poll and whether the current user may still vote."""

    options: list[PollOption]
    max_choices: int = 1
    voters: int = 0
    multiple: bool = False
    expires: Timestamp | None = None
    can_vote: bool = False
    voted: bool = False
    results_visible: bool = True


@dataclass(slots=True)
class Post:
    """One floor (楼) of a thread.

    ``html`` is the post body as the engine delivered it (an HTML fragment, untrusted);
    the content package turns it into something displayable. ``base_url`` lets relative
    links in it be resolved.
    """

    id: str
    thread_id: str
    floor: int
    author: AuthorCard
    html: str
    time: Timestamp
    is_first: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    base_url: str = ""
    from_phone: bool = False  # sent from a phone (Discuz!'s 来自手机)
    ratings: list[Rating] = field(default_factory=list)  # 评分 the page shows under the floor


@dataclass(slots=True)
class Thread:
    """A thread's header facts."""

    id: str
    subject: str
    board_id: str
    author: str = ""
    author_id: str = ""
    replies: int = 0
    views: int = 0
    closed: bool = False
    sticky: int = 0
    digest: int = 0
    url: str = ""
    last_floor: int = 0  # the highest floor number (0: unknown, then replies + 1)

    @property
    def floors(self) -> int:
        """How many floors the thread has, for "no such floor" messages."""
        return self.last_floor or self.replies + 1


@dataclass(slots=True)
class ThreadPage:
    """One page of a thread's posts, with where it sits among all pages."""

    thread: Thread
    posts: list[Post]
    page: int
    pages: int
    page_size: int
    poll: Poll | None = None
    only_author_id: str | None = None
    reverse: bool = False
    user: CurrentUser | None = None
    time_zone: tzinfo | None = None  # the forum's own time zone, when its answer shows it


@dataclass(frozen=True, slots=True)
class PostLocation:
    """Where a post lives: its thread and the page it is on."""

    thread_id: str
    page: int
    post_id: str


@dataclass(slots=True)
class ReplyResult:
    """Where a posted reply or new thread landed."""

    thread_id: str
    post_id: str


@dataclass(slots=True)
class Profile:
    """A user's public facts; ``credit_columns`` are the site's own credit names and amounts."""

    uid: str
    username: str
    group: str = ""
    threads: int | None = None
    posts: int | None = None
    credits: int | None = None
    registered: Timestamp | None = None
    last_visit: Timestamp | None = None
    credit_columns: list[tuple[str, int]] = field(default_factory=list)
    signature_html: str = ""  # untrusted HTML, rendered like a post
    location: str = ""


@dataclass(slots=True)
class Conversation:
    """A private-message conversation as listed in the inbox."""

    with_uid: str
    with_name: str
    last_message: str
    last_time: Timestamp | None = None
    unread: bool = False
    count: int = 0


@dataclass(slots=True)
class PrivateMessage:
    id: str
    from_uid: str
    from_name: str
    text: str
    time: Timestamp | None = None


@dataclass(slots=True)
class Page(Generic[T]):
    """A page of any listed thing (favourites, my threads, PMs)."""

    items: list[T]
    page: int = 1
    pages: int = 1
    total: int | None = None


class NoticeKind(Enum):
    """What a notification is about."""

    REPLY = "reply"  # someone replied to my thread or post
    QUOTE = "quote"  # someone quoted my post
    MENTION = "mention"  # someone @-mentioned me
    SYSTEM = "system"  # the site itself (group changes, moderation)
    OTHER = "other"


@dataclass(slots=True)
class Notice:
    """One notification (提醒). ``post_id`` is set when it points at a floor."""

    id: str
    kind: NoticeKind
    text: str
    time: Timestamp | None = None
    unread: bool = False
    actor: str = ""
    actor_id: str = ""
    thread_id: str = ""
    post_id: str = ""
    subject: str = ""


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A forum search: words, and optionally one board and one author."""

    text: str = ""
    board_id: str = ""
    author: str = ""

    def describe(self) -> str:
        """The query in words, for a heading."""
        parts = [f"“{self.text}”"] if self.text else []
        if self.author:
            parts.append(f"by {self.author}")
        if self.board_id:
            parts.append("in this board")
        return " ".join(parts) or "everything"


@dataclass(slots=True)
class SearchResult:
    """One hit of a search: a thread, and the floor that matched when the site says which."""

    thread_id: str
    subject: str
    snippet: str = ""
    author: str = ""
    author_id: str = ""
    board: str = ""
    board_id: str = ""
    time: Timestamp | None = None
    replies: int | None = None
    views: int | None = None
    post_id: str = ""


@dataclass(slots=True)
class PostSource:
    """A post as its author wrote it (BBCode), for editing; ``subject`` for a thread's first floor."""

    text: str
    subject: str = ""


@dataclass(slots=True)
class Rating:
    """One rating (评分) of a floor: who gave how much of which credit, and why."""

    user: str
    credit: str
    amount: int
    reason: str = ""
    user_id: str = ""
    time: Timestamp | None = None


@dataclass(slots=True)
class RateCredit:
    """A credit the user may give: its range per rating and what is left today (None: unknown)."""

    id: str
    name: str
    minimum: int = 0
    maximum: int = 0
    left_today: int | None = None


@dataclass(slots=True)
class RateForm:
    """The site's rate form for one floor: the credits on offer and the reason presets.

    ``action`` and ``hidden`` are what the engine posts back; screens use the rest."""

    action: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    credits: list[RateCredit] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

