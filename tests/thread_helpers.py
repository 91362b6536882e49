"""A host app for the thread and composer screens, waiting helpers, and fixed snapshot data."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import Worker

from screens.base import report_failed_worker
from tests.app_helpers import record_notifications, wait_until
from tui.config import Settings
from tui.context import ForumContext
from tui.engine import ForumSession
from tui.model import AuthorCard, CurrentUser, Thread, ThreadPage, Timestamp
from tui.model import Post as ModelPost
from tui.status import StatusState

T = TypeVar("T")


class HostApp(App[None]):
    """Just enough app around one screen: a ``ForumHost`` whose context holds one session.

    Requests run as they are (no re-login); opening another board or thread only says so.
    """

    def __init__(self, session: ForumSession, screen: Screen, settings: Settings | None = None) -> None:
        super().__init__()
        self.context = ForumContext(lambda message, **_: self.notify(message, markup=False))
        self.context.session = session
        self.settings = settings or Settings()
        self.first_screen = screen
        self.first_screen_callback: Callable[[object], None] | None = None
        self.notifications = record_notifications(self)  # what was shown, in order

    @property
    def status(self) -> StatusState:
        return self.context.status

    def on_mount(self) -> None:
        self.push_screen(self.first_screen, self.first_screen_callback)

    async def forum_request(self, request: Callable[[], Awaitable[T]]) -> T:
        return await request()

    def ask_to_log_in(self, message: str, then: Callable[[], None]) -> None:
        self.notify(message, markup=False)

    def open_board(self, board_id: str, name: str = "", page: int = 1) -> None:
        self.notify(f"board {board_id}")

    def open_thread(self, thread_id: str, *, page: int = 1, post_id: str | None = None) -> None:
        self.notify(f"thread {thread_id}")

    @property
    def history(self) -> None:
        return None  # reading positions are the app's; these tests do not keep them

    def save_history(self) -> None:
        pass

    def toggle_reading_mode(self) -> None:
        from widgets.thread_view import ThreadView

        self.settings.reading_mode = not self.settings.reading_mode
        for view in self.screen.query(ThreadView):
            view.reading_mode = self.settings.reading_mode

    def open_target(self, text: str) -> None:
        self.notify(f"open {text}", markup=False)

    def open_profile(self, uid: str = "", name: str = "") -> None:
        self.notify(f"profile {uid}", markup=False)

    def go_back(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()

    def worker_failed(self, node: DOMNode, worker: Worker[object]) -> None:
        report_failed_worker(self, node, worker)


async def wait_for(
    pilot, condition: Callable[[], object], timeout: float = 10.0, describe: Callable[[], str] | None = None
) -> None:
    """Let the app run until ``condition()`` is true, then until what it set off is processed."""
    await wait_until(pilot, condition, describe or "the condition", timeout, interval=0.02)
    await pilot.pause()


def captured_page() -> ThreadPage:
    """A fixed page made of real captured floors: code, a quote, a table, and an image."""
    import json

    from tests.conftest import FIXTURES
    from tui.discuz import parse

    def floors(name: str) -> list[ModelPost]:
        variables = json.loads((FIXTURES / "mobile" / name).read_text(encoding="utf-8"))["Variables"]
        return parse.thread_page(variables, "http://127.0.0.1:8080/", page=1).posts

    code, *_, quote = floors("v1_viewthread_tid5.json")
    table = floors("v4_viewthread_tid13_table.json")[0]
    picture = floors("v4_viewthread_tid28_image.json")[0]
    picture.html += '<br /><img src="http://127.0.0.1:8080/data/attachment/forum/sunset.jpg" alt="sunset" />'
    posts = [code, quote, table, picture]
    for floor, post in enumerate(posts, 1):
        post.floor = floor
    subject = "Python 3.12 有哪些值得关注的新特性？"
    thread = Thread(id="5", subject=subject, board_id="5", replies=3, views=120)
    return ThreadPage(thread, posts, page=1, pages=1, page_size=10)


class OnePageSession:
    """Serves one fixed page (and nothing else), for snapshots that must not drift."""

    site_url = "http://127.0.0.1:8080/"
    site = None  # never probed
    time_zone = None  # no answer showed the forum's zone

    def __init__(self, page: ThreadPage) -> None:
        self.page = page
        self.user = CurrentUser()  # a guest: the composer asks no captcha of it

    async def thread_page(self, thread_id, page=1, *, author_id=None, reverse=False, page_size=None):
        return self.page

    def thread_url(self, thread_id, page=1):
        return f"{self.site_url}forum.php?mod=viewthread&tid={thread_id}&page={page}"

    def post_url(self, post_id, thread_id):
        return f"{self.site_url}forum.php?mod=redirect&goto=findpost&ptid={thread_id}&pid={post_id}"


class UniformThreadSession(OnePageSession):
    """A long thread whose floors all have the same height, served after a network-like delay,
    so where a number of screens down lands can be worked out exactly."""

    def __init__(self, pages: int, delay: float = 0.05) -> None:
        super().__init__(ThreadPage(Thread(id="1", subject="Uniform", board_id="1"), [], 1, pages, 10))
        self.pages = pages
        self.delay = delay

    async def thread_page(self, thread_id, page=1, *, author_id=None, reverse=False, page_size=None):
        await asyncio.sleep(self.delay)
        page = min(max(page, 1), self.pages)
        thread = Thread(id=thread_id, subject="Uniform", board_id="1", replies=self.pages * 10 - 1)
        posts = [
            ModelPost(
                id=str(floor), thread_id=thread_id, floor=floor, author=AuthorCard(id="2", name="user1"),
                html=f"floor {floor}", time=Timestamp("2026-11-28 10:00"),
            )
            for floor in range((page - 1) * 10 + 1, page * 10 + 1)
        ]  # fmt: skip
        return ThreadPage(thread, posts, page=page, pages=self.pages, page_size=10)
