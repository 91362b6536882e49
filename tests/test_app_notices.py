"""Notices: brief, at the top (never over the field being typed in), plain text."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from textual.widgets._toast import Toast

from tests.app_helpers import demo_app, log_in, record_notifications, wait_until
from tests.test_app_browse import open_board

pytestmark = pytest.mark.usefixtures("memory_keyring")


async def test_the_palettes_screenshot_lands_in_downloads_made_when_missing(
    forum_server, isolated_home: Path
) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert not (isolated_home / "Downloads").exists()
        shown = record_notifications(app)
        app.action_screenshot()
        saved = list((isolated_home / "Downloads").glob("*.svg"))
        assert len(saved) == 1
        assert [(note.message, note.markup) for note in shown] == [(str(saved[0]), False)]


async def test_a_notice_does_not_cover_the_find_box(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await log_in(pilot)
        await open_board(pilot, "Python 编程")
        await pilot.press("slash")
        app.notify("Something to say with a few words in it", timeout=30)
        await wait_until(pilot, lambda: app.screen.query(Toast), "the notice drawn")
        await pilot.pause()
        find = app.screen.query_one("#find", Input).region
        assert find.y > app.size.height // 2
        assert all(not toast.region.overlaps(find) for toast in app.screen.query(Toast))
