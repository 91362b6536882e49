"""The demo forum with ``charset="gbk"`` held to the real GBK Discuz! X3.4 captures: labels,
bytes, how form input is read, and how characters outside GBK are stored and escaped."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import GBK_FIXTURES
from tui.demo.server import DemoForum

API = "api/mobile/index.php"


def captured(name: str) -> tuple[dict, bytes]:
    body = GBK_FIXTURES / name
    return json.loads(body.with_suffix(".meta.json").read_text(encoding="utf-8")), body.read_bytes()


def content_type(meta: dict) -> str:
    return next(value for name, value in meta["response"]["headers"] if name.lower() == "content-type")


@pytest.fixture(scope="module")
def gbk_forum() -> Iterator[DemoForum]:
    with DemoForum(charset="gbk") as forum:
        yield forum


@pytest.fixture
def http(gbk_forum: DemoForum) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gbk_forum.url) as client:
        yield client


def test_check_is_gbk_html_saying_charset_gbk(http: httpx.Client) -> None:
    meta, body = captured("mobile/v4_check.json")
    answer = http.get(API, params={"version": 4, "module": "check"})
    assert answer.headers["content-type"].replace(" ", "") == content_type(meta).replace(" ", "")
    assert json.loads(answer.content)["charset"] == json.loads(body)["charset"] == "gbk"


def test_mobile_json_is_ascii_under_charset_gbk(http: httpx.Client) -> None:
    meta, body = captured("mobile/v4_forumindex_guest.json")
    answer = http.get(API, params={"version": 4, "module": "forumindex"})
    assert body.isascii() and answer.content.isascii()
    assert answer.headers["content-type"] == content_type(meta) == "application/json"
    assert json.loads(answer.content)["Charset"] == json.loads(body)["Charset"] == "GBK"


@pytest.mark.parametrize(
    ("capture", "path"),
    [
        ("web/forum_index_guest.html", "forum.php"),
        ("web/login_form_guest.html", "member.php?mod=logging&action=login"),
    ],
)
def test_web_pages_are_gbk_bytes_labelled_gbk(http: httpx.Client, capture: str, path: str) -> None:
    meta, body = captured(capture)
    answer = http.get(path)
    assert content_type(meta).endswith("charset=gbk") and answer.headers["content-type"].endswith(
        "charset=gbk"
    )
    assert b"charset=gbk" in body and b'charset="gbk"' in answer.content
    answer.content.decode("gbk")  # every byte is GBK


def test_ajax_answers_declare_gbk(http: httpx.Client) -> None:
    _, body = captured("web/login_post_success_zhangsan.xml")
    answer = http.get("member.php", params={"mod": "logging", "action": "login", "inajax": 1})
    assert body.startswith(b'<?xml version="1.0" encoding="gbk"?>')
    assert answer.content.startswith(b'<?xml version="1.0" encoding="gbk"?>')
    assert answer.headers["content-type"] == "text/xml; charset=gbk"


def login_with(gbk_forum: DemoForum, form: bytes, query: str = "") -> str:
    url = f"{gbk_forum.url}{API}?version=3&module=login&loginsubmit=yes&loginfield=auto{query}"
    with httpx.Client() as client:
        answer = client.post(url, content=form, headers={"content-type": "application/x-www-form-urlencoded"})
    return json.loads(answer.content)["Message"]["messageval"]


def test_form_input_is_read_as_gbk_unless_the_url_says_utf8(gbk_forum: DemoForum) -> None:
    """As captured: GBK bytes log in, UTF-8 bytes are someone else, ``&charset=utf-8`` converts."""
    captures = {
        name: json.loads(captured(f"mobile/{name}.json")[1])["Message"]["messageval"]
        for name in ("v3_login_success_zhangsan_gbk", "v3_login_utf8_bytes_zhangsan")
    }
    password = b"&password=demo-xiaoming&questionid=0&answer="
    gbk_name = b"username=%D0%A1%C3%F7%CD%AC%D1%A7"  # 小明同学 as GBK bytes
    utf8_name = b"username=%E5%B0%8F%E6%98%8E%E5%90%8C%E5%AD%A6"
    assert login_with(gbk_forum, gbk_name + password) == captures["v3_login_success_zhangsan_gbk"]
    assert login_with(gbk_forum, utf8_name + password) == captures["v3_login_utf8_bytes_zhangsan"]
    assert login_with(gbk_forum, utf8_name + password, "&charset=utf-8") == "login_succeed"


def test_characters_outside_gbk_are_stored_as_references_and_escaped_like_the_real_api(
    gbk_forum: DemoForum,
) -> None:
    """v4 viewthread escapes the stored ``&#128512;`` twice, v1 once (see v4/v1_viewthread_tid2)."""
    v4_capture = json.loads(captured("mobile/v4_viewthread_tid2_guest.json")[1])
    v1_capture = json.loads(captured("mobile/v1_viewthread_tid2_guest.json")[1])
    assert "&amp;amp;#128512;" in v4_capture["Variables"]["postlist"][4]["message"]
    assert "&amp;#128512;" in v1_capture["Variables"]["postlist"][4]["message"]
    with httpx.Client(base_url=gbk_forum.url) as client:
        client.get(API, params={"version": 4, "module": "forumindex"})
        login = client.post(
            f"{API}?version=3&module=login&loginsubmit=yes&loginfield=auto",
            content=b"username=%D0%A1%C3%F7%CD%AC%D1%A7&password=demo-xiaoming",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        formhash = json.loads(client.get(API, params={"version": 4, "module": "forumindex"}).content)[
            "Variables"
        ]["formhash"]
        assert json.loads(login.content)["Message"]["messageval"] == "login_succeed"
        sent = client.post(
            f"{API}?version=4&module=sendreply&tid=8&replysubmit=yes",
            content=f"formhash={formhash}&message=%D6%D0%CE%C4+%26%23128512%3B+reference".encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        pid = json.loads(sent.content)["Variables"]["pid"]

        def message(version: int) -> str:
            thread = json.loads(
                client.get(API, params={"version": version, "module": "viewthread", "tid": 8}).content
            )
            return next(row["message"] for row in thread["Variables"]["postlist"] if row["pid"] == pid)

        assert message(4) == "中文 &amp;amp;#128512; reference"
        assert message(1) == "中文 &amp;#128512; reference"
