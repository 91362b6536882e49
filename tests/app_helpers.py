"""Driving the real app in Pilot tests: waiting on conditions, reading the screen as text,
logging in through the form. Every test talks to the demo forum over HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input

from tui.app import ForumApp
from tui.config import Settings
from tui.demo.accounts import DEMO_ACCOUNTS


def demo_app(url: str, settings: Settings | None = None, **options: object) -> ForumApp:
    """The app as ``forum-tui --demo`` opens it: the log-in screen with the demo accounts."""
    return ForumApp(settings or Settings(), start=url, demo_accounts=DEMO_ACCOUNTS, **options)  # type: ignore[arg-type]


async def wait_until(
    pilot: Pilot,
    condition: Callable[[], object],
    what: str | Callable[[], str],
    timeout: float = 15.0,
    *,
    interval: float = 0.05,
) -> None:
    """Poll ``condition`` while the app runs; fail naming ``what`` (a text, or a function giving
    one at failure time) and showing the screen after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            described = what() if callable(what) else what
            raise AssertionError(f"timed out waiting for {described}; screen:\n{screen_text(pilot.app)}")
        await pilot.pause(interval)


def screen_text(app: ForumApp) -> str:
    """What the terminal shows, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def on_screen(app: ForumApp, name: str) -> bool:
    """The top screen is ``name`` and has been mounted (its widgets exist)."""
    return type(app.screen).__name__ == name and app.screen.is_mounted


def problem_text(app: ForumApp) -> str:
    """The inline message line of the current screen ('' when hidden)."""
    problem = app.screen.query_one("#problem")
    return str(problem.render()) if problem.display else ""


async def fill_login(
    pilot: Pilot, username: str, password: str, *, answer: str = "", question: int = 0
) -> None:
    """Fill the log-in form and press Enter in the password field, as a user would."""
    app = pilot.app
    await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
    screen = app.screen
    screen.query_one("#question").value = question
    for field, value in (("#username", username), ("#answer", answer), ("#password", password)):
        screen.query_one(field, Input).value = value
    screen.query_one("#password", Input).focus()
    await pilot.press("enter")


async def log_in(pilot: Pilot, username: str = "user1", password: str = "demo-user1") -> None:
    """Log in through the form and wait for the board list."""
    await fill_login(pilot, username, password)
    await wait_until(pilot, lambda: on_screen(pilot.app, "BoardsScreen") and pilot.app.board_index, "boards")


async def wait_for_thread_list(pilot: Pilot) -> None:
    """Wait until a board's thread list is on top with its threads loaded."""
    app = pilot.app
    await wait_until(pilot, lambda: on_screen(app, "ThreadsScreen") and app.screen.listing, "a thread list")


async def browse_as_guest(pilot: Pilot) -> None:
    """Press "Browse as guest" on the log-in screen and wait for the board list."""
    app = pilot.app
    await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
    await pilot.click("#guest")
    await wait_until(pilot, lambda: on_screen(app, "BoardsScreen") and app.board_index, "the board list")
