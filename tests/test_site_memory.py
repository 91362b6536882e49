"""A site's probe facts and smiley table are remembered for a day, so a repeat read of a site
asks only for the thread page, in one request; an old or contradicted memory makes the session
ask again."""

from __future__ import annotations

import json
import time

import pytest

from tests.test_read_command import args, forum_requests
from tui.discuz.site_memory import FRESH_SECONDS, SiteFacts, SiteMemory, sites_dir
from tui.read_command import run_read

SMILEY_THREAD = "5"  # a demo thread whose first floor has smiley pictures
THREAD_PAGE = ["viewthread"]  # v1 alone, without a session (tui.discuz.one_shot)


def read(forum_server, url: str, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], str]:
    """The API modules (or paths) one ``forum-tui read`` asked the forum for, as the forum saw
    them, and what it printed but the line of counts (each read adds a view)."""
    with forum_requests(forum_server) as asked:
        assert run_read(args(url)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert " views · page " in lines[1]
    return asked, "\n".join(lines[:1] + lines[2:])


def one_site_file() -> dict:
    (path,) = sites_dir().glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def rewrite_site_file(change) -> None:
    (path,) = sites_dir().glob("*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_repeat_read_asks_only_for_the_thread_page(
    forum_server, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{forum_server.url}forum.php?mod=viewthread&tid={SMILEY_THREAD}"
    first_asked, first_out = read(forum_server, url, capsys)
    assert first_asked[0] == "check" and "smiley" in first_asked, first_asked
    again_asked, again_out = read(forum_server, url, capsys)
    assert again_asked == THREAD_PAGE
    assert again_out == first_out and "Python 3.12" in again_out


def test_memory_older_than_a_day_is_probed_again(forum_server, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{forum_server.url}forum.php?mod=viewthread&tid={SMILEY_THREAD}"
    read(forum_server, url, capsys)

    def age(data: dict) -> None:
        for part in ("probe", "smilies"):
            data[part]["saved"] -= FRESH_SECONDS + 60

    rewrite_site_file(age)
    asked, _ = read(forum_server, url, capsys)
    assert asked[0] == "check" and "smiley" in asked, asked
    assert time.time() - one_site_file()["probe"]["saved"] < 60  # learnt afresh


def test_a_changed_charset_is_noticed_and_probed_again(
    forum_server, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{forum_server.url}forum.php?mod=viewthread&tid=1"
    _, utf8_out = read(forum_server, url, capsys)
    assert one_site_file()["probe"]["charset"] == "utf-8"
    forum_server.charset = "gbk"  # the site was converted since the last visit
    asked, gbk_out = read(forum_server, url, capsys)
    # The one-request read sees the answer's charset and leaves the page to the session, whose
    # first answer (v1) shows it the same, so it asks again.
    assert asked[:2] == ["viewthread"] * 2 and "check" in asked[2:], asked
    assert gbk_out == utf8_out and "每日打卡签到楼" in gbk_out
    assert one_site_file()["probe"]["charset"] == "gbk"


@pytest.mark.parametrize("mobile_api", ["missing", "disabled"])
def test_an_api_gone_since_the_last_visit_falls_back_to_the_web_pages(
    forum_server, capsys: pytest.CaptureFixture[str], mobile_api: str
) -> None:
    url = f"{forum_server.url}forum.php?mod=viewthread&tid=1"
    read(forum_server, url, capsys)
    forum_server.mobile_api = mobile_api
    asked, without_api = read(forum_server, url, capsys)
    assert "check" in asked and "/forum.php" in asked, asked
    assert "每日打卡签到楼" in without_api
    assert one_site_file()["probe"]["mobile_api"] is False
    asked, _ = read(forum_server, url, capsys)
    assert "check" not in asked, asked  # remembered: straight to the web pages


async def test_a_logged_in_session_writes_no_secret_to_the_site_file(forum_server) -> None:
    from tui.discuz.session import DiscuzSession
    from tui.model import LoginRequest

    session = DiscuzSession(forum_server.url)
    try:
        await session.probe()
        await session.login(LoginRequest("user1", "demo-user1"))
        await session.thread_page("5")
        await session.smilies()
        await session.probe()  # learnt again while logged in
        jar = session.api.client.cookies.jar
        secrets = [session.formhash, *(c.value for c in jar if c.name.endswith(("auth", "saltkey")))]
    finally:
        await session.aclose()
    assert len(secrets) == 3 and all(len(value) >= 8 for value in secrets)
    text = json.dumps(one_site_file())
    assert not [value for value in secrets if value in text]
    assert set(one_site_file()["probe"]) == {"saved", *SiteFacts.__dataclass_fields__}
    assert isinstance(one_site_file()["smilies"]["table"], dict)


def test_an_unreadable_or_future_dated_file_counts_as_absent(forum_server) -> None:
    memory = SiteMemory(forum_server.url)
    memory.remember_facts(SiteFacts(forum_server.url, mobile_api=True, cookie_prefix="x_2132_"))
    assert memory.facts() is not None and memory.facts().cookie_prefix == "x_2132_"
    memory.remember_smilies({":)": "https://example.org/s.gif"})
    assert memory.smilies() == {":)": "https://example.org/s.gif"}
    rewrite_site_file(lambda data: data["probe"].update(saved=time.time() + 3600))
    assert memory.facts() is None and memory.smilies() is not None
    rewrite_site_file(lambda data: data["probe"].update(saved=time.time(), charset="no-such-charset"))
    assert memory.facts() is None
    memory.path.write_text("{not json", encoding="utf-8")
    assert memory.facts() is None and memory.smilies() is None
    assert SiteMemory("https://elsewhere.example/").facts() is None
