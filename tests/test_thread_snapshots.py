"""How the thread view and the composer look, on fixed data from real captures."""

from __future__ import annotations

import time

import pytest
from textual.widgets import TextArea

from screens.composer import ComposerScreen
from screens.thread import ThreadScreen
from tests.app_helpers import cursor_floor, cursor_number
from tests.thread_helpers import HostApp, OnePageSession, captured_page, wait_for

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def fixed_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Post times show in local time: pin it so the pictures match on every machine."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def page_shown(pilot) -> None:
    """The page is laid out with its first floor focused."""
    await wait_for(pilot, lambda: cursor_floor(pilot.app) is not None)


async def last_floor_focused(pilot) -> None:
    await wait_for(pilot, lambda: cursor_number(pilot.app) == 4)


def test_a_page_with_code_quote_table_and_image(snap_compare) -> None:
    session = OnePageSession(captured_page())
    app = HostApp(session, ThreadScreen(session, "5"))
    assert snap_compare(app, terminal_size=SIZE, run_before=page_shown)


def test_the_table_and_image_floors(snap_compare) -> None:
    session = OnePageSession(captured_page())
    app = HostApp(session, ThreadScreen(session, "5"))

    async def to_the_end(pilot) -> None:
        await page_shown(pilot)
        await pilot.press("G")
        await last_floor_focused(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=to_the_end)


def test_quote_reply_composer(snap_compare) -> None:
    page = captured_page()
    session = OnePageSession(page)
    composer = ComposerScreen(session, "5", subject=page.thread.subject, quote=page.posts[1])
    app = HostApp(session, composer)

    async def type_reply(pilot) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.focused, TextArea))
        pilot.app.screen.query_one(TextArea).cursor_blink = False  # a blink would make the picture flicker
        await pilot.press(*"同意，", "enter", *"PEP 695 nice")
        composer = pilot.app.screen
        editor = composer.query_one(TextArea)

        def drawn() -> bool:  # the draft is written and the preview drawn in one go, after a quiet spell
            return getattr(composer.drafts.load(composer.draft_key), "text", "") == editor.text != ""

        await wait_for(pilot, drawn)

    assert snap_compare(app, terminal_size=SIZE, run_before=type_reply)
