"""The forum side of the app, without Textual: which site and engine, the open session, the
account on it, the board index and site facts, and the one way to run a request.

The app owns one ``ForumContext``; screens and widgets reach it through the host
(``tui.host.ForumHost``). Every forum request goes through ``call``, which logs in again
once when a remembered session has expired (``tui.auth.with_reauth``). What the user must be
told goes to ``notify``; what the status bar shows goes to ``status``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol, TypeVar
from urllib.parse import urlsplit

from tui.errors import ForumError, LoginRequiredError, NetworkError, NotSavedError
from tui.status import StatusState

if TYPE_CHECKING:
    from tui.accounts import Account, AccountBook
    from tui.credentials import CredentialStore, KeyringStatus
    from tui.engine import ForumSession
    from tui.model import BoardIndex, CurrentUser, SiteInfo
    from tui.saved import SavedPages

T = TypeVar("T")


class Notify(Protocol):
    """Tell the user something (plain text, never markup)."""

    def __call__(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None: ...


WEB_PAGES_NOTE = (
    "This forum has its mobile API switched off, so it is read through its web pages: "
    "favourites, private messages and profiles are not available here."
)


def site_label(site_url: str, name: str = "", *, web_pages: bool = False) -> str:
    """How the status bar names a site: its name and host (or the host alone), and whether it
    is read through its web pages."""
    host = urlsplit(site_url).netloc or site_url
    label = f"{name} ({host})" if name else host
    return f"{label} · web pages" if web_pages else label


class ForumContext:
    """One site at a time: its session, account, board index and facts."""

    def __init__(
        self,
        notify: Notify,
        *,
        status: StatusState | None = None,
        store: CredentialStore | None = None,
        book: AccountBook | None = None,
        deadline: float | None = None,
        offline: bool = False,
        cache_bytes: int = 50_000_000,
    ) -> None:
        """``deadline`` is the longest a request may take, in seconds (the engine's default
        when None). ``offline`` reads only the pages saved on this computer (``cache_bytes`` of
        them at most), never the network."""
        self.notify = notify
        self.deadline = deadline
        self.status = status or StatusState()
        self._store = store
        self._book = book
        self.session: ForumSession | None = None
        # One connect at a time: a second one started meanwhile (the log-in form's captcha check
        # and its Log in, a link opened during start-up) would otherwise orphan the first session
        # or find the context half-switched under it.
        self._connecting = asyncio.Lock()
        self.engine = ""  # the name of the engine serving the open session
        self.account: Account | None = None
        self.board_index: BoardIndex | None = None
        self.site_info: SiteInfo | None = None
        self.offline = offline
        self.cache_bytes = cache_bytes
        self._saved_pages: SavedPages | None = None
        self._saving: set[asyncio.Task[bool]] = set()  # saved pages being written

    # Shared services (loaded on first use: they import the keyring) -------------------------

    @property
    def book(self) -> AccountBook:
        if self._book is None:
            from tui.accounts import AccountBook

            self._book = AccountBook.load()
        return self._book

    @property
    def store(self) -> CredentialStore:
        if self._store is None:
            from tui.credentials import CredentialStore

            self._store = CredentialStore(on_unusable=self._keyring_unusable)
        return self._store

    def _keyring_unusable(self, status: KeyringStatus) -> None:
        self.notify(status.message, title="Keyring", severity="warning", timeout=8)

    # Requests ------------------------------------------------------------------------------

    def require_session(self) -> ForumSession:
        """The open session; ``LoginRequiredError`` when no forum is open yet."""
        if self.session is None:
            raise LoginRequiredError("Open a forum first.")
        return self.session

    async def call(self, request: Callable[[], Awaitable[T]]) -> T:
        """Run one forum request, logging in again once if a remembered session expired."""
        from tui.auth import with_reauth

        session = self.require_session()
        result = await with_reauth(session, self.account, self.store, request)
        if not self.offline:  # offline the session never logged in: the saved pages say who
            self.status.set_user(session.user)
        return result

    # Saved pages (going back, offline reading) ---------------------------------------------

    @property
    def saved_pages(self) -> SavedPages:
        if self._saved_pages is None:
            from tui.saved import SavedPages

            self._saved_pages = SavedPages(max_bytes=self.cache_bytes)
        return self._saved_pages

    def _saved_key(self, kind: str, params: dict[str, object]) -> str:
        """Saved answers are filed per site and per account: a member sees more than a guest."""
        from tui.accounts import site_key

        session = self.require_session()
        user = getattr(session, "user", None)
        if self.offline:
            reader = self.account.username if self.account else ""
        else:
            reader = "" if user is None or user.is_guest else user.username
        return self.saved_pages.key(site_key(session.site_url), reader, kind, params)

    async def read_saved(
        self, kind: str, params: dict[str, object], model: type[T], request: Callable[[], Awaitable[T]]
    ) -> T:
        """A read-only request (boards, a thread list, a thread page): saved on disk as it
        arrives, and read back from there offline or when the forum cannot be reached, with
        "offline — saved at <time>" in the status bar. Run it inside ``call``."""
        from tui.saved import saved_at_text

        key = self._saved_key(kind, params)
        if not self.offline:
            try:
                result = await request()
            except NetworkError as error:
                saved = await asyncio.to_thread(self.saved_pages.load, key, model)
                if saved is None:
                    raise
                self.status.set_offline(saved.saved_at)
                note = f"{error} Showing the copy saved at {saved_at_text(saved.saved_at)}."
                self.notify(note, title="Offline", severity="warning")
                return saved.model
            self.status.set_offline(None)
            self._save_page(key, result)
            return result
        saved = await asyncio.to_thread(self.saved_pages.load, key, model)
        if saved is None:
            raise NotSavedError()
        self.status.set_offline(saved.saved_at)
        return saved.model

    def _save_page(self, key: str, model: object, session: ForumSession | None = None) -> None:
        """Write a model to the saved pages off the event loop, refusing any holding a secret
        of ``session`` (by default the open one)."""
        secrets = session_secrets(session or self.require_session())
        task = asyncio.create_task(asyncio.to_thread(self.saved_pages.save, key, model, secrets=secrets))
        self._saving.add(task)
        task.add_done_callback(self._saving.discard)

    def _site_info_key(self, site_url: str) -> str:
        from tui.accounts import site_key

        return self.saved_pages.key(site_key(site_url), "", "site", {})

    async def _open_offline(self, site_url: str, account: Account | None, *, quiet: bool = False) -> bool:
        """Read this site from the saved pages from now on. False (``quiet``) or ``NotSavedError``
        when nothing of the site was ever saved on this computer."""
        from tui.model import SiteInfo

        saved = await asyncio.to_thread(self.saved_pages.load, self._site_info_key(site_url), SiteInfo)
        if saved is None:
            if quiet:
                return False
            error = NotSavedError("Offline: nothing of this forum is saved for offline reading.")
            self.notify(str(error), title="Cannot open the forum", severity="error")
            raise error
        self.offline, self.site_info, self.account = True, saved.model, account
        self.status.set_site(site_label(site_url, saved.model.name))
        self.status.set_offline(saved.saved_at)
        if quiet:
            note = "The forum cannot be reached: showing the pages saved on this computer."
            self.notify(note, title="Offline")
        return True

    # The session ---------------------------------------------------------------------------

    async def connect(self, site_url: str, *, account: Account | None = None) -> ForumSession:
        """Open a session on a site (closing the previous one) and resume ``account`` on it.

        Resuming shows "Signing in…" in the status bar; when it fails a notification says why
        and the session stays a guest. Raises ``ForumError`` when the site cannot be used.
        """
        async with self._connecting:
            return await self._connect(site_url, account)

    async def _connect(self, site_url: str, account: Account | None) -> ForumSession:
        from tui import registry

        self.status.set_activity("Signing in…" if account is not None else "Connecting…")
        try:
            chosen = registry.engine_for(site_url)[0]
            if self.session is not None:
                await self.close()
            # Opening a session imports the engine's HTTP stack: do it off the event loop.
            options: dict[str, object] = {} if self.deadline is None else {"deadline": self.deadline}
            if self.offline:  # nothing leaves the computer: every request fails at once
                options["offline"] = True
            session = await asyncio.to_thread(registry.open_session, site_url, **options)
            self.session, self.engine = session, chosen.name
            self.account, self.board_index, self.site_info = None, None, None
            self.status.set_site(site_label(site_url))
            self.status.set_user(None)
            self.status.set_offline(None)
            if self.offline:
                await self._open_offline(site_url, account)
                return session
            # Resuming an account is a return visit: what a recent probe learnt stands in for
            # the probe, and the session check that follows is the first request. A sign-in
            # that failed may have asked the forum nothing: then it is probed after all.
            try:
                info = await session.probe(remembered=account is not None)
                self._learn_site(site_url, info)
                if account is not None and not await self._resume(session, account):
                    info = await session.probe()
                    self._learn_site(site_url, info)
                self._save_page(self._site_info_key(site_url), info, session)  # the forum answered
            except NetworkError as error:
                if await self._open_offline(site_url, account, quiet=True):
                    return session
                self.notify(str(error), title="Cannot open the forum", severity="error")
                raise
            except ForumError as error:
                self.notify(str(error), title="Cannot open the forum", severity="error")
                raise
        finally:
            self.status.set_activity("")
        return session

    def _learn_site(self, site_url: str, info: SiteInfo) -> None:
        """Take up what the probe told of the site; say that its web pages are read once a
        connection (a probe again after a failed sign-in tells nothing new)."""
        told = self.site_info is not None and not self.site_info.api_enabled
        self.site_info = info
        self.status.set_site(site_label(site_url, info.name, web_pages=not info.api_enabled))
        if not info.api_enabled and not told:
            self.notify(WEB_PAGES_NOTE, title="Reading the web pages")

    async def _resume(self, session: ForumSession, account: Account) -> bool:
        """Sign ``account`` in again; whether it worked (if not, the user was told why and the
        session stays a guest). A forum that cannot be reached raises ``NetworkError``."""
        from tui.auth import resume

        try:
            user = await resume(session, account, self.store)
        except NetworkError:
            raise
        except LoginRequiredError as error:
            self.notify(str(error), title="Not logged in", severity="warning")
            return False
        except ForumError as error:
            self.notify(str(error), title="Could not sign in", severity="error")
            return False
        # Reopening a site makes it the one ``forum-tui`` with no URL opens next time.
        self.signed_in(user, await asyncio.to_thread(self.book.remember, account))
        return True

    def signed_in(self, user: CurrentUser, account: Account | None = None) -> None:
        """Note who we are now (``account`` None keeps the current one)."""
        if account is not None:
            self.account = account
        self.status.set_user(user)

    async def ensure_session(self, site_url: str) -> ForumSession:
        """The open session when it is on ``site_url``, else a fresh guest session there (one
        being opened there meanwhile counts as open)."""
        async with self._connecting:
            if self.session is not None and self.is_on(site_url):
                return self.session
            return await self._connect(site_url, None)

    def is_on(self, site_url: str) -> bool:
        """Whether the open session is on ``site_url``."""
        from tui.accounts import site_key

        return self.session is not None and site_key(self.session.site_url) == site_key(site_url)

    async def sign_out(self) -> Account | None:
        """Log out of the forum and forget the saved session and password; the account that
        was signed in, or None when nobody was."""
        from tui.auth import sign_out

        session, account = self.session, self.account
        if session is None or account is None:
            return None
        await sign_out(session, account, self.store, self.book, forget_password=True)
        self.account = None
        self.status.set_user(None)
        return account

    async def close(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            with contextlib.suppress(ForumError):
                await session.aclose()


def session_secrets(session: ForumSession) -> list[str]:
    """The strings no saved page may hold, as the session's engine names them (test doubles
    may name none)."""
    secret_values = getattr(session, "secret_values", None)
    return secret_values() if callable(secret_values) else []
