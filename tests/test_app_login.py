"""Logging in through the real app against the demo forum over HTTP."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import Input, OptionList

from tests.app_helpers import (
    boards_shown,
    browse_as_guest,
    demo_app,
    displayed,
    fill_login,
    log_in,
    on_screen,
    problem_text,
    screen_text,
    wait_until,
)
from tests.test_read_command import forum_requests
from tui.app import ForumApp
from tui.config import Settings
from tui.demo.server import CAPTCHA_ANSWER
from tui.saved import saved_pages_dir

pytestmark = pytest.mark.usefixtures("memory_keyring")


async def test_demo_accounts_are_listed_and_fill_the_form(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        text = screen_text(app)
        assert "user3" in text and "demo-user3" in text and "answer: blue" in text
        accounts = app.screen.query_one("#accounts", OptionList)
        accounts.focus()
        accounts.highlighted = 3  # user3, who has a security question
        await pilot.press("enter")
        assert app.screen.query_one("#username", Input).value == "user3"
        assert app.screen.query_one("#question").value == 1
        await pilot.press("enter")  # Enter in the password field logs in
        await wait_until(pilot, lambda: on_screen(app, "BoardsScreen"), "the board list")
        assert app.status.user is not None and app.status.user.username == "user3"


async def test_successful_log_in_shows_boards_and_user(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        text = screen_text(app)
        assert "Python 编程" in text
        status = text.splitlines()[-1]
        assert "user1" in status  # the status bar names who is logged in, with unread counts
        assert f"✉ {app.status.user.unread_pms} PM" in status and app.status.user.unread_pms > 0
        assert "DZ 演示社区 Demo Forum" in status


async def test_wrong_password_says_how_many_attempts_are_left(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await fill_login(pilot, "user1", "not-the-password")
        await wait_until(pilot, lambda: "attempts left" in problem_text(app), "the attempts-left message")
        assert on_screen(app, "LoginScreen")
        first = problem_text(app)
        await fill_login(pilot, "user1", "still-wrong")
        await wait_until(pilot, lambda: problem_text(app) not in ("", first), "a new message")
        assert "attempts left" in problem_text(app)
        assert app.screen.query_one("#password", Input).value == ""


async def test_lock_out_says_how_long_to_wait(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        for attempt in range(6):
            await fill_login(pilot, "user1", f"wrong-{attempt}")
            await wait_until(pilot, lambda: problem_text(app), "a log-in answer")
            if "minutes" in problem_text(app):
                break
        assert "Wait" in problem_text(app) and "minutes" in problem_text(app)


async def test_security_question_is_asked_for_then_accepted(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await fill_login(pilot, "user3", "demo-user3")
        await wait_until(pilot, lambda: "security question" in problem_text(app), "the question message")
        assert on_screen(app, "LoginScreen")
        assert app.focused is app.screen.query_one("#question")  # the picker has the focus
        await pilot.press("enter")  # and the first Enter opens it
        assert app.screen.query_one("#question").expanded
        await pilot.press("escape")
        await fill_login(pilot, "user3", "demo-user3", question=1, answer="blue")
        await wait_until(pilot, lambda: on_screen(app, "BoardsScreen"), "the board list")
        app.demo_accounts = ()  # the form as a returning user sees it: the remembered accounts
        app.show_login(forum_server.url)
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        await wait_until(pilot, lambda: app.screen.query_one("#username").value == "user3", "user3 filled in")
        assert app.screen.query_one("#question").value == 1  # the question preselected, never the answer
        assert app.screen.query_one("#answer").value == ""


async def test_captcha_is_drawn_with_its_address_and_checked(forum_server) -> None:
    forum_server.login_captcha = True
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        await wait_until(pilot, lambda: displayed(app, "#captcha-box"), "the captcha")
        drawing = str(app.screen.query_one("#captcha-image").render())
        assert "▀" in drawing and forum_server.url in drawing
        app.screen.query_one("#captcha-answer", Input).value = "0000"
        await fill_login(pilot, "user1", "demo-user1")
        await wait_until(pilot, lambda: "captcha" in problem_text(app).lower(), "the wrong-captcha message")
        await wait_until(
            pilot, lambda: app.screen.query_one("#captcha-answer", Input).value == "", "a fresh captcha"
        )
        app.screen.query_one("#captcha-answer", Input).value = CAPTCHA_ANSWER
        await fill_login(pilot, "user1", "demo-user1")
        await wait_until(pilot, lambda: on_screen(app, "BoardsScreen"), "the board list")


async def test_guest_browses_without_logging_in(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await browse_as_guest(pilot)
        assert "guest" in screen_text(app).splitlines()[-1]


async def test_remembered_user_is_logged_in_at_the_next_start(forum_server) -> None:
    first = demo_app(forum_server.url)
    async with first.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(first, "LoginScreen"), "the log-in screen")
        pilot.app.screen.query_one("#remember").value = True
        await log_in(pilot)
    again = ForumApp(Settings())  # no URL: the last account is opened
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: boards_shown(again), "boards")
        assert again.status.user is not None and again.status.user.username == "user1"
        assert "user1" in screen_text(again).splitlines()[-1]


async def test_a_remembered_account_starts_without_probing_the_site_again(forum_server) -> None:
    """What the first visit's probe learnt stands in for it: the restart's first request is the
    session check, and its answer is the board list."""
    first = demo_app(forum_server.url)
    async with first.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(first, "LoginScreen"), "the log-in screen")
        pilot.app.screen.query_one("#remember").value = True
        await log_in(pilot)
    again = ForumApp(Settings())
    with forum_requests(forum_server) as asked:
        async with again.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: boards_shown(again), "boards")
            assert "user1" in screen_text(again).splitlines()[-1]
    assert "check" not in asked and asked[0] == "forumindex", asked
    assert asked.count("forumindex") == 1, asked  # the session check's answer is the board list


async def test_last_site_unreachable_at_start_shows_the_log_in_screen_with_why(forum_server) -> None:
    first = demo_app(forum_server.url)
    async with first.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
    forum_server.stop()
    shutil.rmtree(saved_pages_dir())  # nothing of the site saved for offline reading
    again = ForumApp(Settings())
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(again, "LoginScreen"), "the log-in screen")
        assert "reach" in problem_text(again).lower()
        assert again.screen.query_one("#username", Input).value == "user1"
        assert again.screen.query_one("#password", Input).has_focus


async def test_last_site_unreachable_at_start_opens_its_saved_boards_offline(forum_server) -> None:
    first = demo_app(forum_server.url)
    async with first.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
    forum_server.stop()
    again = ForumApp(Settings())
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: boards_shown(again), "the saved board list")
        await wait_until(pilot, lambda: "offline — saved at" in screen_text(again), "the offline mark")


async def test_site_typed_in_the_form_is_used(forum_server) -> None:
    forum_server.login_captcha = True
    app = ForumApp(Settings())  # nothing saved: the form starts empty
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        assert app.screen.query_one("#site", Input).has_focus
        app.screen.query_one("#site", Input).value = forum_server.url
        await pilot.press("enter")
        await wait_until(pilot, lambda: displayed(app, "#captcha-box"), "the site's captcha")
        assert app.screen.query_one("#username", Input).has_focus
        app.screen.query_one("#captcha-answer", Input).value = CAPTCHA_ANSWER
        await fill_login(pilot, "user2", "demo-user2")
        await wait_until(pilot, lambda: boards_shown(app), "the board list")
        assert app.status.user is not None and app.status.user.username == "user2"
