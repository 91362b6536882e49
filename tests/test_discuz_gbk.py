"""A real GBK Discuz! X3.4 site, replayed: reading, writing and showing Chinese and emoji."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl

import httpx
import pytest

from tests.conftest import GBK_FIXTURES
from tui import errors
from tui.content import html_to_text
from tui.discuz.api import DiscuzApi
from tui.discuz.charset import decode_json, decode_page, resolve_references
from tui.discuz.replay import Replay
from tui.discuz.session import DiscuzSession
from tui.model import LoginRequest, SearchQuery

SITE = "http://127.0.0.1:8081/"
API = SITE + "api/mobile/index.php"
CHECK = "mobile/v4_check.json"
MEANT = "表情 😀 和 𠮷 字"  # what 张三 typed in the replies at floors 5-7 of tid 2


def replayed(names: Iterable[str], aliases: Mapping[str, str] | None = None) -> tuple[DiscuzSession, Replay]:
    replay = Replay(GBK_FIXTURES, names, aliases=aliases)
    return DiscuzSession(SITE, transport=replay.transport), replay


def captured_fields(name: str) -> list[tuple[str, str]]:
    meta = json.loads((GBK_FIXTURES / name).with_suffix(".meta.json").read_text(encoding="utf-8"))
    return [tuple(pair) for pair in meta["request"]["form_fields"]]


def gbk_form(request: httpx.Request) -> list[tuple[str, str]]:
    """The fields of a POST as the GBK site reads them (and proof the body is ASCII on the wire)."""
    return parse_qsl(request.content.decode("ascii"), keep_blank_values=True, encoding="gbk", errors="strict")


async def test_probe_learns_gbk_from_module_check() -> None:
    session, _ = replayed([CHECK])
    site = await session.probe()
    assert (site.charset, site.version, site.name) == ("gbk", "X3.2", "Discuz! Board")
    assert session.api.charset == "gbk" and session.cookie_prefix == "EcEa_2132_"


async def test_board_index_and_thread_list_read_chinese_names() -> None:
    session, _ = replayed(["mobile/v4_forumindex_guest.json", "mobile/v4_forumdisplay_fid36_guest.json"])
    index = await session.board_index()
    assert [board.name for board in index.groups[0].boards] == ["灌水区 Chat", "技术讨论 Tech"]
    listed = await session.thread_list("36")
    assert listed.threads[0].subject == "技术讨论：GBK 与 UTF-8 有什么区别？"


async def test_thread_view_shows_the_characters_gbk_cannot_hold() -> None:
    """v4 escapes the stored ``&#128512;`` twice, v1 once; both read as the poster meant."""
    session, replay = replayed(
        [CHECK, "mobile/v4_viewthread_tid2_guest.json", "mobile/v1_viewthread_tid2_guest.json"]
    )
    await session.probe()
    page = await session.thread_page("2")
    assert replay.unmatched == [r for r in replay.unmatched if r.url.params.get("module") == "profile"]
    bodies = {post.floor: html_to_text(post.html) for post in page.posts}
    assert all(MEANT in bodies[floor] for floor in (5, 6, 7))
    assert "&#" not in "".join(bodies.values())
    assert page.thread.subject == "技术讨论：GBK 与 UTF-8 有什么区别？"


async def test_v4_alone_double_escaped_references_resolve_too() -> None:
    session, _ = replayed([CHECK, "mobile/v4_viewthread_tid2_guest.json"])
    await session.probe()
    page = await session.thread_page("2")  # the v1 read finds nothing: v4 bodies only
    assert MEANT in html_to_text(page.posts[4].html)


def test_only_references_the_charset_forced_are_resolved() -> None:
    typed = "&#20013; &amp;lt;b&amp;gt; &amp;amp;#128512; &#x1F600; &#0; &#55357;"
    assert resolve_references(typed, "gbk") == "&#20013; &amp;lt;b&amp;gt; 😀 😀 &#0; &#55357;"
    assert resolve_references(typed, "utf-8") == typed  # a UTF-8 site sends 😀 itself
    assert resolve_references("&#128512; &#21488;", "big5") == "😀 &#21488;"  # 台 is in BIG5


def test_mobile_json_is_read_by_its_declared_charset() -> None:
    body = (GBK_FIXTURES / CHECK).read_bytes()
    assert json.loads(decode_json(body, "text/html; charset=gbk"))["sitename"] == "Discuz! Board"
    raw = '{"Version":"4","Charset":"GBK","Variables":{"name":"灌水区"}}'.encode("gbk")
    assert json.loads(decode_json(raw, "application/json"))["Variables"]["name"] == "灌水区"


def test_web_pages_decode_by_header_meta_or_xml_declaration() -> None:
    page = (GBK_FIXTURES / "web/viewthread_tid2_guest.html").read_bytes()
    assert "技术讨论：GBK 与 UTF-8 有什么区别？" in decode_page(page, None)  # the <meta> alone
    answer = (GBK_FIXTURES / "web/reply_post_success_zhangsan.xml").read_bytes()
    assert decode_page(answer, None).startswith('<?xml version="1.0" encoding="gbk"?>')
    assert decode_page("<?xml version='1.0' encoding='gbk'?><a>中文</a>".encode("gbk"), None).endswith(
        "<a>中文</a>"
    )


async def test_web_page_text_shows_the_poster_meant() -> None:
    """The web viewthread escapes the stored reference once; ``Answer.text`` resolves it."""
    replay = Replay(
        GBK_FIXTURES,
        [],
        aliases={"web/viewthread_tid2_guest.html": f"GET {SITE}forum.php?mod=viewthread&tid=2"},
    )
    api = DiscuzApi(SITE, transport=replay.transport)
    api.charset = "gbk"
    answer = await api.send("GET", "forum.php", params={"mod": "viewthread", "tid": "2"})
    assert "😀" in answer.text and "&amp;#128512;" not in answer.text
    await api.aclose()


async def test_secure_with_null_variables_means_no_captcha() -> None:
    session, _ = replayed([CHECK, "mobile/v4_secure_login.json"])
    await session.probe()
    assert await session.captcha_for_login() is None


async def test_login_sends_a_chinese_username_as_gbk_bytes() -> None:
    session, replay = replayed(
        [CHECK],
        aliases={
            "web/login_form_guest.html": f"GET {SITE}member.php?mod=logging&action=login&infloat=yes"
            "&handlekey=login&inajax=1&ajaxtarget=fwin_content_login",
            "web/login_post_success_zhangsan.xml": f"POST {SITE}member.php?mod=logging&action=login"
            "&loginsubmit=yes&inajax=1&loginhash=LgTCt",
            "mobile/v4_profile_uid3_zhangsan.json": f"GET {API}?version=4&module=forumindex",
        },
    )
    user = await session.login(LoginRequest("张三", "secret-password"))
    assert (user.uid, user.username) == ("2", "张三")
    posted = next(r for r in replay.requests if r.method == "POST")
    assert b"username=%D5%C5%C8%FD" in posted.content
    assert (
        dict(gbk_form(posted))["username"]
        == dict(captured_fields("web/login_post_success_zhangsan.xml"))["username"]
    )


async def test_mobile_login_failure_keeps_the_sites_own_words() -> None:
    session, _ = replayed(
        [CHECK],
        aliases={
            "mobile/v3_login_utf8_bytes_zhangsan.json": f"POST {API}?version=4&module=login"
            "&loginsubmit=yes&loginfield=auto"
        },
    )
    await session.probe()
    with pytest.raises(errors.WrongPasswordError) as caught:
        await session.login(LoginRequest("张三", "secret-password"))
    assert caught.value.attempts_left == 4 and "4 attempts left" in str(caught.value)


async def test_reply_goes_out_as_gbk_with_references_for_emoji() -> None:
    session, replay = replayed(
        [CHECK, "mobile/v4_profile_uid3_zhangsan.json"],
        aliases={
            "mobile/v4_sendreply_tid2_gbk_zhangsan.json": f"POST {API}?version=4&module=sendreply"
            "&tid=2&replysubmit=yes",
            "mobile/v4_profile_uid3_zhangsan.json": f"GET {API}?version=4&module=forumindex",
        },
    )
    result = await session.reply("2", "GBK 接口回复测试：中文正常，表情 😀 用数字实体发送。")
    assert (result.thread_id, result.post_id) == ("2", "33")
    posted = replay.sent("sendreply")[0]
    assert [pair for pair in gbk_form(posted) if pair[0] == "message"] == [
        pair for pair in captured_fields("mobile/v4_sendreply_tid2_gbk_zhangsan.json") if pair[0] == "message"
    ]


async def test_query_values_go_out_in_the_site_charset() -> None:
    replay = Replay(GBK_FIXTURES, [])
    api = DiscuzApi(SITE, transport=replay.transport)
    api.charset = "gbk"
    await api.send("GET", "home.php", params={"mod": "space", "username": "张三"})
    assert replay.requests[0].url.raw_path.endswith(b"username=%D5%C5%C8%FD")
    await api.aclose()


async def test_search_on_the_gbk_site_sends_terms_in_gbk_and_reads_the_results() -> None:
    session, replay = replayed(
        [CHECK, "web/search_form_zhangsan.html", "web/search_submit_zhangsan.html"],
        aliases={
            "web/search_result_zhangsan.html": f"GET {SITE}search.php?mod=forum&searchid=2&orderby=lastpost"
            "&ascdesc=desc&searchsubmit=yes"
        },
    )
    found = await session.search(SearchQuery(text="GBK 技术 😀"))
    assert [result.thread_id for result in found.items] == ["2", "1"]
    assert "技术讨论：GBK 与 UTF-8 有什么区别？" in [result.subject for result in found.items]
    posted = next(r for r in replay.requests if r.method == "POST")
    assert dict(gbk_form(posted))["srchtxt"] == "GBK 技术 &#128512;"


async def test_an_older_plugin_is_asked_for_the_api_version_it_offers() -> None:
    """module=check names the newest API version; a plugin offering 2 is not asked for 4."""
    older = json.loads((GBK_FIXTURES / CHECK).read_text(encoding="ascii"))
    older["version"] = "2"
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.params["module"] == "check":
            return httpx.Response(200, json=older, headers={"content-type": "text/html; charset=gbk"})
        return httpx.Response(200, content=(GBK_FIXTURES / "mobile/v4_forumindex_guest.json").read_bytes())

    session = DiscuzSession(SITE, transport=httpx.MockTransport(handle))
    await session.probe()
    index = await session.board_index()
    assert index.groups[0].boards[0].name == "灌水区 Chat"
    assert seen[-1].url.params["version"] == "2"
