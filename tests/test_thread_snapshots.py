"""How the thread view and the composer look, on fixed data from real captures."""

from __future__ import annotations

import time

import pytest
from textual.widgets import TextArea
from thread_helpers import HostApp, OnePageSession, captured_page

from screens.composer import ComposerScreen
from screens.thread import ThreadScreen

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def fixed_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Post times show in local time: pin it so the pictures match on every machine."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def settle(pilot) -> None:
    for _ in range(10):
        await pilot.pause(0.02)


def test_a_page_with_code_quote_table_and_image(snap_compare) -> None:
    session = OnePageSession(captured_page())
    app = HostApp(session, ThreadScreen(session, "5"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_the_table_and_image_floors(snap_compare) -> None:
    session = OnePageSession(captured_page())
    app = HostApp(session, ThreadScreen(session, "5"))

    async def to_the_end(pilot) -> None:
        await settle(pilot)
        await pilot.press("G")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=to_the_end)


def test_quote_reply_composer(snap_compare) -> None:
    page = captured_page()
    session = OnePageSession(page)
    composer = ComposerScreen(session, "5", subject=page.thread.subject, quote=page.posts[1])
    app = HostApp(session, composer)

    async def type_reply(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.query_one(TextArea).cursor_blink = False  # a blink would make the picture flicker
        await pilot.press(*"同意，", "enter", *"PEP 695 nice")
        await pilot.pause(0.6)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=type_reply)
