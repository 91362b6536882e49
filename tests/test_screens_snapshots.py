"""Snapshots of the log-in, board list, thread list and help screens at 100×30.

The demo forum runs with its clock frozen (seeded content and relative times like
"3 小时前" depend on it) on a free port; the app knows it by a fixed address (which shows on
screen) that its HTTP client forwards to that port, so the pictures are the same on every run.
"""

from __future__ import annotations

import sqlite3
import time
import types
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input

import tui.demo.site
import tui.registry
from tests.app_helpers import demo_app, log_in, on_screen, wait_for_thread_list, wait_until
from tui.demo.seed import seed
from tui.demo.server import DATABASE_NAME, DemoForum

pytestmark = pytest.mark.usefixtures("memory_keyring")

FROZEN_NOW = 1795838400  # 2026-11-28 12:00 in the forum's time zone (UTC+8)
SHOWN_URL = "http://127.0.0.1:47613/"  # never bound: requests to it go to the forum's real port
SIZE = (100, 30)


def _frozen_time() -> types.SimpleNamespace:
    """The ``time`` module as the demo forum sees it, standing still at FROZEN_NOW."""
    return types.SimpleNamespace(
        time=lambda: float(FROZEN_NOW),
        strftime=time.strftime,
        gmtime=time.gmtime,
    )


class _ToPort(httpx.AsyncHTTPTransport):
    """Sends every request to ``port`` on the same host, whatever port its URL names."""

    def __init__(self, port: int) -> None:
        super().__init__()
        self.port = port

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(port=self.port)
        return await super().handle_async_request(request)


@pytest.fixture
def frozen_forum(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[DemoForum]:
    """The demo forum seeded at FROZEN_NOW with its clock stopped there, reached at SHOWN_URL."""
    connection = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    try:
        seed(connection, FROZEN_NOW)
    finally:
        connection.close()
    monkeypatch.setattr(tui.demo.site, "time", _frozen_time())
    with DemoForum(tmp_path) as forum:
        direct, port = tui.registry.open_session, forum.port

        def forwarded(url: str, **options: object) -> object:
            return direct(url, **options, transport=_ToPort(port))

        monkeypatch.setattr(tui.registry, "open_session", forwarded)
        yield forum


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
    await wait_until(pilot, lambda: pilot.app.context.site_info is not None, "the site's name")
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False  # a blinking cursor would be caught on or off at random
    await pilot.pause()


def test_login_screen(snap_compare, frozen_forum: DemoForum) -> None:
    assert snap_compare(demo_app(SHOWN_URL), terminal_size=SIZE, run_before=_login_form)


def test_board_list(snap_compare, frozen_forum: DemoForum) -> None:
    assert snap_compare(demo_app(SHOWN_URL), terminal_size=SIZE, run_before=_logged_in)


def test_thread_list(snap_compare, frozen_forum: DemoForum) -> None:
    assert snap_compare(demo_app(SHOWN_URL), terminal_size=SIZE, run_before=_python_board)


def test_help_screen(snap_compare, frozen_forum: DemoForum) -> None:
    assert snap_compare(demo_app(SHOWN_URL), terminal_size=SIZE, run_before=_help_on_thread_list)
