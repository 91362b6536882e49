"""The Discuz! transport through ``httpx.MockTransport``: redirects never downgrade to http,
retries touch GETs only, and saved sessions keep exactly the forum's own cookies."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from tests.conftest import load_capture
from tui import errors
from tui.discuz import parse
from tui.discuz.session import DiscuzSession

SITE = "https://bbs.example.com/"
_, CHECK = load_capture("mobile/v4_check.json")
_, FORUMINDEX = load_capture("mobile/v4_forumindex_user1.json")
JSON = {"Content-Type": "application/json"}


def session_with(handler: Callable[[httpx.Request], httpx.Response], site: str = SITE) -> DiscuzSession:
    return DiscuzSession(site, transport=httpx.MockTransport(handler), deadline=5)


# ----- 12: https → http ------------------------------------------------------------------------


async def test_a_redirect_from_https_to_http_is_refused_before_anything_is_sent_in_clear() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        if request.url.scheme == "https":
            return httpx.Response(302, headers={"Location": str(request.url.copy_with(scheme="http"))})
        return httpx.Response(200, content=CHECK, headers=JSON)

    session = session_with(handler)
    with pytest.raises(errors.InsecureRedirectError) as caught:
        await session.probe()
    assert "https to plain http" in str(caught.value)
    assert [url.scheme for url in seen] == ["https"]


async def test_a_login_form_on_https_redirected_to_http_sends_no_password() -> None:
    from tui.model import LoginRequest

    posted: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" or request.url.scheme == "http":
            posted.append(request)
            return httpx.Response(200, content=b"{}", headers=JSON)
        if request.url.params.get("module") == "check":
            return httpx.Response(200, content=CHECK, headers=JSON)
        return httpx.Response(301, headers={"Location": str(request.url.copy_with(scheme="http"))})

    session = session_with(handler)
    with pytest.raises(errors.InsecureRedirectError):
        await session.login(LoginRequest("user1", "secret-password"))
    assert posted == []


# ----- 9: retries ------------------------------------------------------------------------------


async def test_gets_are_retried_on_a_refused_connection_and_a_502() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(calls) == 2:
            return httpx.Response(502, content=b"<html>Bad gateway</html>")
        return httpx.Response(200, content=FORUMINDEX, headers=JSON)

    index = await session_with(handler).board_index()
    assert index.groups and calls == ["GET", "GET", "GET"]


async def test_a_post_is_never_retried() -> None:
    posts: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posts.append(request)
            return httpx.Response(503, content=b"<html>Busy</html>", headers={"Retry-After": "0"})
        body = CHECK if request.url.params.get("module") == "check" else FORUMINDEX
        return httpx.Response(200, content=body, headers=JSON)

    session = session_with(handler)
    with pytest.raises(errors.ServerBusyError) as caught:
        await session.reply("1", "hello")
    assert len(posts) == 1 and "HTTP 503" in str(caught.value)


async def test_a_retry_after_longer_than_the_deadline_is_reported_at_once() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(429, content=b"slow down", headers={"Retry-After": "600"})

    with pytest.raises(errors.ServerBusyError) as caught:
        await session_with(handler).board_index()
    assert len(calls) == 1 and str(caught.value).endswith("Wait 600 seconds and try again.")


async def test_the_discuz_system_error_page_is_an_answer_not_a_retry() -> None:
    """Several modules answer 503 "System Error" on purpose (e.g. no captcha needed)."""
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(503, content=b"<html><title>System Error</title></html>")

    assert await session_with(handler).captcha_for_login() is None
    assert len(calls) == 1


async def test_every_httpx_failure_becomes_a_forum_error() -> None:
    for failure in (
        httpx.TooManyRedirects("loop"),
        httpx.DecodingError("bad gzip"),
        httpx.RemoteProtocolError("half"),
        httpx.ReadTimeout("slow"),
        httpx.UnsupportedProtocol("gopher"),
        httpx.LocalProtocolError("bad header"),
    ):

        def handler(request: httpx.Request, failure: Exception = failure) -> httpx.Response:
            raise failure

        with pytest.raises(errors.ForumError):
            await session_with(handler).board_index()


# ----- 13 and 14: the saved session -----------------------------------------------------------


def cookie_setting_handler(request: httpx.Request) -> httpx.Response:
    """The forum sets its session cookies; a widget on another host sets its own."""
    if request.url.host == "cdn.tracker.example":
        return httpx.Response(
            302,
            headers=[
                ("Set-Cookie", "track=me; Path=/"),
                ("Location", SITE + "api/mobile/index.php?module=check"),
            ],
        )
    headers = [
        ("Content-Type", "application/json"),
        ("Set-Cookie", "SMHx_2132_auth=secret-auth; Path=/; Secure; HttpOnly"),
        ("Set-Cookie", "SMHx_2132_saltkey=salt; Path=/; Domain=.bbs.example.com; Secure"),
        ("Set-Cookie", "SMHx_2132_lastvisit=1; Path=/forum"),
        ("Set-Cookie", "_ga=analytics; Path=/"),
    ]
    return httpx.Response(200, content=FORUMINDEX, headers=headers)


async def test_only_the_forums_own_cookies_are_saved() -> None:
    session = session_with(cookie_setting_handler)
    await session.api.send("GET", "https://cdn.tracker.example/pixel")
    await session.board_index()
    assert sorted(session.export_session()) == ["SMHx_2132_auth", "SMHx_2132_lastvisit", "SMHx_2132_saltkey"]


async def test_restored_cookies_keep_their_domain_path_and_secure_flag() -> None:
    first = session_with(cookie_setting_handler)
    await first.board_index()
    saved = json.loads(json.dumps(first.export_session()))  # as it comes back from the keyring

    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=FORUMINDEX, headers=JSON)

    again = session_with(record)
    again.restore_session(saved)
    restored = {cookie.name: cookie for cookie in again.api.client.cookies.jar}
    original = {cookie.name: cookie for cookie in first.api.client.cookies.jar if cookie.name in saved}
    assert restored.keys() == original.keys()
    for name, cookie in original.items():
        twin = restored[name]
        assert (twin.value, twin.domain, twin.path, twin.secure, twin.domain_specified, twin.expires) == (
            cookie.value,
            cookie.domain,
            cookie.path,
            cookie.secure,
            cookie.domain_specified,
            cookie.expires,
        ), name

    async def cookies_sent(url: str) -> str:
        await again.api.send("GET", url)
        return sent[-1].headers.get("cookie", "")

    assert "secret-auth" in await cookies_sent(SITE)
    assert "secret-auth" not in await cookies_sent("http://bbs.example.com/")  # Secure stays Secure
    on_subdomain = await cookies_sent("https://img.bbs.example.com/")
    assert "secret-auth" not in on_subdomain  # a host-only cookie does not widen to subdomains
    assert "SMHx_2132_saltkey=salt" in on_subdomain  # a Domain cookie stays one
    assert "lastvisit" not in await cookies_sent(SITE)
    assert "lastvisit" in await cookies_sent(SITE + "forum/x")  # its path kept


def test_a_session_saved_by_an_older_version_still_restores_host_only() -> None:
    session = session_with(cookie_setting_handler)
    session.restore_session({"SMHx_2132_auth": "plain-value"})
    (cookie,) = list(session.api.client.cookies.jar)
    assert (cookie.value, cookie.domain, cookie.secure, cookie.domain_specified) == (
        "plain-value",
        "bbs.example.com",
        True,
        False,
    )


# ----- 11: one sanitizer for every field ---------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        "a\x1b]0;pwned\x07b",
        "a\x1b]52;c;aGk=\x1b\\b",
        "a\x1b[2J\x1b[31mb",
        "a\x1bP1;2|secret\x1b\\b",
        "a\u202eb",
        "a<b>\x9b31m</b>b",
    ],
)
def test_field_text_drops_whole_escape_sequences_and_bidi_overrides(hostile: str) -> None:
    assert parse.text(hostile) == "ab"


async def test_a_session_on_a_plain_http_site_loads_no_certificate_authorities(
    forum_server, monkeypatch
) -> None:
    """Loading them takes tens of milliseconds of the start-up, and plain HTTP never needs them."""
    import ssl

    def no_authorities(*args: object, **kwargs: object) -> ssl.SSLContext:
        raise AssertionError("the certificate authorities were loaded for a plain-HTTP session")

    monkeypatch.setattr(ssl, "create_default_context", no_authorities)
    session = DiscuzSession(forum_server.url)
    try:
        await session.probe()
        assert (await session.board_index()).groups
    finally:
        await session.aclose()

