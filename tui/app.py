"""The Textual application: one forum session at a time, the screens on top of it.

The forum state (session, account, board index, site facts) is the app's ``ForumContext``;
the app is the ``ForumHost`` every screen and widget talks to. Start-up stays light: the
engine (httpx), the keyring and the screens are imported only when needed, the engine and the
keyring in worker threads (for a remembered account, while the splash is drawn).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker

from tui import keys
from tui.collector import collect_at_session_pace
from tui.commands import ForumCommands
from tui.config import Settings
from tui.context import ForumContext, site_label
from tui.errors import ForumError
from tui.status import StatusState
from widgets.forum_text import clean
from widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from screens.login import SuggestedAccount
    from tui.accounts import AccountBook
    from tui.credentials import CredentialStore
    from tui.engine import ForumSession
    from tui.history import ReadingHistory
    from tui.model import Target

T = TypeVar("T")

# How long the garbage collector stays paused after the app has mounted: long enough for the
# first screen (the log-in form, or the board list of a remembered account) to be built.
START_UP_SECONDS = 1.0


class ForumApp(App[None]):
    """forum-tui: log in, browse boards and threads, read and reply."""

    TITLE = "forum-tui"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {ForumCommands}
    BINDINGS = keys.bindings(keys.APP_KEYS)

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        start: str | None = None,
        demo_accounts: Sequence[SuggestedAccount] = (),
        config_path: Path | None = None,
        store: CredentialStore | None = None,
        book: AccountBook | None = None,
        offline: bool = False,
    ) -> None:
        """``start`` is a site, board or thread URL to open; without it the last site is used.

        With ``demo_accounts`` the app opens on the log-in screen for ``start`` and lists them.
        ``offline`` reads only what was saved on this computer, never the network.
        """
        super().__init__()
        self.settings = settings or Settings()
        self.start_target = start
        self.demo_accounts = tuple(demo_accounts)
        self.config_path = config_path
        self.context = ForumContext(
            self._tell,
            store=store,
            book=book,
            deadline=self.settings.timeout,
            offline=offline,
            cache_bytes=self.settings.cache_mb * 1_000_000,
        )
        self._history: ReadingHistory | None = None
        self._starting_site: str | None = None  # the site the splash is connecting to

    @property
    def status(self) -> StatusState:
        return self.context.status

    def _tell(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        """The context's way to tell the user something: a plain-text notification."""
        self.notify(clean(message), title=title, severity=severity, timeout=timeout)  # type: ignore[arg-type]

    # --- start-up -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from screens.base import StartScreen

        return StartScreen(id="_default")

    def compose(self) -> ComposeResult:
        if self._nothing_to_connect_to():  # the log-in form covers this screen from the first frame
            return
        # No spinner: its frames would be drawn while the start-up work needs the processor;
        # the splash names the site being connected to and the status bar says "Signing in…".
        yield Static(Text("forum-tui"), id="splash")
        yield StatusBar()

    def on_mount(self) -> None:
        self._apply_settings()
        if not self._log_in_first():
            # Connect at once: the engine loads in a worker thread while the splash is drawn,
            # since the first frame the user waits for is the board list, not the splash.
            self._begin()
        self.call_after_refresh(self._check_keymap)
        self.set_timer(START_UP_SECONDS, self.start_up_over)
        if self.settings.refresh_minutes > 0:
            self.set_interval(self.settings.refresh_minutes * 60, self.refresh_counts)

    def _apply_settings(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"Unknown theme {self.settings.theme!r} in the config; using the default.")
        if self.settings.problem:
            self.notify(self.settings.problem, title="Config problem", severity="warning", timeout=15)
        # Remap now; unknown action names are reported after the first frame (see _check_keymap).
        self.set_keymap(keys.keymap_from_config(self.settings.keys, self.settings.keys)[0])

    def _check_keymap(self) -> None:
        """Name the config lines whose action names no screen knows (only when there are remaps)."""
        if not self.settings.keys:
            return
        keymap, problem = keys.keymap_from_config(
            self.settings.keys, self.known_binding_ids(), self.config_path
        )
        self.set_keymap(keymap)
        if problem:
            self.notify(problem, title="Config problem", severity="warning", timeout=15)
        taken = keys.taken_keys(keymap, self.binding_scopes())
        if taken:
            self.notify("; ".join(taken) + ".", title="Keys remapped", severity="warning", timeout=15)

    @staticmethod
    def binding_scopes() -> dict[str, list[tuple[str, str]]]:
        """Each screen's remappable (id, default keys), the app's own keys included."""

        def pairs(bound: Iterable[keys.Key]) -> list[tuple[str, str]]:
            return [(key.id, key.keys) for key in bound if key.id]

        app = pairs(keys.APP_KEYS)
        return {
            "the board list": app + pairs(keys.BOARD_KEYS),
            "the thread list": app + pairs(keys.THREAD_LIST_KEYS),
            "the thread view": app + pairs((*keys.THREAD_KEYS, *keys.FLOOR_KEYS)),
            "the composer": pairs(keys.COMPOSER_KEYS),
        }

    @staticmethod
    def known_binding_ids() -> set[str]:
        """Every action name a user may remap."""
        return {key.id for key in keys.REMAPPABLE}

    def _nothing_to_connect_to(self) -> bool:
        """The demo (its accounts are offered), or no URL and no account used before."""
        if self.demo_accounts and self.start_target:
            return True
        return not self.start_target and self.context.book.last() is None

    def _log_in_first(self) -> bool:
        """Open the log-in form at once when there is nothing to connect to, so the app's
        first frame is the form, not the splash."""
        if not self._nothing_to_connect_to():
            return False
        if self.demo_accounts and self.start_target:
            self.status.set_site(site_label(self.start_target, "demo"))
            self.show_login(self.start_target)
            return True
        if self.context.book.problem:
            self.notify(self.context.book.problem, severity="warning")
        self.show_login(None)
        return True

    def _begin(self) -> None:
        """Connect to the site given or used last; the slow parts run in a worker."""
        self.run_worker(self._open_start(), group="start", exclusive=True, exit_on_error=False)

    @staticmethod
    def start_up_over() -> None:
        """The garbage collector, paused for start-up by ``tui.launch``, runs again, at the
        pace of a long session."""
        collect_at_session_pace()

    @property
    def starting(self) -> bool:
        """Still on the splash: nothing but the default screen is shown yet."""
        return len(self.screen_stack) == 1

    def _show_connecting(self, site_url: str) -> None:
        self._starting_site = site_url
        splash = Text("forum-tui\n", style="bold")
        splash.append(f"Connecting to {site_label(site_url)}…\n", style="not bold")
        splash.append("Esc or q: stop and pick a site · Ctrl+Q: quit", style="not bold dim")
        self.query_one("#splash", Static).update(splash)

    def action_stop_connecting(self) -> None:
        """Esc or q on the splash: stop waiting for the forum and offer the site picker instead."""
        if not self.starting:
            return
        self.workers.cancel_group(self, "start")
        self.status.set_activity("")
        self.show_login(self._starting_site, message="Stopped connecting. Try again, or pick another site.")

    async def _open_start(self) -> None:
        book = self.context.book
        if book.problem:
            self.notify(book.problem, severity="warning")
        if self.start_target:
            self._show_connecting(self.start_target)
            await self.open_target_now(self.start_target)
            return
        last = book.last()
        if last is None:  # forgotten since the start: nothing to connect to after all
            self.show_login(None)
            return
        self._show_connecting(last.site_url)
        try:
            await self.context.connect(last.site_url, account=last)
        except ForumError as error:
            self.show_login(last.site_url, message=str(error))
            return
        self.show_boards()

    # --- the host ---------------------------------------------------------------------------

    async def forum_request(self, request: Callable[[], Awaitable[T]]) -> T:
        return await self.context.call(request)

    def worker_failed(self, node: DOMNode, worker: Worker[object]) -> None:
        from screens.base import report_failed_worker

        report_failed_worker(self, node, worker)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications are plain text unless asked otherwise: they often quote the forum."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    async def on_unmount(self) -> None:
        if self._history is not None:  # the last positions, as the app closes
            with contextlib.suppress(OSError):
                await asyncio.to_thread(self._history.save)
        await self.context.close()

    # --- navigation -----------------------------------------------------------------------

    def show_login(self, site_url: str | None, *, message: str = "") -> None:
        """The log-in screen; after logging in (or choosing guest) the board list opens."""
        from screens.login import LoginScreen

        def after(result: bool | None) -> None:
            if result:
                self.show_boards()

        self.push_screen(
            LoginScreen(site_url, demo_accounts=self.demo_accounts, message=message), callback=after
        )

    def ask_to_log_in(self, message: str, then: Callable[[], None]) -> None:
        """A request needs a logged-in user: show the log-in screen, then run ``then``."""
        from screens.login import LoginScreen

        session = self.context.session
        site = session.site_url if session else None

        def after(result: bool | None) -> None:
            if result:
                then()

        self.push_screen(
            LoginScreen(site, demo_accounts=self.demo_accounts, message=message, returning=True),
            callback=after,
        )

    def show_boards(self) -> None:
        """The board list becomes the bottom screen of the session."""
        from screens.boards import BoardsScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(BoardsScreen())

    def open_board(self, board_id: str, name: str = "", page: int = 1) -> None:
        from screens.thread_list import ThreadListScreen

        self.push_screen(ThreadListScreen(board_id, name=name, page=page))

    def open_thread(self, thread_id: str, *, page: int = 1, post_id: str | None = None) -> None:
        from screens.thread import ThreadScreen

        session = self.context.session
        if session is None:
            self.notify("Open a forum first.")
            return
        self.push_screen(ThreadScreen(session, thread_id, page=page, post_id=post_id))

    def go_back(self) -> None:
        """Pop a screen, but never the board list at the bottom of a session."""
        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.notify("Press Ctrl+Q to quit.", timeout=3)

    def action_open_target(self) -> None:
        from screens.open_target import OpenTargetScreen

        def after(text: str | None) -> None:
            if text:
                self.open_target(text)

        self.push_screen(OpenTargetScreen(), callback=after)

    def open_target(self, text: str) -> None:
        self.run_worker(self.open_target_now(text), group="target", exclusive=True, exit_on_error=False)

    async def open_target_now(self, text: str) -> None:
        """Open what ``text`` points at: a thread id on this site, or a site/board/thread URL."""
        from tui.model import Target, TargetKind
        from tui.registry import resolve_target

        context = self.context
        text = text.strip()
        try:
            if text.isdigit() and context.session is not None:
                target = Target(context.session.site_url, TargetKind.THREAD, text)
            else:
                target = resolve_target(text)
        except ForumError as error:
            self.notify(clean(str(error)), severity="error")
            if self.starting:
                self.show_login(None, message=str(error))
            return
        if not context.is_on(target.site_url):
            saved = context.book.for_site(target.site_url)
            try:
                await context.connect(target.site_url, account=saved[0] if saved else None)
            except ForumError as error:
                if self.starting:
                    self.show_login(target.site_url, message=str(error))
                return
            self.show_boards()
        await self._push_target(target)

    async def _push_target(self, target: Target) -> None:
        from tui.model import TargetKind

        if target.kind is TargetKind.BOARD:
            self.open_board(target.id, page=target.page)
        elif target.kind is TargetKind.THREAD:
            self.open_thread(target.id, page=target.page)
        elif target.kind is TargetKind.POST and target.thread_id:
            self.open_thread(target.thread_id, post_id=target.id)
        elif target.kind is TargetKind.POST:  # a bare post link: ask the forum where it lives
            session = self.context.session
            if session is None:
                return
            try:
                location = await self.context.call(lambda: session.locate_post(target.id))
            except ForumError as error:
                self.notify(clean(str(error)), severity="error")
                return
            self.open_thread(location.thread_id, page=location.page, post_id=location.post_id)

    # --- the account's own things ----------------------------------------------------------

    def refresh_counts(self) -> None:
        """Quietly ask for the unread counts of the status bar; never moves focus or says a word."""
        session = self.context.session
        if session is not None and not session.user.is_guest:
            self.run_worker(
                self._refresh_counts(session), group="counts", exclusive=True, exit_on_error=False
            )

    async def _refresh_counts(self, session: ForumSession) -> None:
        try:
            user = await session.refresh_user()
        except ForumError:
            return  # the next check, or the next thing the user does, will say what is wrong
        if session is self.context.session:
            self.status.set_user(user)

    def _open_account_screen(self, screen_type: type[Screen], **options: str) -> None:
        """Push one of the account's screens, unless it is already the one showing."""
        session = self.context.session
        if session is None:
            self.notify("Open a forum first.")
            return
        from tui.engine import capability_gap

        needed = getattr(screen_type, "CAPABILITY", None)
        gap = capability_gap(session, needed, screen_type.FEATURE) if needed is not None else ""
        if gap:
            self.notify(gap, severity="warning")
            return
        if type(self.screen) is not screen_type:
            self.push_screen(screen_type(**options))

    def action_notifications(self) -> None:
        from screens.account import NotificationsScreen

        self._open_account_screen(NotificationsScreen)

    def action_messages(self) -> None:
        from screens.account import MessagesScreen

        self._open_account_screen(MessagesScreen)

    def action_favourites(self) -> None:
        from screens.account import FavouritesScreen

        self._open_account_screen(FavouritesScreen)

    def action_my_threads(self) -> None:
        from screens.account import MyThreadListScreen

        self._open_account_screen(MyThreadListScreen)

    def action_my_profile(self) -> None:
        self.open_profile()

    def open_profile(self, uid: str = "", name: str = "") -> None:
        """A member's profile; without a uid, the account's own."""
        from screens.profile import ProfileScreen

        self._open_account_screen(ProfileScreen, uid=uid, name=name)

    def action_search(self) -> None:
        """Search the site; from a thread list, within that board by default."""
        from screens.search import SearchScreen
        from screens.thread_list import ThreadListScreen

        board = self.screen if isinstance(self.screen, ThreadListScreen) else None
        if board is None:
            self._open_account_screen(SearchScreen)
        else:
            self._open_account_screen(SearchScreen, board_id=board.board_id, board_name=board.board_name)

    # --- actions --------------------------------------------------------------------------

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    @property
    def history(self) -> ReadingHistory:
        """Where each thread was left, per account (read from the data folder on first use)."""
        if self._history is None:
            from tui.history import ReadingHistory

            self._history = ReadingHistory()
            if self._history.problem:
                self.notify(self._history.problem, severity="warning")
        return self._history

    def save_history(self) -> None:
        """Write the reading positions off the event loop; a failure is said, never raised."""
        history = self._history
        if history is None:
            return

        def save() -> None:
            try:
                history.save()
            except OSError as error:
                message = f"Reading positions not saved: {error}"
                self.call_from_thread(self.notify, message, severity="warning")

        self.run_worker(save, thread=True, group="history")

    def action_show_history(self) -> None:
        from screens.history import HistoryScreen

        if self.context.session is None:
            self.notify("Open a forum first.")
        elif not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_export_thread(self) -> None:
        export = getattr(self.screen, "export_thread", None)
        if callable(export):
            export()
        else:
            self.notify("Open a thread first, then export it.")

    def toggle_reading_mode(self) -> None:
        """Floors' text only, or with author lines again, on every open thread; kept in the config."""
        from tui.config import remember_setting
        from widgets.thread_view import ThreadView

        on = self.settings.reading_mode = not self.settings.reading_mode
        for screen in self.screen_stack:
            for view in screen.query(ThreadView):
                view.reading_mode = on
        self.notify("Reading mode: text only." if on else "Reading mode off: authors shown.")

        def remember() -> None:
            try:
                remember_setting("reading_mode", on, self.config_path)
            except OSError as error:
                self.call_from_thread(self.notify, f"Could not save it in the config: {error}")

        self.run_worker(remember, thread=True, group="config")

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """The palette's "Save screenshot": into the Downloads folder (made when missing), the
        message in plain text."""
        from tui.config import downloads_dir

        try:
            saved = self.save_screenshot(filename, path or str(downloads_dir()))
        except OSError as error:
            self.notify(f"The screenshot could not be saved: {error}", severity="error")
            return
        self.notify(saved, title="Screenshot saved", timeout=5, markup=False)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_switch_site(self) -> None:
        session = self.context.session
        self.show_login(session.site_url if session else None)

    async def action_log_out(self) -> None:
        session = self.context.session
        account = await self.context.sign_out()
        if session is None or account is None:
            self.notify("You are not logged in.")
            return
        self.notify(f"Logged out {clean(account.username)}.")
        self.show_login(session.site_url)
