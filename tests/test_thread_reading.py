"""What a reader of the demo forum sees besides the posts: full author lines, times, and the
reading aids (reading mode, position, history, links, attachments, profiles, export)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable

from screens.thread import ThreadScreen
from tests.app_helpers import browse_as_guest, demo_app
from tests.thread_helpers import HostApp, wait_for
from tui.config import Settings, load_settings
from tui.demo.dates import SITE_TZ
from tui.engine import open_session
from tui.history import ReadingHistory, account_key
from tui.model import LoginRequest
from tui.times import exact_text
from widgets.post import PostWidget
from widgets.thread_view import ThreadView

SIZE = (110, 32)
CHECKIN_THREAD = "1"
RECENT_THREAD = "11"  # started a day ago: its floors read "N 小时前"


@pytest.fixture
async def session(forum_server):
    session = open_session(forum_server.url)
    await session.probe()
    yield session
    await session.aclose()


def thread_app(session, thread_id: str, settings: Settings | None = None, **options) -> HostApp:
    return HostApp(session, ThreadScreen(session, thread_id, **options), settings)


def floors(app: HostApp) -> list[PostWidget]:
    return app.screen.query_one(ThreadView).floors()


def line_of(floor: PostWidget) -> str:
    return str(floor.query_one(".post--author").render())


async def opened(pilot) -> ThreadView:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ThreadScreen))
    view = pilot.app.screen.query_one(ThreadView)
    focused = lambda: isinstance(pilot.app.focused, PostWidget)  # noqa: E731
    await wait_for(pilot, lambda: view.floors() and not view.is_loading and focused())
    return view


async def test_author_lines_carry_counts_group_home_and_the_phone_mark(session) -> None:
    app = thread_app(session, CHECKIN_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        by_floor = {floor.post.floor: floor for floor in floors(app)}
        xiaoming = line_of(by_floor[5])
        assert "小明同学" in xiaoming
        assert "来自 江苏省 南京市" in xiaoming and "📱 来自手机" in xiaoming
        assert "主题 " in xiaoming and "回帖 " in xiaoming and "积分 5" in xiaoming
        assert "来自手机" not in line_of(by_floor[2])  # user3 writes from the web


async def test_times_are_local_by_default_and_the_forums_on_request(session, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    app = thread_app(session, CHECKIN_THREAD, Settings(time_zone="forum"))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        first = floors(app)[0]
        assert exact_text(first.post.time.exact, SITE_TZ) in line_of(first)
    app = thread_app(session, CHECKIN_THREAD, Settings(time_zone="local"))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        first = floors(app)[0]
        assert exact_text(first.post.time.exact) in line_of(first)
        assert (first.post.time.exact.astimezone(SITE_TZ).utcoffset() or timedelta()) == timedelta(hours=8)


async def test_recent_times_are_relative_except_on_the_focused_floor(session) -> None:
    app = thread_app(session, RECENT_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        first, second = floors(app)[:2]
        assert exact_text(first.post.time.exact) in line_of(first)  # focused: exact
        assert "小时前" in line_of(second) or "分钟前" in line_of(second)
        await pilot.press("j")
        await wait_for(pilot, lambda: app.focused is second)
        assert exact_text(second.post.time.exact) in line_of(second)
        assert exact_text(first.post.time.exact) not in line_of(first)
        assert line_of(first).endswith("天前") or line_of(first).endswith("小时前")


async def test_reading_mode_shows_numbered_text_only_and_is_remembered(forum_server, tmp_path) -> None:
    config = tmp_path / "config.toml"
    app = demo_app(forum_server.url, Settings(), config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await browse_as_guest(pilot)
        app.open_thread(CHECKIN_THREAD)
        view = await opened(pilot)
        first = view.floors()[0]
        assert first.query_one(".post--author").display and not first.query_one(".post--number").display
        await pilot.press("m")
        await wait_for(pilot, lambda: view.reading_mode and config.exists())
        assert not first.query_one(".post--author").display and first.query_one(".post--number").display
        assert "#1 楼主" in str(first.query_one(".post--number").render())
        assert load_settings(config).reading_mode is True
        await pilot.press("m")
        await wait_for(pilot, lambda: not view.reading_mode and load_settings(config).reading_mode is False)
        assert first.query_one(".post--author").display
    app = demo_app(forum_server.url, Settings(reading_mode=True), config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await browse_as_guest(pilot)
        app.open_thread(CHECKIN_THREAD)
        assert (await opened(pilot)).reading_mode  # the setting opens threads in reading mode


async def reopen_and_wait(pilot, thread_id: str) -> ThreadView:
    app = pilot.app
    await pilot.press("escape")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "BoardsScreen")
    app.open_thread(thread_id)
    return await opened(pilot)


async def test_a_thread_reopens_at_the_floor_where_reading_stopped(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await browse_as_guest(pilot)
        app.open_thread(CHECKIN_THREAD)
        await opened(pilot)
        for _ in range(4):
            await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.focused.post.floor == 5)
        await reopen_and_wait(pilot, CHECKIN_THREAD)
        await wait_for(pilot, lambda: app.focused.post.floor == 5, describe=lambda: "floor 5 again")
        await pilot.press("1")
        await wait_for(pilot, lambda: app.focused.post.floor == 1)
        await reopen_and_wait(pilot, CHECKIN_THREAD)
        assert app.focused.post.floor == 1  # the top was the last place read
    saved = ReadingHistory()  # written to the data folder as the app closed
    entry = saved.position(account_key(forum_server.url, "0"), CHECKIN_THREAD)
    assert entry is not None and entry.floor == 1 and entry.floors == 126


async def test_history_lists_threads_read_newest_first_with_new_floors(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await browse_as_guest(pilot)
        for thread_id in (CHECKIN_THREAD, RECENT_THREAD):
            app.open_thread(thread_id)
            await opened(pilot)
            await pilot.press("right_square_bracket")
            await pilot.press("escape")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "BoardsScreen")
        writer = open_session(forum_server.url)
        await writer.login(LoginRequest("user2", "demo-user2"))
        await writer.reply(CHECKIN_THREAD, "又来打卡了，今天也很开心！")
        await writer.aclose()
        await pilot.press("H")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        table = app.screen.query_one(DataTable)
        rows = lambda: [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]  # noqa: E731
        counted = lambda: len(rows()) == 2 and "…" not in rows()[1][2]  # noqa: E731
        await wait_for(pilot, counted, describe=lambda: str(rows()))
        recent, checkin = rows()
        assert "Debian 13" in recent[0] and recent[1] == "#2 of 2" and recent[2] == "–"
        assert checkin[1] == "#2 of 126" and checkin[2] == "+1 new"
        await pilot.press("down", "enter")
        view = await opened(pilot)
        await wait_for(pilot, lambda: app.focused.post.floor == 2)
        assert view.thread.id == CHECKIN_THREAD
