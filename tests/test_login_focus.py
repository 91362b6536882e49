"""Tab on the log-in form moves the focus before the next key is delivered.

Keys that reach the app in one burst (the event loop was busy, e.g. just after start-up)
must each go to the field that is focused once the keys before them have acted.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from tests.app_helpers import demo_app, on_screen, wait_until

pytestmark = pytest.mark.usefixtures("memory_keyring")


def _burst(app, keys: list[str]) -> None:
    """Queue the keys on the app at once, as the driver does after a stall."""
    for key in keys:
        character = key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


async def test_tab_in_a_burst_of_keys_moves_to_the_password(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        username = app.screen.query_one("#username", Input)
        await wait_until(pilot, lambda: app.focused is username, "the username field focused")
        password = app.screen.query_one("#password", Input)
        _burst(app, [*"user1", "tab", *"demo-user1", "shift+tab"])
        typed = lambda: len(username.value) + len(password.value) == len("user1demo-user1")  # noqa: E731
        await wait_until(pilot, typed, "every key typed")
        await pilot.pause()
        assert (username.value, password.value) == ("user1", "demo-user1")
        assert app.focused is username
