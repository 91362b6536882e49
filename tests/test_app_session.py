"""Sessions over time against the demo forum: an expired session logs in again once with
the remembered password (else the log-in screen asks), the keyring's trouble is told once,
and the command palette's forum commands work."""

from __future__ import annotations

import threading

import keyring
import pytest
from keyring.backends import fail
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from tests.app_helpers import (
    boards_shown,
    demo_app,
    fill_login,
    log_in,
    on_screen,
    problem_text,
    screen_text,
    wait_for_thread_list,
    wait_until,
)
from tui.app import ForumApp
from tui.config import Settings

MEMBERS_ONLY = "10"


def expire_every_session(forum) -> None:  # type: ignore[no-untyped-def]
    """The forum forgets every log-in, as when a site rotates its key or sessions time out."""
    forum.site.secret = "rotated-" + forum.site.secret


async def remembered_log_in(pilot, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
    app.screen.query_one("#remember").value = True
    await log_in(pilot, username, password)


@pytest.mark.usefixtures("memory_keyring")
async def test_expired_session_logs_in_again_with_the_remembered_password(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await remembered_log_in(pilot, "user4", "demo-user4")
        expire_every_session(forum_server)
        app.open_board(MEMBERS_ONLY)
        await wait_for_thread_list(pilot)
        assert "Members Only" in screen_text(app).splitlines()[0]
        assert app.status.user is not None and app.status.user.username == "user4"


@pytest.mark.usefixtures("memory_keyring")
async def test_expired_session_without_a_saved_password_asks_to_log_in(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "user4", "demo-user4")
        expire_every_session(forum_server)
        app.open_board(MEMBERS_ONLY)
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        assert "log in" in problem_text(app).lower()
        await fill_login(pilot, "user4", "demo-user4")
        await wait_for_thread_list(pilot)


async def test_unusable_keyring_is_told_once_and_log_in_still_works(forum_server) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        app = demo_app(forum_server.url)
        async with app.run_test(size=(100, 30)) as pilot:
            await remembered_log_in(pilot, "user1", "demo-user1")
            app.open_board("8")
            await wait_for_thread_list(pilot)
            warnings = [note for note in app.notifications if "keyring" in note.message.lower()]
            assert len(warnings) == 1
            assert "nothing is saved" in warnings[0].message
    finally:
        keyring.set_keyring(previous)


def first_match(app) -> str:  # type: ignore[no-untyped-def]
    """The highlighted line of the open command palette ('' while it shows none)."""
    commands = app.screen.query_one(CommandList)
    if commands.highlighted is None or not commands.option_count:
        return ""
    return str(commands.get_option_at_index(commands.highlighted).prompt)


async def pick(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` into the open palette, wait for a match that contains it, take it."""
    await pilot.press(*text)
    matches = lambda: text.lower() in first_match(pilot.app).lower()  # noqa: E731
    await wait_until(pilot, matches, lambda: f"a palette match for {text!r}, not {first_match(pilot.app)!r}")
    await pilot.press("enter")


async def run_command(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open the palette with Ctrl+P and run the command matching ``text``."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: CommandPalette.is_open(app), "the command palette")
    await pick(pilot, text)


@pytest.mark.usefixtures("memory_keyring")
async def test_palette_goes_to_a_board_opens_a_thread_and_logs_out(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await run_command(pilot, "go to board")
        await wait_until(pilot, lambda: CommandPalette.is_open(app), "the board picker")
        await pick(pilot, "Photography")
        await wait_for_thread_list(pilot)
        assert app.screen.board_id == "9"

        await run_command(pilot, "open thread")
        await wait_until(pilot, lambda: on_screen(app, "OpenTargetScreen"), "the open prompt")
        app.screen.query_one(Input).value = "2"
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "thread 2")
        assert app.screen.thread_id == "2"

        dark = app.current_theme.dark
        await run_command(pilot, "toggle theme")
        await wait_until(pilot, lambda: app.current_theme.dark is not dark, "the other theme")

        await run_command(pilot, "log out")
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        assert app.status.user is None
        assert "guest" in screen_text(app).splitlines()[-1]


@pytest.mark.usefixtures("memory_keyring")
async def test_signing_in_shows_in_the_status_bar_until_the_boards_appear(forum_server, monkeypatch) -> None:
    first = demo_app(forum_server.url)
    async with first.run_test(size=(100, 30)) as pilot:
        await remembered_log_in(pilot, "user1", "demo-user1")
    answer = type(forum_server.site).handle
    released = threading.Event()

    def slow_answer(site, request):  # type: ignore[no-untyped-def]
        released.wait(10)
        return answer(site, request)

    monkeypatch.setattr(type(forum_server.site), "handle", slow_answer)
    again = ForumApp(Settings())
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "Signing in…" in screen_text(again).splitlines()[-1], "Signing in…")
        assert not on_screen(again, "BoardsScreen")
        released.set()
        await wait_until(pilot, lambda: boards_shown(again), "the boards")
        status = screen_text(again).splitlines()[-1]
        assert "user1" in status and "Signing in…" not in status
