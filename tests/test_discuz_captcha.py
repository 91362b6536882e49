"""Captchas and verification questions: asked only where the site checks them, sent on every path."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import httpx
import pytest

from tests.conftest import FIXTURES
from tui import errors
from tui.demo.server import DemoForum
from tui.demo.site import CAPTCHA_ANSWER
from tui.discuz.replay import Replay
from tui.discuz.session import DiscuzSession
from tui.model import CaptchaChallenge, LoginRequest

SITE = "http://127.0.0.1:8080/"
API = SITE + "api/mobile/index.php"
WEB_LOGIN_FORM = (
    f"GET {SITE}member.php?mod=logging&action=login&infloat=yes&handlekey=login&inajax=1"
    "&ajaxtarget=fwin_content_login"
)
CAPTCHA_ON = {
    "mobile/v4_secure_login_captcha_on.json": f"GET {API}?version=4&module=secure&type=login",
    # the captcha page named by that answer (captured for another sechash; it names its image)
    "mobile/v4_seccodehtml.html": f"GET {API}?module=seccodehtml&sechash=x66x1F6f&version=4",
}


def replayed(names: list[str], aliases: dict[str, str]) -> tuple[DiscuzSession, Replay]:
    replay = Replay(FIXTURES, names, aliases=aliases)
    return DiscuzSession(SITE, transport=replay.transport), replay


def secure_answer() -> dict:
    return json.loads((FIXTURES / "mobile/v4_secure_login_captcha_on.json").read_text(encoding="utf-8"))


def captcha_on_with_form(form: str) -> DiscuzSession:
    """A site with the log-in captcha rule on, serving ``form`` as its web log-in form."""
    return replayed(["mobile/v4_seccode_image.png"], {**CAPTCHA_ON, form: WEB_LOGIN_FORM})[0]


async def test_login_captcha_is_required_when_the_web_form_carries_it() -> None:
    session = captcha_on_with_form("web/login_form_captcha_on.html")
    challenge = await session.captcha_for_login()
    assert challenge is not None and challenge.required and challenge.image.startswith(b"\x89PNG")


async def test_login_captcha_is_optional_when_the_web_form_has_none() -> None:
    """module=secure announces it, but the form the site itself serves asks nothing."""
    session = captcha_on_with_form("web/login_form_inajax.xml")
    challenge = await session.captcha_for_login()
    assert challenge is not None and not challenge.required


async def test_a_refusal_for_the_missing_captcha_makes_it_required() -> None:
    session, _ = replayed(
        ["mobile/v4_seccode_image.png"],
        {
            **CAPTCHA_ON,
            "web/login_form_inajax.xml": WEB_LOGIN_FORM,
            "mobile/v4_login_captcha_missing.json": f"POST {API}?version=4&module=login&loginsubmit=yes"
            "&loginfield=auto",
        },
    )
    with pytest.raises(errors.CaptchaRequiredError):
        await session.login(LoginRequest("user1", "pw"))
    challenge = await session.captcha_for_login()
    assert challenge is not None and challenge.required


def answering(data: dict, seen: list[httpx.Request]) -> httpx.MockTransport:
    """A site whose module=secure asks ``data`` and whose replies succeed."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        module = request.url.params.get("module")
        if module == "secure":
            return httpx.Response(200, json=data)
        reply = {"Variables": {"tid": "3", "pid": "9", "formhash": "abcd1234"}}
        if module == "sendreply":
            reply["Message"] = {"messageval": "post_reply_succeed", "messagestr": ""}
        return httpx.Response(200, json=reply)

    return httpx.MockTransport(handle)


async def test_a_verification_question_is_offered_and_its_answer_sent() -> None:
    asked = secure_answer()
    asked["Variables"].pop("seccode")
    asked["Variables"]["secqaa"] = "本论坛的名字是什么？"
    seen: list[httpx.Request] = []
    session = DiscuzSession(SITE, transport=answering(asked, seen))
    challenge = await session.captcha_for_post()
    assert challenge is not None and challenge.question == "本论坛的名字是什么？" and challenge.image == b""
    await session.reply("3", "回复", captcha=challenge, question_answer="测试论坛")
    sent = dict(parse_qsl(seen[-1].content.decode("ascii")))
    assert (sent["secqaahash"], sent["secanswer"]) == (challenge.token, "测试论坛")
    assert "seccodeverify" not in sent


async def test_message_captcha_fields_go_with_a_private_message() -> None:
    seen: list[httpx.Request] = []
    session = DiscuzSession(SITE, transport=answering({}, seen))
    challenge = CaptchaChallenge(token="tok12345", image=b"png", image_url=SITE + "x.png", question="1+1=?")
    await session.send_pm("5", "你好", captcha=challenge, captcha_answer="ab12", question_answer="2")
    sent = dict(parse_qsl(seen[-1].content.decode("ascii")))
    assert sent["seccodeverify"] == "ab12" and sent["secanswer"] == "2" and sent["seccodehash"] == "tok12345"


def test_a_wrong_question_answer_is_a_captcha_refusal() -> None:
    from tui.discuz.messages import error_for

    error = error_for("submit_secqaa_invalid", "mobile:submit_secqaa_invalid")
    assert isinstance(error, errors.CaptchaWrongError) and "question" in str(error)


class CountingTransport(httpx.AsyncHTTPTransport):
    """Real HTTP that notes every request sent."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return await super().handle_async_request(request)


async def test_a_log_in_with_a_captcha_reads_the_log_in_form_once() -> None:
    """The form read to see whether the captcha is checked is the one the log-in then posts."""
    counting = CountingTransport()
    with DemoForum(login_captcha=True) as forum:
        session = DiscuzSession(forum.url, transport=counting)
        try:
            challenge = await session.captcha_for_login()
            assert challenge is not None and challenge.required
            request = LoginRequest("user1", "demo-user1", captcha=challenge, captcha_answer=CAPTCHA_ANSWER)
            user = await session.login(request)
        finally:
            await session.aclose()
    reads = [(asked.method, asked.url.params.get("action")) for asked in counting.sent]
    assert user.username == "user1"
    assert reads.count(("GET", "login")) == 1  # the log-in form, read once
