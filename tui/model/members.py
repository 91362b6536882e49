"""The model of what a member does beyond reading threads: the account's pages (profiles,
messages, notices), search, editing posts and rating them.

Part of ``tui.model``, loaded on the first use of one of these names there (see there);
import them from ``tui.model``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

from tui.model.core import Timestamp

T = TypeVar("T")


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
