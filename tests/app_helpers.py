"""Driving the real app in Pilot tests: waiting on conditions, reading the screen as text,
logging in through the form. Every test talks to the demo forum over HTTP."""

from __future__ import annotations

import html
import re
import time
from collections import defaultdict
from collections.abc import Callable

from rich.cells import cell_len
from textual.app import App
from textual.notifications import Notification
from textual.pilot import Pilot
from textual.widgets import Input

from tui.app import ForumApp
from tui.config import Settings
from tui.demo.accounts import DEMO_ACCOUNTS


def demo_app(url: str, settings: Settings | None = None, **options: object) -> ForumApp:
    """The app as ``forum-tui --demo`` opens it: the log-in screen with the demo accounts.
    ``app.notifications`` lists what it has shown (see ``record_notifications``)."""
    app = ForumApp(settings or Settings(), start=url, demo_accounts=DEMO_ACCOUNTS, **options)  # type: ignore[arg-type]
    app.notifications = record_notifications(app)  # type: ignore[attr-defined]
    return app


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


# One run of text in Textual's SVG screenshot: its line (clip path), its x, its characters.
_SVG_TEXT = re.compile(r'<text[^>]* x="([\d.]+)"[^>]*clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>')
_SVG_CELL_WIDTH = 12.2  # Rich draws one terminal cell 0.61 × its 20px font wide


def screen_text(app: App) -> str:
    """What the terminal shows, as plain text lines, read from the public SVG screenshot
    (Textual has no public text dump): runs of text are put back at their cells."""
    lines: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for x, line, text in _SVG_TEXT.findall(app.export_screenshot()):
        characters = html.unescape(text).replace("\xa0", " ").rstrip("\n")
        lines[int(line)].append((round(float(x) / _SVG_CELL_WIDTH), characters))
    rows = []
    for number in range(app.size.height):
        row = ""
        for cell, text in sorted(lines.get(number, [])):
            row += " " * max(0, cell - cell_len(row)) + text
        rows.append(row.ljust(app.size.width - (cell_len(row) - len(row))))
    return "\n".join(rows)


def record_notifications(app: App) -> list[Notification]:
    """Every notification ``app`` shows from now on, in order (wraps the public ``App.notify``)."""
    shown: list[Notification] = []
    notify = app.notify

    def recording(
        message: str, *, title: str = "", severity="information", timeout=None, markup=True
    ) -> None:
        shown.append(Notification(message, title, severity, timeout or 0, markup=markup))
        notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = recording  # type: ignore[method-assign]
    return shown


def boards_shown(app) -> bool:
    """The board list is on screen with the site's boards loaded."""
    return on_screen(app, "BoardsScreen") and app.context.board_index is not None


def on_screen(app: ForumApp, name: str) -> bool:
    """The top screen is ``name`` and has been mounted (its widgets exist)."""
    return type(app.screen).__name__ == name and app.screen.is_mounted


def displayed(app: ForumApp, selector: str) -> bool:
    """The top screen has a widget matching ``selector`` and displays it (a part of a form made
    the first time it is needed counts as not displayed before then)."""
    return any(widget.display for widget in app.screen.query(selector))


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
    screen.query_one("#question").value = question  # a chosen question brings its answer's field
    fields = [("#username", username), ("#password", password)] + [("#answer", answer)] * bool(question)
    for field, value in fields:
        screen.query_one(field, Input).value = value
    screen.query_one("#password", Input).focus()
    await pilot.press("enter")


async def log_in(pilot: Pilot, username: str = "user1", password: str = "demo-user1") -> None:
    """Log in through the form and wait for the board list."""
    await fill_login(pilot, username, password)
    await wait_until(pilot, lambda: boards_shown(pilot.app), "boards")


async def wait_for_thread_list(pilot: Pilot) -> None:
    """Wait until a board's thread list is on top with its threads loaded."""
    app = pilot.app
    shown = lambda: on_screen(app, "ThreadListScreen") and app.screen.listing  # noqa: E731
    await wait_until(pilot, shown, "a thread list")


async def browse_as_guest(pilot: Pilot) -> None:
    """Press "Browse as guest" on the log-in screen and wait for the board list."""
    app = pilot.app
    await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
    await pilot.click("#guest")
    await wait_until(pilot, lambda: boards_shown(app), "the board list")


def cursor_floor(app: App):
    """The thread floor drawn with the cursor (the thread view has the keyboard focus), else None."""
    from widgets.thread_view import ThreadView

    view = app.focused  # the cursor is drawn while the view has the focus
    return view.focused_floor() if isinstance(view, ThreadView) else None


def cursor_number(app: App) -> int:
    """The number of the floor drawn with the cursor, else 0."""
    floor = cursor_floor(app)
    return floor.post.floor if floor is not None else 0
