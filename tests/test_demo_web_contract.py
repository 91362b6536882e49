"""Contract tests: the demo forum's desktop pages have the structure of the real X3.5 pages.

For each captured web page a client reads when the mobile API is missing (board list, thread
lists, thread pages, log-in and post forms, refusals), the same request goes to the demo forum
running without its mobile API, logged in first as the capture's user. The answer must have
the same status and content type, the same structural landmarks (the ids, classes and forms
the default template gives those pages) and the same hidden fields in each form that gets
posted back: those are what a client finds its way by.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import FIXTURES
from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.server import DemoForum

ACCOUNTS = {account.username: account for account in DEMO_ACCOUNTS}
PAGES = [
    "forum_index_guest",
    "forum_index_user5",
    "forumdisplay_fid5_guest",
    "forumdisplay_fid8_page2_guest",
    "forumdisplay_fid10_guest",
    "forumdisplay_fid10_user5",
    "forumdisplay_fid999_guest",
    "viewthread_tid1_p1_guest",
    "viewthread_tid1_p2_guest",
    "viewthread_tid1_p13_guest",
    "viewthread_tid1_p1_user5",
    "viewthread_tid5_guest",
    "viewthread_tid25_hide_guest",
    "viewthread_tid27_poll_guest",
    "viewthread_tid28_image_guest",
    "login_form",
    "login_form_captcha_on",
    "post_form_reply_user2",
    "post_form_newthread_fid6_user2",
]
SETTINGS: dict[str, dict[str, object]] = {"login_form_captcha_on": {"login_captcha": True}}
# Landmarks of the default template that a client relies on.
LANDMARKS = (
    "#hd",
    "#pt a.nvhm",
    "#frt em",
    "#ft p.xs0",
    "input[name=formhash]",
    "#um strong.vwmy a",
    "#lsform",
    "div[id^=category_] table.fl_tb h2 a",
    "td.fl_i span.xi2",
    "td.fl_by cite",
    "#threadlisttableid",
    "tbody[id^=normalthread_] a.xst",
    "tbody[id^=stickthread_] i.tpin",
    "td.num a",
    "td.num em",
    "td.by cite a",
    "span.tdigest",
    "div[id^=subforum_] h2 a",
    "div.pg strong",
    "div.pg label span[title]",
    "#postlist",
    "#thread_subject",
    "#postlist > div[id^=post_]",
    "td.t_f[id^=postmessage_]",
    "em[id^=authorposton]",
    "a[id^=postnum]",
    "div.favatar .authi a",
    "div.favatar .tns p",
    "div.favatar a[href*=usergroup]",
    "form#poll .pinf",
    "form#poll label[for^=option_]",
    "form#fastpostform",
    "#messagetext p",
    "#messagelogin",
    "form[name=login]",
    "form[name=login] span[id^=seccode_]",
    "form#postform",
    "form#postform textarea[name=message]",
)
FORMS = ("form[name=login]", "form#postform", "form#fastpostform", "form#poll")


def _meta(name: str) -> dict:
    return json.loads((FIXTURES / "web" / f"{name}.meta.json").read_text(encoding="utf-8"))


def _landmarks(page: LexborHTMLParser) -> set[str]:
    return {selector for selector in LANDMARKS if page.css_first(selector) is not None}


def _posted_back(page: LexborHTMLParser) -> dict[str, set[str]]:
    """Each form's hidden fields and text areas: what a client must send back."""
    return {
        selector: {
            node.attributes.get("name") or ""
            for node in form.css("input[type=hidden], textarea")
            if node.attributes.get("name")
        }
        for selector in FORMS
        if (form := page.css_first(selector)) is not None
    }


def _kind(headers: list[list[str]] | httpx.Headers) -> str:
    value = (
        headers.get("content-type", "")
        if isinstance(headers, httpx.Headers)
        else next((v for k, v in headers if k.lower() == "content-type"), "")
    )
    return value.split(";")[0].strip().lower()


def _web_login(http: httpx.Client, username: str) -> None:
    answer = http.post(
        "member.php?mod=logging&action=login&loginsubmit=yes&inajax=1",
        data={"username": username, "password": ACCOUNTS[username].password, "questionid": "0"},
    )
    assert "succeedhandle_" in answer.text


@pytest.mark.parametrize("name", PAGES)
def test_demo_page_has_the_structure_of_the_capture(name: str) -> None:
    meta = _meta(name)
    real = LexborHTMLParser((FIXTURES / "web" / f"{name}.html").read_text(encoding="utf-8"))
    target = urlsplit(meta["request"]["url"])
    with (
        DemoForum(mobile_api="missing", **SETTINGS.get(name, {})) as forum,
        httpx.Client(base_url=forum.url, timeout=10) as http,
    ):
        user = meta["request"]["logged_in_as"]
        if user in ACCOUNTS:
            _web_login(http, user)
        answer = http.get(target.path.lstrip("/") + (f"?{target.query}" if target.query else ""))
    ours = LexborHTMLParser(answer.text)
    assert (answer.status_code, _kind(answer.headers)) == (
        meta["response"]["status"],
        _kind(meta["response"]["headers"]),
    )
    assert _landmarks(ours) == _landmarks(real)
    assert _posted_back(ours) == _posted_back(real)
