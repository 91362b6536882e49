"""The account's screens in the real app against the demo forum over HTTP: notifications,
messages, favourites and search, from their keys and from the command palette."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input

from screens.profile import profile_view
from tests.app_helpers import (
    browse_as_guest,
    cursor_floor,
    demo_app,
    fill_login,
    log_in,
    on_screen,
    problem_text,
    screen_text,
    wait_until,
)
from tests.test_app_session import run_command
from tui.config import Settings
from tui.demo.accounts import DEMO_ACCOUNTS
from tui.discuz.session import DiscuzSession
from tui.model import LoginRequest
from widgets.status_bar import StatusBar

pytestmark = pytest.mark.usefixtures("memory_keyring")

ACCOUNTS = {account.username: account for account in DEMO_ACCOUNTS}
POLL_THREAD = "27"  # started by user1
PYPROJECT_THREAD = "8"
WORD = "Quetzalcoatl"  # in no seeded post or title


async def as_user(url: str, username: str) -> DiscuzSession:
    session = DiscuzSession(url)
    await session.login(LoginRequest(username, ACCOUNTS[username].password))
    return session


async def reply_as(url: str, username: str, thread_id: str, text: str) -> str:
    session = await as_user(url, username)
    try:
        return (await session.reply(thread_id, text)).post_id
    finally:
        await session.aclose()


def focused_post_id(app) -> str:  # type: ignore[no-untyped-def]
    return cursor_floor(app).post.id if cursor_floor(app) is not None else ""


def said(app, words: str) -> bool:  # type: ignore[no-untyped-def]
    return any(words in note.message for note in app.notifications)


def listed(app) -> list:  # type: ignore[no-untyped-def]
    return list(getattr(app.screen, "items", []))


async def wait_for_list(pilot, screen: str) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_until(
        pilot, lambda: on_screen(app, screen) and not app.screen.loading_in_progress and listed(app), screen
    )


async def search_with_s(pilot, words: str) -> None:  # type: ignore[no-untyped-def]
    """Open search with S (from where the app is), search for ``words`` and wait for the hits."""
    await pilot.press("S")
    await wait_until(pilot, lambda: on_screen(pilot.app, "SearchScreen"), "the search screen")
    await pilot.press(*words, "enter")
    await wait_for_list(pilot, "SearchScreen")


async def test_a_reply_by_another_user_is_a_notification_that_opens_at_its_floor(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        post_id = await reply_as(forum_server.url, "user2", POLL_THREAD, "我也在用 3.12，挺好的。Me too.")
        await pilot.press("exclamation_mark")
        await wait_for_list(pilot, "NotificationsScreen")
        first = listed(app)[0]
        assert first.unread and first.post_id == post_id and "user2" in screen_text(app)
        assert "notices" not in str(app.screen.query_one(StatusBar).render())  # read now
        await pilot.press("enter")
        await wait_until(pilot, lambda: focused_post_id(app) == post_id, "the reply's floor focused")
        assert app.screen.thread_id == POLL_THREAD


async def test_the_demo_forums_own_notice_opens_the_reply_it_is_about(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("exclamation_mark")
        await wait_for_list(pilot, "NotificationsScreen")
        notice = listed(app)[0]
        assert notice.thread_id == "5" and notice.post_id
        await pilot.press("enter")
        await wait_until(pilot, lambda: focused_post_id(app) == notice.post_id, "the reply's floor focused")
        assert cursor_floor(app).post.author.name == "user2"


async def test_my_replies_show_whole_counts_at_80_columns(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("M")
        await wait_for_list(pilot, "MyThreadListScreen")
        await pilot.press("t")
        await wait_until(pilot, lambda: "My replies" in screen_text(app) and listed(app), "my replies")
        long_thread = next(line for line in screen_text(app).splitlines() if "5200" in line)
        assert "5199/10.4k" in long_thread  # the 5,200-floor thread's replies and views, not cut


async def test_notifications_from_the_palette_and_a_guest_logs_in_first(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await browse_as_guest(pilot)
        await run_command(pilot, "Notifications")
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        assert "Log in to see your notifications" in screen_text(app)
        await fill_login(pilot, "user1", "demo-user1")
        await wait_for_list(pilot, "NotificationsScreen")  # back where the user was going


async def test_background_refresh_shows_new_notices_without_moving_focus(forum_server) -> None:
    app = demo_app(forum_server.url, Settings(refresh_minutes=0.01))
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        focused = app.focused
        await reply_as(forum_server.url, "user2", POLL_THREAD, "后台刷新测试 background refresh.")
        bar = app.screen.query_one(StatusBar)
        await wait_until(pilot, lambda: "! 1 notice" in str(bar.render()), "the notice count")
        assert "1 notices" not in str(bar.render())
        assert app.focused is focused and on_screen(app, "BoardsScreen")


async def test_a_message_sent_from_the_app_arrives_in_the_other_inbox(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("P")
        await wait_for_list(pilot, "MessagesScreen")
        await pilot.press("c")
        await wait_until(pilot, lambda: on_screen(app, "OpenTargetScreen"), "the recipient prompt")
        await pilot.press(*"user4", "enter")
        await wait_until(pilot, lambda: on_screen(app, "ComposerScreen"), "the composer")
        assert "Message to: user4" in screen_text(app)
        await pilot.press(*"hello from the app")
        await pilot.press("ctrl+s")
        await wait_for_list(pilot, "MessagesScreen")
        await wait_until(
            pilot, lambda: any(item.with_name == "user4" for item in listed(app)), "the new talk"
        )
    receiver = await as_user(forum_server.url, "user4")
    try:
        inbox = await receiver.conversations()
        talk = next(item for item in inbox.items if item.with_name == "user1")
        assert talk.unread and "hello from the app" in talk.last_message
    finally:
        await receiver.aclose()


async def test_favourite_add_listed_remove_gone(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        app.open_thread(PYPROJECT_THREAD)
        await wait_until(pilot, lambda: cursor_floor(app) is not None, "the thread")
        await pilot.press("F")
        await wait_until(pilot, lambda: said(app, "Added to your favourites"), "the added note")
        await pilot.press("asterisk")
        await wait_for_list(pilot, "FavouritesScreen")
        ids = [thread.id for thread in listed(app)]
        assert PYPROJECT_THREAD in ids
        app.screen.go_to_row(ids.index(PYPROJECT_THREAD))
        await pilot.press("x")
        await wait_until(
            pilot,
            lambda: (
                PYPROJECT_THREAD not in [thread.id for thread in listed(app)]
                and not app.screen.loading_in_progress
            ),
            "the favourite gone",
        )


async def test_search_for_a_word_in_one_post_opens_the_thread_at_that_post(forum_server) -> None:
    post_id = await reply_as(forum_server.url, "user2", PYPROJECT_THREAD, f"午饭吃了 {WORD} 牌饺子。")
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        await run_command(pilot, "Search")
        await wait_until(pilot, lambda: on_screen(app, "SearchScreen"), "the search screen")
        app.screen.query_one("#search-text", Input).focus()
        await pilot.press(*WORD, "enter")
        await wait_for_list(pilot, "SearchScreen")
        assert [hit.thread_id for hit in listed(app)] == [PYPROJECT_THREAD]
        await pilot.press("enter")
        await wait_until(pilot, lambda: focused_post_id(app) == post_id, "the matching floor focused")


async def test_search_hits_fit_80_columns_with_their_whole_dates(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await search_with_s(pilot, "Python")
        await pilot.pause()
        text = screen_text(app)
        dates = [hit.time.text for hit in listed(app) if hit.time is not None]
        assert dates and all(date in text for date in dates), text


async def test_search_from_a_board_stays_in_that_board(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        app.open_board("5", "Python")
        shown = lambda: on_screen(app, "ThreadListScreen") and app.screen.listing  # noqa: E731
        await wait_until(pilot, shown, "the board")
        await search_with_s(pilot, "Python")
        assert {hit.board_id for hit in listed(app)} == {"5"}
        assert app.screen.search_query.board_id == "5"


async def test_profiles_from_the_palette_and_from_a_floor(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        await run_command(pilot, "Profile")
        await wait_until(
            pilot, lambda: on_screen(app, "ProfileScreen") and "Credits" in screen_text(app), "mine"
        )
        assert "user1" in screen_text(app) and "Registered" in screen_text(app)
        await pilot.press("escape")
        app.open_thread(PYPROJECT_THREAD)
        await wait_until(pilot, lambda: cursor_floor(app) is not None, "the thread")
        author = cursor_floor(app).post.author.name
        await pilot.press("u")
        await wait_until(
            pilot, lambda: on_screen(app, "ProfileScreen") and "Credits" in screen_text(app), "theirs"
        )
        assert f"{author}  (uid" in screen_text(app)


def test_profile_view_shows_the_sites_credit_columns_and_the_signature() -> None:
    from rich.console import Console

    from tests.conftest import FIXTURES
    from tui.discuz import parse

    data = json.loads((FIXTURES / "mobile" / "v4_profile_self_user1.json").read_text(encoding="utf-8"))
    profile = parse.profile(data["Variables"])
    profile.signature_html += "<script>alert(1)</script>\x1b[2J"
    console = Console(width=80, record=True)
    console.print(profile_view(profile, "http://127.0.0.1:8080/"))
    shown = console.export_text()
    assert "金钱" in shown and "58" in shown and "注册会员" in shown
    assert "Life is short, use Python." in shown
    assert "alert" not in shown and "\x1b" not in shown


async def test_edit_my_post_shows_the_new_text_with_the_edit_note(forum_server) -> None:
    post_id = await reply_as(forum_server.url, "user1", PYPROJECT_THREAD, "原来写的内容 first version.")
    forum_server.advance_clock(120)  # edits after a minute carry Discuz!'s note
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        app.open_thread(PYPROJECT_THREAD, post_id=post_id)
        await wait_until(pilot, lambda: focused_post_id(app) == post_id, "my reply focused")
        await pilot.press("e")
        await wait_until(pilot, lambda: on_screen(app, "ComposerScreen"), "the composer")
        area = app.screen.query_one("#composer-text")
        await wait_until(pilot, lambda: "first version" in area.text, "the post's current text")
        area.load_text("改好的内容 second version.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: said(app, "Post edited"), "the edited note")
        await wait_until(
            pilot,
            lambda: focused_post_id(app) == post_id and "second version" in cursor_floor(app).plain_text(),
            "the new text on the floor",
        )
        assert "本帖最后由 user1" in cursor_floor(app).plain_text()


async def test_editing_someone_elses_post_is_refused_plainly(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        app.open_thread(PYPROJECT_THREAD)  # started by user4
        await wait_until(pilot, lambda: cursor_floor(app) is not None, "the thread")
        await pilot.press("e")
        await wait_until(pilot, lambda: said(app, "only edit your own posts"), "the refusal")
        assert on_screen(app, "ThreadScreen")


async def test_my_replies_open_at_my_latest_reply(forum_server) -> None:
    post_id = await reply_as(forum_server.url, "user1", PYPROJECT_THREAD, "我的回复 my reply for the list.")
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("M")
        await wait_for_list(pilot, "MyThreadListScreen")
        await pilot.press("t")
        await wait_until(
            pilot,
            lambda: app.screen.replies and PYPROJECT_THREAD in [thread.id for thread in listed(app)],
            "my replies listed",
        )
        app.screen.go_to_row([thread.id for thread in listed(app)].index(PYPROJECT_THREAD))
        await pilot.press("enter")
        await wait_until(pilot, lambda: focused_post_id(app) == post_id, "my reply focused")


async def test_boards_favourited_on_the_site_are_listed_apart(forum_server) -> None:
    member = await as_user(forum_server.url, "user1")
    try:
        await member.add_favourite_board("5")
    finally:
        await member.aclose()
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("asterisk")
        await wait_until(pilot, lambda: on_screen(app, "FavouritesScreen"), "the favourites")
        await pilot.press("b")
        await wait_for_list(pilot, "FavouriteBoardsScreen")
        assert [board.id for board in listed(app)] == ["5"]
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: on_screen(app, "ThreadListScreen") and app.screen.board_id == "5", "the board"
        )


async def test_search_flood_control_is_a_plain_message_with_the_seconds(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        await search_with_s(pilot, "Python")
        box = app.screen.query_one("#search-text", Input)
        box.value = "pyproject"
        box.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Wait 10 seconds" in problem_text(app), "the flood message")
        assert listed(app) == []  # the earlier hits are not shown as this search's
        forum_server.advance_clock(10)
        await pilot.press("enter")  # the words are still in the box: Enter searches again
        await wait_for_list(pilot, "SearchScreen")
        assert not problem_text(app) and all("pyproject" in hit.subject for hit in listed(app))


async def test_rating_a_floor_lists_it_and_a_second_rating_is_refused(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        app.open_thread(PYPROJECT_THREAD)  # its first floor is user4's
        await wait_until(pilot, lambda: cursor_floor(app) is not None, "the thread")
        await pilot.press("plus")
        await wait_until(
            pilot, lambda: on_screen(app, "RateScreen") and app.screen.form is not None, "the rate form"
        )
        assert "No ratings yet." in screen_text(app)
        app.screen.query_one("#score-2", Input).value = "3"
        app.screen.query_one("#rate-reason", Input).value = "赞一个!"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: said(app, "Rated."), "the rated note")
        await pilot.press("plus")
        await wait_until(
            pilot, lambda: on_screen(app, "RateScreen") and "重复评分" in problem_text(app), "refusal"
        )
        text = screen_text(app)
        assert "金钱" in text and "+3" in text and "user1" in text and "赞一个!" in text
