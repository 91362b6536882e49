"""Two forums, one account each, remembered in the real OS keyring: reopening the app on
either site (or with no URL, on the last one) is logged in before a key is pressed."""

from __future__ import annotations

import pytest

from tests.app_helpers import boards_shown, demo_app, log_in, on_screen, wait_until
from tui.app import ForumApp
from tui.config import Settings
from tui.demo.server import DemoForum


async def _remember(url: str, username: str, password: str) -> None:
    app = demo_app(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        app.screen.query_one("#remember").value = True
        await log_in(pilot, username, password)


async def _signed_in_user(start: str | None) -> tuple[str, str]:
    """Open the app as a user would next time; who it shows once the board list is there."""
    app = ForumApp(Settings(), start=start)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(
            pilot,
            lambda: boards_shown(app) and app.status.user,
            "the board list, signed in",
        )
        assert app.context.session is not None
        return app.context.session.site_url, app.status.user.username


@pytest.mark.real_keyring
async def test_each_site_reopens_logged_in_as_its_own_account(forum_server, real_keyring) -> None:
    with DemoForum() as other_forum:
        await _remember(forum_server.url, "user1", "demo-user1")
        await _remember(other_forum.url, "user2", "demo-user2")

        assert await _signed_in_user(forum_server.url) == (forum_server.url, "user1")
        assert await _signed_in_user(other_forum.url) == (other_forum.url, "user2")
        # No URL: the account used last (the second site's, just reopened).
        assert await _signed_in_user(None) == (other_forum.url, "user2")
        assert await _signed_in_user(forum_server.url) == (forum_server.url, "user1")
        assert await _signed_in_user(None) == (forum_server.url, "user1")
