"""Offline reading and fetching ahead, through the real app against the demo forum over HTTP:
pages read are saved, read again with the forum stopped (or with ``--offline``) and marked so;
a page never read says it is not saved; ``n`` shows a page fetched ahead without asking again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_helpers import (
    cursor_floor,
    on_screen,
    problem_text,
    record_notifications,
    screen_text,
    wait_until,
)
from tui.app import ForumApp
from tui.config import Settings
from tui.demo.exchange import Request, Response
from tui.demo.seed import BIG_THREAD_ID
from tui.demo.server import DemoForum
from tui.saved import saved_pages_dir
from widgets.thread_view import ThreadView

THREAD = "1"


@pytest.fixture
def forum(tmp_path: Path) -> Iterator[DemoForum]:
    with DemoForum(tmp_path / "demo-forum") as forum:
        yield forum


def thread_url(forum_url: str, thread_id: str) -> str:
    return f"{forum_url}forum.php?mod=viewthread&tid={thread_id}"


def count_requests(forum: DemoForum) -> list[dict[str, str]]:
    """Every request the demo forum answers from now on, as its query parameters."""
    assert forum.site is not None
    seen: list[dict[str, str]] = []
    handle = forum.site.handle

    def counted(request: Request) -> Response:
        seen.append(dict(request.query))
        return handle(request)

    forum.site.handle = counted
    return seen


def floor_shown(app: ForumApp) -> bool:
    return on_screen(app, "ThreadScreen") and cursor_floor(app) is not None


def saved_files() -> list[Path]:
    return list(saved_pages_dir().glob("*.json"))


async def read_thread_online(url: str) -> str:
    """Open a thread as a guest, wait until its page and the board list are saved; the first
    floor's text."""
    app = ForumApp(Settings(), start=url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: floor_shown(app), "the thread's first floor")
        # the site, the board list and the thread's first page
        await wait_until(pilot, lambda: len(saved_files()) >= 3, lambda: f"saved pages: {saved_files()}")
        first = app.screen.query_one(ThreadView).floors()[0].plain_text()
        assert not app.status.offline
        await pilot.press("ctrl+q")
    return first


async def test_a_thread_read_before_reads_again_with_the_forum_stopped(forum: DemoForum) -> None:
    url = thread_url(forum.url, THREAD)
    first_floor = await read_thread_online(url)
    forum.stop()

    app = ForumApp(Settings(), start=url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: floor_shown(app), "the saved thread's first floor")
        assert app.context.offline
        assert app.screen.query_one(ThreadView).floors()[0].plain_text() == first_floor
        await wait_until(pilot, lambda: "offline — saved at" in screen_text(app), "the saved mark")

        app.open_thread("2")  # never read
        await wait_until(
            pilot, lambda: on_screen(app, "ThreadScreen") and problem_text(app), "a thread not saved"
        )
        assert "not saved for offline reading" in problem_text(app)

        await pilot.press("escape")
        await wait_until(pilot, lambda: floor_shown(app), "the saved thread again")
        await pilot.press("escape")
        boards_shown = lambda: on_screen(app, "BoardsScreen") and app.context.board_index  # noqa: E731
        await wait_until(pilot, boards_shown, "the saved boards")
        assert "offline — saved at" in screen_text(app)
        await pilot.press("ctrl+q")


async def test_offline_asks_the_forum_nothing(forum: DemoForum) -> None:
    url = thread_url(forum.url, THREAD)
    await read_thread_online(url)
    requests = count_requests(forum)

    app = ForumApp(Settings(), start=url, offline=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: floor_shown(app), "the saved thread's first floor")
        await wait_until(pilot, lambda: "offline — saved at" in screen_text(app), "the saved mark")
        await pilot.press("ctrl+q")
    assert requests == []


async def test_offline_on_a_forum_never_read_says_so(forum: DemoForum) -> None:
    app = ForumApp(Settings(), start=thread_url(forum.url, THREAD), offline=True)
    notifications = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        said = [note.message for note in notifications]
        assert any("nothing of this forum is saved for offline reading" in message for message in said), said
        await pilot.press("ctrl+q")
    assert not saved_files()


async def test_n_shows_the_page_fetched_ahead_without_asking_again(forum: DemoForum) -> None:
    requests = count_requests(forum)
    app = ForumApp(Settings(), start=thread_url(forum.url, str(BIG_THREAD_ID)))
    async with app.run_test(size=(100, 12)) as pilot:  # page 1 is several screens high
        await wait_until(pilot, lambda: floor_shown(app), "the long thread's first floor")
        view = app.screen.query_one(ThreadView)
        assert view.max_scroll_y > 2 * view.size.height  # far from the end: nothing loads on scrolling
        # While the reader is on page 1, page 2 is fetched ahead and laid out below it.
        await wait_until(pilot, lambda: view.laid_out(2) and not view.is_loading, "page 2 fetched ahead")
        view.focus_floor(view.sections()[0].floors()[-1])  # the end of page 1
        asked_before = len(requests)

        await pilot.press("n")
        await wait_until(
            pilot,
            lambda: cursor_floor(app) is not None and cursor_floor(app).page == 2,
            "the first floor of page 2",
        )
        assert cursor_floor(app) is view.sections()[1].floors()[0]
        pages_asked = [query.get("page") for query in requests[asked_before:] if query.get("tid")]
        assert "2" not in pages_asked, pages_asked
        await pilot.press("ctrl+q")
    # page 2 was fetched once, as many requests as page 1 took (the engine may merge two)
    pages_asked = [query.get("page", "1") for query in requests if query.get("module") == "viewthread"]
    assert pages_asked.count("2") == pages_asked.count("1"), pages_asked


async def test_reading_on_keeps_the_next_pages_parsed_so_n_at_key_repeat_asks_nothing(
    forum: DemoForum,
) -> None:
    requests = count_requests(forum)
    app = ForumApp(Settings(), start=thread_url(forum.url, str(BIG_THREAD_ID)))
    async with app.run_test(size=(100, 12)) as pilot:
        await wait_until(pilot, lambda: floor_shown(app), "the long thread's first floor")
        view = app.screen.query_one(ThreadView)
        await wait_until(pilot, lambda: view.laid_out(2) and not view.is_loading, "page 2 fetched ahead")
        await pilot.press("n")  # on page 2, the last held: pages 3 to 5 are fetched ahead
        asked = lambda: {query.get("page") for query in requests if query.get("module") == "viewthread"}  # noqa: E731
        await wait_until(pilot, lambda: {"3", "4", "5"} <= asked(), "pages 3 to 5 fetched ahead")
        asked_before = len(requests)
        await pilot.press("n", "n")
        await wait_until(pilot, lambda: view.is_settled and view.page_reported == 4, "page 4")
        pages_asked = [query.get("page") for query in requests[asked_before:] if query.get("tid")]
        assert not {"3", "4"} & set(pages_asked), pages_asked
        await pilot.press("ctrl+q")


def test_the_offline_option_reaches_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui import cli

    started: dict[str, object] = {}
    monkeypatch.setattr("tui.launch.run_app", lambda **options: started.update(options) or 0)
    assert cli.main(["--offline", "https://bbs.example.com/"]) == 0
    assert started == {"url": "https://bbs.example.com/", "demo": False, "offline": True}
