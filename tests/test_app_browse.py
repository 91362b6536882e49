"""Browsing with the real app against the demo forum over HTTP: boards, thread lists,
paging, sorting, opening threads and URLs, and what happens when things go wrong."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Input

from screens.thread_list import abbreviated
from tests.app_helpers import (
    browse_as_guest,
    demo_app,
    fill_login,
    log_in,
    on_screen,
    problem_text,
    record_notifications,
    screen_text,
    wait_for_thread_list,
    wait_until,
)
from tui.app import ForumApp
from tui.config import Settings
from tui.discuz.session import DiscuzSession
from tui.model import LoginRequest, ThreadOrder
from widgets.thread_view import ThreadView

pytestmark = pytest.mark.usefixtures("memory_keyring")

OFF_TOPIC = "8"  # 24 threads: two pages of 20
PYTHON = "5"  # has a digest thread
MEMBERS_ONLY = "10"
PYTHON_THREAD = "8"  # "pyproject.toml 入门", in the Python board


async def open_board(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    """Move the board list's cursor to ``name`` with j and press Enter, as a user would."""
    app = pilot.app
    for _ in range(30):
        node = app.screen.tree.cursor_node
        if node is not None and name in node.label.plain:
            break
        await pilot.press("j")
    await pilot.press("enter")
    await wait_for_thread_list(pilot)


def subjects(app: ForumApp) -> list[str]:
    return [thread.subject for thread in app.screen.listing.threads]


async def server_subjects(url: str, board: str, **options: object) -> list[str]:
    session = DiscuzSession(url)
    try:
        return [thread.subject for thread in (await session.thread_list(board, **options)).threads]
    finally:
        await session.aclose()


async def test_board_then_thread_list_then_thread(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "Python 编程")
        text = screen_text(app)
        assert "Python 编程" in text.splitlines()[0]
        assert "【投票】你日常用的 Python 版本是？" in text
        first = app.screen.listing.threads[0]
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "the thread view")
        assert app.screen.thread_id == first.id
        await pilot.press("escape")
        await wait_until(pilot, lambda: on_screen(app, "ThreadListScreen"), "back to the thread list")
        await pilot.press("q")
        await wait_until(pilot, lambda: on_screen(app, "BoardsScreen"), "back to the boards")


async def test_n_and_p_page_through_the_thread_list(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "灌水乐园")
        page_one = subjects(app)
        assert "page 1/2" in screen_text(app).splitlines()[-1]
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen.listing.page == 2, "page 2")
        assert "page 2/2" in screen_text(app).splitlines()[-1]
        assert subjects(app) == await server_subjects(forum_server.url, OFF_TOPIC, page=2)
        assert not set(subjects(app)) & set(page_one)
        await pilot.press("n")  # there is no page 3: stays put
        await pilot.press("p")
        await wait_until(pilot, lambda: app.screen.listing.page == 1, "page 1 again")
        assert subjects(app) == page_one


async def test_sort_key_cycles_orders_and_digest_key_filters(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "Python 编程")
        for order, name in ((ThreadOrder.NEWEST, "newest"), (ThreadOrder.MOST_REPLIES, "most replies")):
            await pilot.press("s")
            await wait_until(
                pilot, lambda order=order: app.screen.listing and app.screen.order is order, name
            )
            await wait_until(pilot, lambda: not app.screen.loading_in_progress, "the sorted list")
            assert f"sorted by {name}" in screen_text(app).splitlines()[0]
            assert subjects(app) == await server_subjects(forum_server.url, PYTHON, order=order)
        await pilot.press("d")
        await wait_until(pilot, lambda: "digest only" in screen_text(app).splitlines()[0], "digest filter")
        await wait_until(pilot, lambda: not app.screen.loading_in_progress, "the digest list")
        assert app.screen.listing.threads and all(thread.digest for thread in app.screen.listing.threads)
        assert "◆" in screen_text(app)


async def test_guest_opening_members_only_board_is_asked_to_log_in(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await browse_as_guest(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: on_screen(app, "OpenTargetScreen"), "the open prompt")
        app.screen.query_one(Input).value = f"{forum_server.url}forum.php?mod=forumdisplay&fid={MEMBERS_ONLY}"
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        assert "log in" in problem_text(app).lower()
        screen = app.screen
        screen.query_one("#username", Input).value = "user4"
        screen.query_one("#password", Input).value = "demo-user4"
        screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await wait_for_thread_list(pilot)
        assert app.screen.board_id == MEMBERS_ONLY
        assert "Members Only" in screen_text(app).splitlines()[0]


async def test_server_stopped_mid_session_shows_a_message(forum_server) -> None:
    app = demo_app(forum_server.url)
    notifications = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "Python 编程")
        forum_server.stop()
        await pilot.press("n")  # nothing further; then reload
        await pilot.press("r")  # the list read before stays, saying it is the saved copy
        await wait_until(pilot, lambda: "offline — saved at" in app.status.offline, "the saved mark")
        assert any("reach" in note.message.lower() for note in notifications)
        await pilot.press("s")  # another order was never read: nothing saved to show
        await wait_until(pilot, lambda: problem_text(app), "a message")
        assert "reach" in problem_text(app).lower()
        assert on_screen(app, "ThreadListScreen") and app.is_running
        await pilot.press("q")
        await wait_until(pilot, lambda: on_screen(app, "BoardsScreen"), "the boards")


async def test_starting_with_a_thread_url_opens_that_thread(forum_server) -> None:
    app = ForumApp(Settings(), start=f"{forum_server.url}forum.php?mod=viewthread&tid=1")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "the thread view")
        assert app.screen.thread_id == "1"
        assert [type(screen).__name__ for screen in app.screen_stack][-2] == "BoardsScreen"
        view = app.screen.query_one(ThreadView)
        await wait_until(pilot, lambda: view.floors() and not view.is_loading, "the thread's first page")
        await pilot.press("escape")
        await wait_until(pilot, lambda: on_screen(app, "BoardsScreen"), "the boards below it")


async def test_starting_with_a_board_url_opens_that_board_at_that_page(forum_server) -> None:
    app = ForumApp(Settings(), start=f"{forum_server.url}forum-{OFF_TOPIC}-2.html")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_thread_list(pilot)
        assert app.screen.board_id == OFF_TOPIC and app.screen.listing.page == 2
        assert "page 2/2" in screen_text(app).splitlines()[-1]


async def test_starting_with_an_unreachable_site_says_so(forum_server) -> None:
    url = forum_server.url
    forum_server.stop()
    app = ForumApp(Settings(), start=url)
    shown = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        await wait_until(pilot, lambda: shown, "a notification")
        assert any("reach" in note.message.lower() for note in shown)


async def test_c_opens_the_new_thread_composer_and_guests_are_asked_to_log_in(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await browse_as_guest(pilot)
        app.open_board(PYTHON)
        await wait_for_thread_list(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        await fill_login(pilot, "user1", "demo-user1")
        await wait_until(pilot, lambda: on_screen(app, "ComposerScreen"), "the composer")
        assert app.screen.board_id == PYTHON and app.screen.is_new_thread
        assert "New thread in: Python 编程" in str(app.screen.query_one("#title").render())
        app.screen.query_one("#composer-subject").value = "A thread that opens once posted"
        app.screen.query_one("#composer-text").insert("Its first floor, long enough to be accepted.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "the new thread open")
        await wait_until(pilot, lambda: "A thread that opens once posted" in screen_text(app), "its subject")


def thread_shown(app: ForumApp) -> bool:
    view = app.screen.view if on_screen(app, "ThreadScreen") else None
    return view is not None and bool(view.floors()) and not view.is_loading


async def open_thread_screen(pilot, thread_id: str) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    app.open_thread(thread_id)
    await wait_until(pilot, lambda: thread_shown(app), "the thread")


async def test_r_as_a_guest_logs_in_first_and_then_opens_the_composer(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await browse_as_guest(pilot)
        await open_thread_screen(pilot, "8")
        await pilot.press("r")
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        await fill_login(pilot, "user1", "demo-user1")
        await wait_until(pilot, lambda: on_screen(app, "ComposerScreen"), "the composer")
        assert app.screen.thread_id == "8"


async def test_r_in_a_closed_thread_says_so_without_a_composer(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_thread_screen(pilot, "26")  # closed
        await pilot.press("r")
        await wait_until(pilot, lambda: any("closed" in n.message for n in app.notifications), "a word")
        assert on_screen(app, "ThreadScreen")


async def test_keys_typed_in_the_same_burst_as_r_all_reach_the_composer(forum_server) -> None:
    from textual import events

    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_thread_screen(pilot, "8")
        for key, character in (("r", "r"), ("h", "h"), ("i", "i"), ("question_mark", "?"), ("o", "o")):
            app.post_message(events.Key(key, character))  # all queued before any is handled
        await wait_until(pilot, lambda: on_screen(app, "ComposerScreen"), "the composer")
        text = app.screen.query_one("#composer-text")
        await wait_until(pilot, lambda: text.text == "hi?o", lambda: f"the typed keys, not {text.text!r}")
        assert on_screen(app, "ComposerScreen")


async def test_a_send_refused_for_want_of_a_log_in_keeps_the_text_and_sends_after_logging_in(
    forum_server,
) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_thread_screen(pilot, "8")
        await pilot.press("r")
        await wait_until(pilot, lambda: on_screen(app, "ComposerScreen"), "the composer")
        composer = app.screen
        composer.query_one("#composer-text").insert("written before the session went")
        app.context.session.api.client.cookies.clear()  # the forum forgot us meanwhile
        app.context.account = None
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        await fill_login(pilot, "user1", "demo-user1")
        await wait_until(pilot, lambda: app.screen is composer, "back in the composer")
        assert composer.query_one("#composer-text").text == "written before the session went"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "the thread with the reply")
        await wait_until(
            pilot, lambda: "written before the session went" in screen_text(app), "the reply on screen"
        )


async def test_esc_stops_a_slow_load_and_then_goes_back(
    forum_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        app.open_board(PYTHON)
        await wait_for_thread_list(pilot)
        answer = type(forum_server.site).handle
        released = threading.Event()

        def slow_answer(site, request):  # type: ignore[no-untyped-def]
            released.wait(10)  # a forum that takes its time
            return answer(site, request)

        monkeypatch.setattr(type(forum_server.site), "handle", slow_answer)
        await pilot.press("n")
        await pilot.press("r")
        await wait_until(pilot, lambda: app.screen.loading_in_progress, "the reload to start")
        assert app.screen.table.loading
        await pilot.press("escape")
        await wait_until(pilot, lambda: problem_text(app) == "Cancelled.", "the load to stop")
        assert not app.screen.table.loading and on_screen(app, "ThreadListScreen")
        released.set()
        await pilot.press("escape")
        await wait_until(pilot, lambda: on_screen(app, "BoardsScreen"), "the board list")


async def test_forum_text_is_shown_literally_without_terminal_escapes(forum_server) -> None:
    poster = DiscuzSession(forum_server.url)
    try:
        await poster.login(LoginRequest("user2", "demo-user2"))
        subject = "[red]not red[/red] \x1b]0;title\x07[b]x"
        await poster.new_thread(PYTHON, subject, "A body long enough to post.")
    finally:
        await poster.aclose()
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        app.open_board(PYTHON)
        await wait_for_thread_list(pilot)
        text = screen_text(app)
        row = next(line for line in text.splitlines() if "not red" in line)
        assert "[red]not red[/red]" in row and "[b]x" in row  # markup stays text
        assert "\x1b" not in text and "\x07" not in text  # no terminal control reaches the screen


async def test_pinning_on_a_group_heading_says_what_to_do(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: app.screen.tree.cursor_node.data is None, "the cursor on a group")
        await pilot.press("f")
        await wait_until(
            pilot, lambda: any("group" in note.message for note in app.notifications), "a word about groups"
        )


async def test_pinned_board_is_listed_first_and_stays_pinned(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "摄影天地")
        await pilot.press("q")
        await wait_until(pilot, lambda: on_screen(app, "BoardsScreen"), "the board list")
        await pilot.press("f")
        await wait_until(pilot, lambda: screen_text(app).splitlines()[1].strip() == "▼ Pinned", "the pins")
        assert "摄影天地" in screen_text(app).splitlines()[2]
    again = demo_app(forum_server.url)
    async with again.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert "摄影天地" in screen_text(again).splitlines()[2]
        await pilot.press("enter")  # the cursor starts on the first pinned board
        await wait_for_thread_list(pilot)
        assert again.screen.board_id == "9"


async def test_slash_finds_a_row_by_its_text(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "Python 编程")
        await pilot.press("slash", *"PIP 安装")
        wanted = next(i for i, subject in enumerate(subjects(app)) if "pip 安装" in subject)
        assert app.screen.cursor_row() == wanted > 0
        await pilot.press("escape")  # keeps the row and returns to the list
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "the found thread")
        assert app.screen.thread_id == app.screen_stack[-2].listing.threads[wanted].id


async def test_enter_in_find_goes_to_the_next_matching_row_and_wraps(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "Python 编程")
        screen = app.screen
        rows = [row for row in range(screen.row_count()) if "python" in screen.row_text(row).casefold()]
        assert len(rows) >= 2
        await pilot.press("slash", *"python")
        visited = [app.screen.cursor_row()]
        for _ in rows[1:]:
            await pilot.press("enter")
            visited.append(app.screen.cursor_row())
        assert visited == rows
        await pilot.press("enter")
        assert app.screen.cursor_row() == rows[0]
        await wait_until(pilot, lambda: any("from the top" in n.message for n in app.notifications), "wrap")


async def test_thread_list_columns_fit_their_content_and_the_subject_gets_the_room(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "灌水乐园")
        for _ in range(3):  # last reply → newest → most replies → most views
            await pilot.press("s")
        await wait_until(
            pilot,
            lambda: (
                app.screen.order is ThreadOrder.MOST_VIEWS
                and app.screen.listing
                and app.screen.listing.threads[1].views > 10_000
            ),
            "the most viewed after the sticky",
        )
        await pilot.pause()  # the table drawn with them
        biggest = app.screen.listing.threads[1]
        assert f"{biggest.replies}/10.4k" in screen_text(app)
        widths = {str(key.value): column.width for key, column in app.screen.table.columns.items()}
        assert widths["subject"] >= 30 and widths["subject"] > widths["last"]
        assert "✕ closed" in screen_text(app)  # the legend fits


async def test_threads_with_replies_since_the_last_visit_are_marked_new(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "Python 编程")
        listing = app.screen.listing
        assert not any(thread.is_new for thread in listing.threads)  # a first visit: nothing is new
        assert "●" not in "".join(
            str(app.screen.table.get_row_at(row)[0]) for row in range(len(listing.threads))
        )
        await pilot.press("q")
        other = DiscuzSession(forum_server.url)
        try:
            await other.login(LoginRequest(username="user2", password="demo-user2"))
            await other.reply(PYTHON_THREAD, "a reply while user1 was away")
        finally:
            await other.aclose()
        await open_board(pilot, "Python 编程")
        new = [thread.id for thread in app.screen.listing.threads if thread.is_new]
        assert new == [PYTHON_THREAD]
        row = [thread.id for thread in app.screen.listing.threads].index(PYTHON_THREAD)
        assert "●" in str(app.screen.table.get_row_at(row)[0])


def marks_of(app: ForumApp, thread_id: str) -> str:
    row = [thread.id for thread in app.screen.listing.threads].index(thread_id)
    return str(app.screen.table.get_row_at(row)[0])


async def _open_from_list_and_back(pilot, thread_id: str) -> None:  # type: ignore[no-untyped-def]
    """Move the list's cursor to the thread, open it with Enter, wait for its floors, go back."""
    app = pilot.app
    app.screen.table.move_cursor(row=[t.id for t in app.screen.listing.threads].index(thread_id))
    await pilot.press("enter")
    await wait_until(pilot, lambda: thread_shown(app), "the thread")
    await pilot.press("escape")
    await wait_until(pilot, lambda: on_screen(app, "ThreadListScreen"), "the list again")
    await pilot.pause()


async def test_a_thread_its_page_showed_closed_is_marked_closed_in_the_list(forum_server) -> None:
    """The mobile API's list says nothing of closed threads; once the thread's own page said
    closed, the list shows ✕ for it (this account, after a restart too), until a page shows it open."""
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "Python 编程")
        assert "✕" not in marks_of(app, "26")  # not known yet: the list does not say
        await _open_from_list_and_back(pilot, "26")
        assert "✕" in marks_of(app, "26")
        assert "✕" not in marks_of(app, PYTHON_THREAD)
    app = demo_app(forum_server.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot)
        await open_board(pilot, "Python 编程")
        assert "✕" in marks_of(app, "26")  # remembered
        forum_server.site.store.run("UPDATE threads SET closed = 0 WHERE tid = 26")  # a moderator opens it
        await _open_from_list_and_back(pilot, "26")
        assert "✕" not in marks_of(app, "26")


def test_big_counts_are_abbreviated_never_cut() -> None:
    assert [abbreviated(n) for n in (0, 9999, 10_000, 10_401, 999_949, 1_250_000)] == [
        "0", "9999", "10k", "10.4k", "999.9k", "1.2M"
    ]  # fmt: skip


async def test_the_mouse_opens_boards_and_threads(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        tree = app.screen.tree
        line = next(row for row in range(app.screen.row_count()) if "Python 编程" in app.screen.row_text(row))
        await pilot.click(tree, offset=(8, line))
        await wait_for_thread_list(pilot)
        assert app.screen.board_id == PYTHON
        second = app.screen.listing.threads[1]
        for _ in range(2):  # the first click moves the cursor there, the second opens
            await pilot.click("#threads", offset=(20, 2))
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "the clicked thread")
        assert app.screen.thread_id == second.id


async def test_a_bare_post_link_opens_its_thread(forum_server) -> None:
    reader = DiscuzSession(forum_server.url)
    try:
        post = (await reader.thread_page("2")).posts[-1]
    finally:
        await reader.aclose()
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await browse_as_guest(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: on_screen(app, "OpenTargetScreen"), "the open prompt")
        link = f"{forum_server.url}forum.php?mod=redirect&goto=findpost&pid={post.id}"
        app.screen.query_one(Input).value = link
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "the post's thread")
        assert app.screen.thread_id == "2" and app.screen.start_post_id == post.id
