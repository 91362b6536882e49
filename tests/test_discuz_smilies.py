"""The site's own smiley table (module=smiley): read once per session, used by floors and ``read``."""

from __future__ import annotations

import argparse
import asyncio
import json

import httpx
import pytest

from screens.thread import ThreadScreen
from tests.conftest import FIXTURES
from tests.thread_helpers import HostApp, OnePageSession, wait_for
from tui.content import html_to_text
from tui.discuz.replay import Replay
from tui.discuz.session import DiscuzSession
from tui.model import AuthorCard, Post, Thread, ThreadPage, Timestamp
from tui.read_command import run_read
from widgets.post import Floor

SITE = "http://127.0.0.1:8080/"
SMILEY = "mobile/v4_smiley.json"
MONKEY = SITE + "static/image/smiley/coolmonkey/01.gif"  # {:2_25:}, not in the built-in table


def smiley_session(names: list[str]) -> tuple[DiscuzSession, Replay]:
    replay = Replay(FIXTURES, names)
    return DiscuzSession(SITE, transport=replay.transport), replay


def captured_codes() -> dict[str, str]:
    """Image URL → typing code, straight from the capture (its codes are PHP regexes)."""
    groups = json.loads((FIXTURES / SMILEY).read_text(encoding="utf-8"))["Variables"]["smilies"]
    return {
        SITE + "static/image/smiley/" + smiley["image"]: smiley["code"][1:-1].replace("\\", "")
        for group in groups
        for smiley in group
    }


async def test_the_table_maps_each_image_url_to_its_code() -> None:
    session, _ = smiley_session([SMILEY])
    table = await session.smilies()
    codes = captured_codes()
    assert table[MONKEY] == "{:2_25:}"
    assert table[SITE + "static/image/smiley/grapeman/19.gif"] == "{:3_59:}"
    for url, code in codes.items():
        if "/default/" in url:
            assert url not in table  # the built-in emoji is better than ":lol"
        else:
            assert table[url] == code
    assert len([url for url in codes if "/default/" not in url]) == 40


async def test_the_table_is_read_once_per_session() -> None:
    session, replay = smiley_session([SMILEY])
    first, second = await asyncio.gather(session.smilies(), session.smilies())
    third = await session.smilies()
    assert first == second == third and first
    assert len(replay.sent("smiley")) == 1


@pytest.mark.parametrize("failure", ["not found", "error page", "network"])
async def test_a_failed_read_is_an_empty_table_once(failure: str) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if failure == "network":
            raise httpx.ConnectError("refused", request=request)
        if failure == "error page":
            return httpx.Response(500, content=b"<html>Discuz! System Error</html>")
        return httpx.Response(404, content=b"")

    session = DiscuzSession(SITE, transport=httpx.MockTransport(handler))
    assert await session.smilies() == {}
    tried = len(calls)  # a refused connection is retried (GETs only), within the extra's short deadline
    assert await session.smilies() == {}
    assert len(calls) == tried


async def test_a_site_smiley_shows_its_code_in_text_and_in_the_floor() -> None:
    session, _ = smiley_session([SMILEY])
    table = await session.smilies()
    lol = '<img src="static/image/smiley/default/lol.gif" />'
    html = f'好 <img src="{MONKEY}" smilieid="25" border="0" alt="" /> {lol}'
    assert html_to_text(html, SITE) == "好 :coolmonkey-01: 😆"
    assert html_to_text(html, SITE, smilies=table) == "好 {:2_25:} 😆"
    relative = html.replace(MONKEY, "static/image/smiley/coolmonkey/01.gif")
    assert html_to_text(relative, SITE, smilies=table) == "好 {:2_25:} 😆"

    post = Post("9", "5", 1, AuthorCard("1", "admin"), html, Timestamp("now"), base_url=SITE)
    assert "{:2_25:}" in Floor(post, smilies=table).plain_text()

    class SmileySite(OnePageSession):
        async def smilies(self) -> dict[str, str]:
            self.smiley_reads = getattr(self, "smiley_reads", 0) + 1
            return table

    thread = Thread(id="5", subject="s", board_id="2")
    fake = SmileySite(ThreadPage(thread, [post], page=1, pages=1, page_size=10))
    app = HostApp(fake, ThreadScreen(fake, "5"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.screen.view.floors())
        floor = app.screen.view.floors()[0]
        assert "{:2_25:}" in floor.plain_text() and "coolmonkey" not in floor.plain_text()
        app.screen.view.reload()
        await wait_for(pilot, lambda: not app.screen.view.is_loading)
    assert fake.smiley_reads == 1


def test_read_against_the_demo_still_shows_smilies(forum_server, capsys: pytest.CaptureFixture[str]) -> None:
    options = argparse.Namespace(url="", format="text", page=None, author=None, reverse=False, timeout=30.0)
    shown = ""
    for tid in range(1, 6):
        options.url = f"{forum_server.url}forum.php?mod=viewthread&tid={tid}"
        assert run_read(options) == 0
        shown += capsys.readouterr().out
    assert "🙂" in shown or "😆" in shown or "😁" in shown
    assert ".gif" not in shown and ":smile:" not in shown
