"""Snapshots of the log-in, board list, thread list and help screens at 100×30.

The demo forum runs with its clock frozen (seeded content and relative times like
"3 小时前" depend on it) on a fixed port (the address shows on screen), so the pictures
are the same on every run.
"""

from __future__ import annotations

import sqlite3
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

import tui.demo.site
from tests.app_helpers import demo_app, log_in, on_screen, wait_for_thread_list, wait_until
from tui.demo.seed import seed
from tui.demo.server import DATABASE_NAME, DemoForum

pytestmark = pytest.mark.usefixtures("memory_keyring")

FROZEN_NOW = 1795838400  # 2026-11-28 12:00 in the forum's time zone (UTC+8)
SNAPSHOT_PORT = 47613
SIZE = (100, 30)


def _frozen_time() -> types.SimpleNamespace:
    """The ``time`` module as the demo forum sees it, standing still at FROZEN_NOW."""
    return types.SimpleNamespace(
        time=lambda: float(FROZEN_NOW),
        strftime=time.strftime,
        gmtime=time.gmtime,
    )


@pytest.fixture
def frozen_forum(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[DemoForum]:
    """The demo forum seeded at FROZEN_NOW with its clock stopped there, on a fixed port
    (waiting a little if another run holds the port)."""
    connection = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    try:
        seed(connection, FROZEN_NOW)
    finally:
        connection.close()
    monkeypatch.setattr(tui.demo.site, "time", _frozen_time())
    deadline = time.monotonic() + 60
    while True:
        forum = DemoForum(tmp_path, port=SNAPSHOT_PORT)
        try:
            forum.start()
            break
        except OSError:
            forum.stop()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    yield forum
    forum.stop()


async def _logged_in(pilot) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot)


async def _python_board(pilot) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot)
    pilot.app.open_board("5", "Python 编程")
    await wait_for_thread_list(pilot)
    await pilot.press("j", "j")


async def _help_on_thread_list(pilot) -> None:  # type: ignore[no-untyped-def]
    await _python_board(pilot)
    await pilot.press("question_mark")
    await wait_until(pilot, lambda: on_screen(pilot.app, "HelpScreen"), "the help screen")


async def _login_form(pilot) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: on_screen(pilot.app, "LoginScreen"), "the log-in screen")
    # The screen asks the site whether it wants a captcha, which also names the site.
    await wait_until(pilot, lambda: pilot.app.site_info is not None, "the site's name")
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False  # a blinking cursor would be caught on or off at random
    await pilot.pause(0.3)


def test_login_screen(snap_compare, frozen_forum: DemoForum) -> None:
    assert snap_compare(demo_app(frozen_forum.url), terminal_size=SIZE, run_before=_login_form)


def test_board_list(snap_compare, frozen_forum: DemoForum) -> None:
    assert snap_compare(demo_app(frozen_forum.url), terminal_size=SIZE, run_before=_logged_in)


def test_thread_list(snap_compare, frozen_forum: DemoForum) -> None:
    assert snap_compare(demo_app(frozen_forum.url), terminal_size=SIZE, run_before=_python_board)


def test_help_screen(snap_compare, frozen_forum: DemoForum) -> None:
    assert snap_compare(demo_app(frozen_forum.url), terminal_size=SIZE, run_before=_help_on_thread_list)
