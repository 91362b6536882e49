"""The app on kinds of site a default install is not: members only, a verification question."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from screens.thread import ThreadScreen
from tests.app_helpers import (
    boards_shown,
    cursor_floor,
    demo_app,
    displayed,
    fill_login,
    on_screen,
    problem_text,
    wait_until,
)
from tests.thread_helpers import HostApp, wait_for
from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.site import SECQAA_ANSWER, SECQAA_QUESTION
from tui.model import LoginRequest
from tui.registry import open_session

REPLY = "回答了验证问题的回复 — a reply behind a verification question."


async def test_a_members_only_forum_sends_a_guest_back_to_the_log_in_form(forum_server) -> None:
    forum_server.guests_forbidden = True
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        await pilot.click("#guest")
        await wait_until(
            pilot,
            lambda: on_screen(app, "LoginScreen") and "guests" in problem_text(app),
            "the log-in form saying guests see nothing",
        )
        await fill_login(pilot, "user1", "demo-user1")
        await wait_until(pilot, lambda: boards_shown(app), "the board list")
        assert app.context.board_index.groups


@pytest.fixture
async def member(forum_server):
    session = open_session(forum_server.url)
    account = DEMO_ACCOUNTS[1]
    await session.login(LoginRequest(username=account.username, password=account.password))
    yield session
    await session.aclose()


async def test_the_composer_asks_the_question_first_and_again_after_a_wrong_answer(
    member, forum_server
) -> None:
    forum_server.secqaa = True
    app = HostApp(member, ThreadScreen(member, "8"))
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for(pilot, lambda: cursor_floor(app) is not None)
        await pilot.press("r")
        await wait_for(
            pilot,
            lambda: (
                app.screen.query("#composer-captcha") and app.screen.query_one("#composer-captcha").display
            ),
        )
        question = str(app.screen.query_one("#composer-captcha-question").render())
        assert SECQAA_QUESTION in question  # shown before anything is sent
        app.screen.query_one("#composer-text", TextArea).insert(REPLY)
        answer = app.screen.query_one("#composer-captcha-question-answer", Input)
        answer.value = "9"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "question" in str(app.screen.query_one("#composer-message").render()))
        await wait_for(pilot, lambda: answer.value == "" and app.focused is answer)
        assert app.screen.query_one("#composer-text", TextArea).text == REPLY  # nothing lost
        await pilot.press(*SECQAA_ANSWER, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
        await wait_for(
            pilot, lambda: cursor_floor(app) is not None and REPLY in cursor_floor(app).plain_text()
        )


async def test_a_captcha_the_site_does_not_check_is_marked_optional(forum_server, monkeypatch) -> None:
    """module=secure announces it, the site's own log-in form has none: the answer may stay empty."""
    from tui.discuz.session import DiscuzSession

    forum_server.login_captcha = True
    announced = DiscuzSession.captcha_for_login

    async def unchecked(self: DiscuzSession):
        challenge = await announced(self)
        challenge.required = False
        return challenge

    monkeypatch.setattr(DiscuzSession, "captcha_for_login", unchecked)
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        await wait_until(pilot, lambda: displayed(app, "#captcha-box"), "the captcha")
        title = str(app.screen.query_one("#captcha-title").render())
        assert "optional" in title
