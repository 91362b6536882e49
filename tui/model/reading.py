"""The model of a thread: its posts, their authors, attachments and ratings, its poll.

Part of ``tui.model``, loaded on the first use of one of these names there (see there);
import them from ``tui.model``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

from tui.model.core import CurrentUser, Timestamp


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
class Rating:
    """One rating (评分) of a floor: who gave how much of which credit, and why."""

    user: str
    credit: str
    amount: int
    reason: str = ""
    user_id: str = ""
    time: Timestamp | None = None


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
