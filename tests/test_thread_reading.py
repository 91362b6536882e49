"""What a reader of the demo forum sees besides the posts: full author lines, times, and the
reading aids (reading mode, position, history, links, attachments, profiles, export)."""

from __future__ import annotations

import zipfile
from datetime import timedelta

import pytest
from textual.widgets import DataTable, RadioSet

from screens.thread import ThreadScreen
from tests.app_helpers import (
    browse_as_guest,
    cursor_floor,
    cursor_number,
    demo_app,
    fill_login,
    log_in,
    screen_text,
)
from tests.thread_helpers import HostApp, wait_for
from tui.config import Settings, load_settings
from tui.demo.dates import SITE_TZ
from tui.history import ReadingHistory, account_key
from tui.model import LoginRequest
from tui.registry import open_session
from tui.times import exact_text
from widgets.poll import PollWidget
from widgets.post import Floor
from widgets.thread_view import ThreadView

SIZE = (110, 32)
CHECKIN_THREAD = "1"
RECENT_THREAD = "11"  # started a day ago: its floors read "N 小时前"
CLOSED_THREAD = "26"
FILES_THREAD = "29"  # members only: a zip and a png attached to the first floor


@pytest.fixture
async def session(forum_server):
    session = open_session(forum_server.url)
    await session.probe()
    yield session
    await session.aclose()


def thread_app(session, thread_id: str, settings: Settings | None = None, **options) -> HostApp:
    return HostApp(session, ThreadScreen(session, thread_id, **options), settings)


def floors(app: HostApp) -> list[Floor]:
    return app.screen.query_one(ThreadView).floors()


def told(app, words: str) -> bool:
    """Whether a notification (its title or message) said ``words``."""
    return any(words in note.title or words in note.message for note in app.notifications)


def line_of(floor: Floor) -> str:
    """The floor's first line on screen: its author card, or its number in reading mode."""
    return floor.shown_text(header_only=True)


async def opened(pilot) -> ThreadView:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ThreadScreen))
    view = pilot.app.screen.query_one(ThreadView)
    focused = lambda: cursor_floor(pilot.app) is not None  # noqa: E731
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
        await wait_for(pilot, lambda: cursor_floor(app) is second)
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
        author = first.post.author.name
        assert author in line_of(first)
        await pilot.press("m")
        await wait_for(pilot, lambda: view.reading_mode and config.exists())
        assert line_of(first) == "#1 楼主" and author not in first.shown_text()
        assert load_settings(config).reading_mode is True
        await pilot.press("m")
        await wait_for(pilot, lambda: not view.reading_mode and load_settings(config).reading_mode is False)
        assert author in line_of(first)
    app = demo_app(forum_server.url, Settings(reading_mode=True), config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await browse_as_guest(pilot)
        app.open_thread(CHECKIN_THREAD)
        view = await opened(pilot)
        assert view.reading_mode and line_of(view.floors()[0]) == "#1 楼主"  # the setting opens threads so


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
        await wait_for(pilot, lambda: cursor_floor(app).post.floor == 5)
        await reopen_and_wait(pilot, CHECKIN_THREAD)
        await wait_for(pilot, lambda: cursor_floor(app).post.floor == 5, describe=lambda: "floor 5 again")
        await pilot.press("1")
        await wait_for(pilot, lambda: cursor_floor(app).post.floor == 1)
        await reopen_and_wait(pilot, CHECKIN_THREAD)
        assert cursor_floor(app).post.floor == 1  # the top was the last place read
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
        await wait_for(pilot, lambda: cursor_floor(app).post.floor == 2)
        assert view.thread.id == CHECKIN_THREAD


QUOTE_FLOOR = 26  # a web-form quote of floor 25, with its findpost link


async def open_in_app(pilot, thread_id: str, *, member: bool = False) -> ThreadView:
    """Into the demo forum (as user1, or a guest) and straight to a thread."""
    await (log_in(pilot) if member else browse_as_guest(pilot))
    pilot.app.open_thread(thread_id)
    return await opened(pilot)


async def floor_focused(pilot, number: int) -> None:
    await pilot.press("colon")
    for key in f"#{number}":
        await pilot.press(key)
    await pilot.press("enter")
    await wait_for(pilot, lambda: cursor_number(pilot.app) == number)


async def test_l_lists_a_floors_links_enter_follows_y_copies(forum_server, monkeypatch) -> None:
    opened_urls: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *args, **kwargs: opened_urls.append(url) or True)
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await open_in_app(pilot, CHECKIN_THREAD)
        await floor_focused(pilot, QUOTE_FLOOR)
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ChoiceScreen")
        assert "findpost" in screen_text(app) and "发表于" in screen_text(app)
        await pilot.press("y")
        assert "goto=findpost" in app.clipboard
        await pilot.press("enter")  # an in-forum floor link: followed in the app
        await wait_for(pilot, lambda: cursor_number(app) == 25)
        assert opened_urls == []
        app.screen.open_link("https://docs.python.org/3/")  # elsewhere: the browser
        await wait_for(pilot, lambda: opened_urls == ["https://docs.python.org/3/"])
        app.screen.open_link(forum_server.url + "forum.php?mod=viewthread&tid=7")  # another thread: here
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.thread_id == "7")
        await opened(pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: told(app, "no links"))


async def test_p_shows_the_authors_profile_with_home(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await open_in_app(pilot, CHECKIN_THREAD, member=True)
        await floor_focused(pilot, 5)  # 小明同学
        await pilot.press("p")
        await wait_for(pilot, lambda: "Lives in" in screen_text(app), describe=lambda: screen_text(app))
        text = screen_text(app)
        assert "小明同学" in text and "江苏省 南京市" in text and "Credits" in text and "Registered" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
        await pilot.press("N")  # previous page moved to N; p is the profile now
        assert isinstance(app.screen, ThreadScreen)


async def test_d_downloads_a_floors_file_into_downloads(forum_server, isolated_home) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await open_in_app(pilot, FILES_THREAD, member=True)
        await pilot.press("d")
        saved = isolated_home / "Downloads" / "client-notes.zip"
        await wait_for(pilot, lambda: saved.exists() and isinstance(app.screen, ThreadScreen), timeout=15)
        assert zipfile.ZipFile(saved).read("notes.txt").startswith(b"forum-tui demo notes")
        await pilot.press("d")  # again: a second copy, never over the first
        await wait_for(pilot, lambda: (saved.parent / "client-notes (2).zip").exists())
        await wait_for(pilot, lambda: told(app, "Downloaded"))
        app.open_thread(CHECKIN_THREAD)
        await opened(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: told(app, "no files"))


POLL_THREAD = "27"  # one choice; user2 … 小明同学 voted in the seed, user1 and admin did not


async def test_v_on_a_floor_goes_to_the_polls_radio_buttons_and_votes(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_in_app(pilot, POLL_THREAD, member=True)
        poll = app.screen.query_one(PollWidget)
        assert isinstance(poll.ballot, RadioSet)  # one choice: radio buttons
        before = [option.votes for option in poll.poll.options]
        await pilot.press("v")
        await wait_for(pilot, lambda: app.focused is poll.ballot)
        await pilot.press("down", "enter", "v")  # the second option: Python 3.10
        await wait_for(pilot, lambda: any(p.poll.voted for p in view.query(PollWidget)))
        after = [option.votes for option in view.query_one(PollWidget).poll.options]
        assert after == [before[0], before[1] + 1, *before[2:]]
        await pilot.press("v")
        await wait_for(pilot, lambda: told(app, "already"))


async def test_members_who_voted_in_the_demo_seed_are_told_so(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await fill_login(pilot, "user2", "demo-user2")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BoardsScreen")
        app.open_thread(POLL_THREAD)
        await opened(pilot)
        poll = app.screen.query_one(PollWidget)
        assert poll.poll.voted and poll.ballot is None
        assert "you voted" in str(poll.children[0].render())
        assert poll.poll.voters == sum(option.votes for option in poll.poll.options)


async def test_export_thread_writes_the_whole_thread_as_markdown_into_downloads(forum_server, isolated_home):
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await open_in_app(pilot, CHECKIN_THREAD)
        app.action_export_thread()  # what the palette's "Export thread" runs
        downloads = isolated_home / "Downloads"
        await wait_for(pilot, lambda: told(app, "Exported"), timeout=30)
        (exported,) = downloads.glob("*.md")
        text = exported.read_text(encoding="utf-8")
        assert text.startswith("# 【水楼】每日打卡签到楼") and text.count("\n### #") == 126
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BoardsScreen")
        app.action_export_thread()
        await wait_for(pilot, lambda: told(app, "Open a thread first"))


async def l_at_the_end(pilot, thread_id: str, *, member: bool = False, check=None) -> ThreadView:
    """Open a one-page thread, wait for the line below its last floor, check it, press L."""
    view = await open_in_app(pilot, thread_id, member=member)
    await wait_for(pilot, lambda: view.reply_line() is not None)
    assert check is None or check(view)
    await pilot.press("L")
    return view


async def test_guests_see_log_in_to_reply_at_the_end_and_l_logs_in(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        said = lambda view: "Log in to reply" in screen_text(app)  # noqa: E731
        view = await l_at_the_end(pilot, RECENT_THREAD, check=said)
        assert view.children[-1] is view.reply_line()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LoginScreen")


async def test_members_quick_reply_sends_with_enter_and_grows_with_tab(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        view = await l_at_the_end(pilot, RECENT_THREAD, member=True)
        await wait_for(pilot, lambda: getattr(app.focused, "id", "") == "quick-reply")
        await pilot.press("o", "k", "enter")  # too short for the forum: said, and the text stays
        await wait_for(pilot, lambda: told(app, "Reply not sent"))
        assert app.focused.value == "ok"
        app.focused.value = ""
        for key in "我也升级了一切都很顺利谢谢分享":
            await pilot.press(key)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(floor.post.floor == 3 for floor in view.floors()))
        (third,) = [floor for floor in view.floors() if floor.post.floor == 3]
        assert "我也升级了" in third.plain_text() and third.post.author.name == "user1"
        assert view.children[-1] is view.reply_line()  # still the end of the thread
        await pilot.press("L")
        await wait_for(pilot, lambda: getattr(app.focused, "id", "") == "quick-reply")
        for key in "draft":
            await pilot.press(key)
        await pilot.press("tab")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ComposerScreen")
        assert app.screen.query_one("#composer-text").text == "draft"


async def test_a_closed_thread_ends_saying_it_takes_no_replies(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=SIZE) as pilot:
        view = await l_at_the_end(pilot, CLOSED_THREAD, member=True)
        await wait_for(pilot, lambda: told(app, "closed"))
        assert not view.query("#quick-reply")
