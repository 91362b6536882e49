"""The contract between the screens and a forum engine (``tui.registry`` picks the engine).

A forum engine is one package (``tui.discuz`` today) providing a session class and a URL
resolver; importing the package registers it (``tui.registry.register_engine``). Screens and commands hold
a ``ForumSession`` and call its coroutines; they never see HTTP. Every method raises only
``tui.errors.ForumError`` subclasses, so a caller can always show ``str(error)``.

``ForumSession`` is the core every engine offers: read, log in, post. What only some forums
(or some engines) can do is a capability protocol — ``SupportsPolls``, ``SupportsFavourites``,
``SupportsMessages``, ``SupportsSearch``… — that a screen checks with ``offers`` before
offering the action: the class must implement the protocol, and a session whose site turned out
to lack it (``SupportsRuntimeLimits``) may still say no at run time.
An engine subclasses the protocols it implements (so a missing method fails at construction);
a test double implements only the methods it is called with.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping
from datetime import tzinfo
from typing import TYPE_CHECKING, BinaryIO, Protocol, TypeGuard, TypeVar, runtime_checkable

from tui.model import (
    Board,
    BoardIndex,
    CaptchaChallenge,
    CurrentUser,
    LoginRequest,
    SiteInfo,
    ThreadOrder,
)

if TYPE_CHECKING:
    from tui.model import (
        Conversation,
        Notice,
        Page,
        PostLocation,
        PostSource,
        PrivateMessage,
        Profile,
        RateForm,
        Rating,
        ReplyResult,
        SearchQuery,
        SearchResult,
        ThreadList,
        ThreadPage,
        ThreadSummary,
    )


@runtime_checkable
class ForumSession(Protocol):
    """One logged-in (or guest) conversation with one site: reading, log-in and posting."""

    site_url: str
    user: CurrentUser
    site: SiteInfo | None = None  # what ``probe`` learnt
    time_zone: tzinfo | None = None  # the forum's own time zone, once an answer showed it

    @abc.abstractmethod
    async def probe(self, *, remembered: bool = False) -> SiteInfo:
        """Check the site is a forum this engine can use and learn its charset etc. With
        ``remembered`` the engine may answer from what a recent visit learnt, asking nothing:
        for a caller that does not rely on the probe to tell whether the forum is reachable."""

    @abc.abstractmethod
    async def board_index(self) -> BoardIndex: ...

    @abc.abstractmethod
    async def thread_list(
        self,
        board_id: str,
        page: int = 1,
        *,
        order: ThreadOrder = ThreadOrder.LAST_REPLY,
        digest_only: bool = False,
        type_id: str = "",
        page_size: int | None = None,
    ) -> ThreadList: ...

    @abc.abstractmethod
    async def thread_page(
        self,
        thread_id: str,
        page: int = 1,
        *,
        author_id: str | None = None,
        reverse: bool = False,
        page_size: int | None = None,
    ) -> ThreadPage: ...

    @abc.abstractmethod
    async def locate_post(self, post_id: str, thread_id: str = "") -> PostLocation: ...

    @abc.abstractmethod
    async def captcha_for_login(self) -> CaptchaChallenge | None:
        """A captcha to show on the log-in form, or None when the site needs none."""

    @abc.abstractmethod
    async def captcha_for_post(self) -> CaptchaChallenge | None:
        """The picture and/or question a post (reply, new thread, message) needs, or None."""

    @abc.abstractmethod
    async def login(self, request: LoginRequest) -> CurrentUser: ...

    @abc.abstractmethod
    async def logout(self) -> None: ...

    @abc.abstractmethod
    async def reply(
        self,
        thread_id: str,
        text: str,
        *,
        quote_post_id: str | None = None,
        captcha: CaptchaChallenge | None = None,
        captcha_answer: str = "",
        question_answer: str = "",
    ) -> ReplyResult: ...

    @abc.abstractmethod
    async def new_thread(
        self,
        board_id: str,
        subject: str,
        text: str,
        *,
        type_id: str = "",
        captcha: CaptchaChallenge | None = None,
        captcha_answer: str = "",
        question_answer: str = "",
    ) -> ReplyResult: ...

    @abc.abstractmethod
    async def refresh_user(self) -> CurrentUser:
        """Who we are now, with fresh unread counts."""

    async def first_floor_matching(self, thread_id: str, words: str, *, pages: int = 3) -> str:
        """The id of the first floor whose text holds ``words`` (any case) in the thread's first
        ``pages`` pages, or "": where to open a search hit that names only its thread."""
        from tui.content import html_to_text

        wanted = words.casefold().strip()
        page = 1
        while wanted and page <= pages:
            found = await self.thread_page(thread_id, page)
            for post in found.posts:
                if wanted in html_to_text(post.html, post.base_url).casefold():
                    return post.id
            if page >= found.pages:
                break
            page += 1
        return ""

    @abc.abstractmethod
    async def fetch_image(self, url: str) -> bytes:
        """The bytes of an image in a post (or an image attachment), as a browser would get them."""

    @abc.abstractmethod
    def export_session(self) -> dict[str, str]:
        """The session secrets (cookies) to keep in the OS keyring; never written to files."""

    @abc.abstractmethod
    def secret_values(self) -> list[str]:
        """The strings of this session no saved page may hold (cookie values, form tokens)."""

    @abc.abstractmethod
    def restore_session(self, secrets: Mapping[str, str]) -> None:
        """Put back what ``export_session`` gave, before any request."""

    @abc.abstractmethod
    def thread_url(self, thread_id: str, page: int = 1) -> str:
        """A link to the thread for a browser."""

    @abc.abstractmethod
    def post_url(self, post_id: str, thread_id: str) -> str:
        """A link to one floor for a browser."""

    @abc.abstractmethod
    async def aclose(self) -> None: ...


@runtime_checkable
class SupportsSmilies(Protocol):
    """The site has its own smiley table to show instead of bare image links."""

    @abc.abstractmethod
    async def smilies(self) -> dict[str, str]:
        """Image URL or code → text shown, for the content helpers' ``smilies``; empty when the
        site has none to offer. Never raises."""


@runtime_checkable
class SupportsDownloads(Protocol):
    """Downloading a post's file attachments."""

    @abc.abstractmethod
    async def download(
        self, url: str, sink: BinaryIO, progress: Callable[[int, int | None], None]
    ) -> str:
        """Stream the file at ``url`` into ``sink``, calling ``progress(done, total)`` as bytes
        arrive (``total`` None when unknown); returns the forum's name for the file, or ''."""


@runtime_checkable
class SupportsPolls(Protocol):
    """Voting in a thread's poll."""

    @abc.abstractmethod
    async def vote(self, thread_id: str, board_id: str, option_ids: list[str]) -> None: ...


@runtime_checkable
class SupportsFavourites(Protocol):
    """Threads and boards the account favourites on the site itself."""

    @abc.abstractmethod
    async def add_favourite_thread(self, thread_id: str) -> None: ...

    @abc.abstractmethod
    async def add_favourite_board(self, board_id: str) -> None: ...

    @abc.abstractmethod
    async def remove_favourite_thread(self, thread_id: str) -> None:
        """Take a thread out of the account's favourites on the site."""

    @abc.abstractmethod
    async def favourite_threads(self, page: int = 1) -> Page[ThreadSummary]: ...

    @abc.abstractmethod
    async def favourite_boards(self, page: int = 1) -> Page[Board]:
        """The boards favourited on the site (not the app's own pins)."""


@runtime_checkable
class SupportsNotifications(Protocol):
    """Notices to the account: replies, quotes, mentions, system notices."""

    @abc.abstractmethod
    async def notifications(self, page: int = 1) -> Page[Notice]:
        """The account's notifications, unread first; reading them marks them read on the site."""


@runtime_checkable
class SupportsSearch(Protocol):
    """The site's own full-text search."""

    @abc.abstractmethod
    async def search(self, query: SearchQuery, page: int = 1) -> Page[SearchResult]:
        """The site's own search. Flood control and refusals arrive as typed errors."""


@runtime_checkable
class SupportsMyThreads(Protocol):
    """The account's own threads, or the threads it replied to."""

    @abc.abstractmethod
    async def my_threads(self, page: int = 1, *, replied: bool = False) -> Page[ThreadSummary]: ...


@runtime_checkable
class SupportsProfiles(Protocol):
    """Members' profiles."""

    @abc.abstractmethod
    async def profile(self, uid: str | None = None) -> Profile: ...


@runtime_checkable
class SupportsEditing(Protocol):
    """Editing one's own posts."""

    @abc.abstractmethod
    async def post_source(self, thread_id: str, post_id: str) -> PostSource:
        """The post's current text (and the thread's subject for a first floor), to edit."""

    @abc.abstractmethod
    async def edit_post(self, thread_id: str, post_id: str, text: str, *, subject: str = "") -> None:
        """Replace the post's text (and the subject, for a first floor). Refusals (time limit,
        permission) arrive as typed errors."""


@runtime_checkable
class SupportsRatings(Protocol):
    """Rating floors with credits (评分)."""

    @abc.abstractmethod
    async def ratings(self, thread_id: str, post_id: str) -> list[Rating]:
        """Who rated the floor, with which credit, how much and why."""

    @abc.abstractmethod
    async def rate_form(self, thread_id: str, post_id: str) -> RateForm:
        """The credits the user may give this floor, and the reason presets."""

    @abc.abstractmethod
    async def rate(self, form: RateForm, scores: Mapping[str, int], reason: str) -> None:
        """Give the floor ``scores`` (credit id → amount). "Already rated", "no permission" and
        daily limits arrive as typed errors."""


@runtime_checkable
class SupportsMessages(Protocol):
    """Private messages between members."""

    @abc.abstractmethod
    async def conversations(self, page: int = 1) -> Page[Conversation]: ...

    @abc.abstractmethod
    async def conversation(self, with_uid: str, page: int = 1) -> Page[PrivateMessage]: ...

    @abc.abstractmethod
    async def send_pm(
        self,
        to_uid: str,
        text: str,
        *,
        username: str = "",
        captcha: CaptchaChallenge | None = None,
        captcha_answer: str = "",
        question_answer: str = "",
    ) -> None:
        """A private message to a user by id, or by ``username`` when ``to_uid`` is empty."""


@runtime_checkable
class SupportsRuntimeLimits(Protocol):
    """A session that learns only from the site which of its class's capabilities it can give."""

    @abc.abstractmethod
    def capability_gap(self, capability: type, feature: str) -> str:
        """Why ``capability`` (shown to the user as ``feature``) is out of reach now, as a
        sentence; "" when the session offers it."""


_Capability = TypeVar("_Capability")


def capability_gap(session: object, capability: type, feature: str) -> str:
    """Why ``session`` cannot do ``feature`` now, as a sentence to show; "" when it can."""
    if not isinstance(session, capability):
        return f"This forum does not offer {feature}."
    if isinstance(session, SupportsRuntimeLimits):
        return session.capability_gap(capability, feature)
    return ""


def offers(session: object, capability: type[_Capability]) -> TypeGuard[_Capability]:
    """Whether ``session`` offers ``capability`` now: its class implements it and, once the
    session knows its site, the site gives it."""
    return not capability_gap(session, capability, capability.__name__)
