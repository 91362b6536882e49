"""The contract between the screens and a forum engine.

A forum engine is one package (``tui.discuz`` today) providing a ``ForumSession``
subclass and a URL resolver. Screens and commands hold a ``ForumSession`` and call these
coroutines; they never see HTTP. Every method raises only ``tui.errors.ForumError``
subclasses, so a caller can always show ``str(error)``.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from tui.model import (
    BoardIndex,
    CaptchaChallenge,
    Conversation,
    CurrentUser,
    LoginRequest,
    Notice,
    Page,
    PostLocation,
    PrivateMessage,
    Profile,
    ReplyResult,
    SearchQuery,
    SearchResult,
    SiteInfo,
    ThreadList,
    ThreadOrder,
    ThreadPage,
    ThreadSummary,
)


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


class ForumSession(abc.ABC):
    """One logged-in (or guest) conversation with one site."""

    site_url: str
    user: CurrentUser

    @abc.abstractmethod
    async def probe(self) -> SiteInfo:
        """Check the site is a forum this engine can use and learn its charset etc."""

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
    async def captcha_for_post(self) -> CaptchaChallenge | None: ...

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
    ) -> ReplyResult: ...

    @abc.abstractmethod
    async def vote(self, thread_id: str, board_id: str, option_ids: list[str]) -> None: ...

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
    async def notifications(self, page: int = 1) -> Page[Notice]:
        """The account's notifications, unread first; reading them marks them read on the site."""

    @abc.abstractmethod
    async def search(self, query: SearchQuery, page: int = 1) -> Page[SearchResult]:
        """The site's own search. Flood control and refusals arrive as typed errors."""

    @abc.abstractmethod
    async def my_threads(self, page: int = 1, *, replied: bool = False) -> Page[ThreadSummary]: ...

    @abc.abstractmethod
    async def profile(self, uid: str | None = None) -> Profile: ...

    @abc.abstractmethod
    async def conversations(self, page: int = 1) -> Page[Conversation]: ...

    @abc.abstractmethod
    async def conversation(self, with_uid: str, page: int = 1) -> Page[PrivateMessage]: ...

    @abc.abstractmethod
    async def send_pm(self, to_uid: str, text: str) -> None: ...

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

    async def smilies(self) -> dict[str, str]:
        """The site's own smiley table (image URL or code → text shown), for the content
        helpers' ``smilies``; empty when the site has none to offer. Never raises."""
        return {}

    @abc.abstractmethod
    async def fetch_image(self, url: str) -> bytes:
        """The bytes of an image in a post (or an image attachment), as a browser would get them."""

    @abc.abstractmethod
    def export_session(self) -> dict[str, str]:
        """The session secrets (cookies) to keep in the OS keyring; never written to files."""

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


def resolve_target(text: str) -> Target:
    """Resolve a pasted URL (or bare host) to a site and what in it the URL points at.

    Engines own their URL shapes; today Discuz! is the only one, so it decides.
    """
    from tui.discuz.urls import resolve

    return resolve(text)


def open_session(site_url: str, **options: object) -> ForumSession:
    """A session with the engine that serves ``site_url``."""
    from tui.discuz.session import DiscuzSession

    return DiscuzSession(site_url, **options)  # type: ignore[arg-type]
