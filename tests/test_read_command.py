"""``forum-tui read``: one thread page on stdout as text, markdown or JSON, errors on stderr."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.conftest import FIXTURES
from tui.discuz.replay import Replay
from tui.read_command import run_read

SITE = "http://127.0.0.1:8080/"
CHECK = "mobile/v4_check.json"


def args(url: str, fmt: str = "text", **options: object) -> argparse.Namespace:
    values = {"page": None, "author": None, "reverse": False, "format": fmt, "timeout": 30.0, **options}
    return argparse.Namespace(url=url, **values)


def test_json_shape_for_the_last_page(capsys: pytest.CaptureFixture[str]) -> None:
    replay = Replay(FIXTURES, [CHECK, "mobile/v4_viewthread_tid1_p13.json"])
    code = run_read(args(SITE + "thread-1-13-1.html", "json"), transport=replay.transport)
    out = capsys.readouterr()
    assert code == 0 and out.err == ""
    document = json.loads(out.out)
    assert set(document) == {"thread", "posts"}
    assert set(document["thread"]) == {"tid", "subject", "author", "replies", "views", "pages", "page"}
    assert document["thread"]["tid"] == "1" and document["thread"]["page"] == 13
    assert document["thread"]["pages"] == 13 and document["thread"]["author"] == "user1"
    posts = document["posts"]
    assert [post["floor"] for post in posts] == [121, 122, 123, 124, 125, 126]
    assert set(posts[0]) == {"pid", "floor", "author", "authorid", "time", "text"}
    assert posts[0]["author"] == "admin" and posts[0]["authorid"] == "1"
    assert posts[0]["time"].startswith("2026-") and "+00:00" in posts[0]["time"]
    assert "Milestone post #121" in posts[0]["text"] and "<strong>" not in posts[0]["text"]


def test_json_text_keeps_code_blocks(capsys: pytest.CaptureFixture[str]) -> None:
    replay = Replay(
        FIXTURES, [CHECK, "mobile/v4_viewthread_tid5_code.json", "mobile/v1_viewthread_tid5.json"]
    )
    code = run_read(args(SITE + "forum.php?mod=viewthread&tid=5", "json"), transport=replay.transport)
    assert code == 0
    first = json.loads(capsys.readouterr().out)["posts"][0]
    assert "sys.version_info" in first["text"]


def test_text_format_shows_floors_and_authors(capsys: pytest.CaptureFixture[str]) -> None:
    replay = Replay(FIXTURES, [CHECK, "mobile/v4_viewthread_tid1_authorid2.json"])
    code = run_read(args(SITE + "forum.php?mod=viewthread&tid=1", author="2"), transport=replay.transport)
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == "【水楼】每日打卡签到楼 Daily check-in thread"
    assert "#1 user1 · " in out and "admin" not in out
    assert "\x1b" not in out


def test_markdown_format_has_a_heading_per_floor(capsys: pytest.CaptureFixture[str]) -> None:
    replay = Replay(FIXTURES, [CHECK, "mobile/v4_viewthread_tid27_poll_guest.json"])
    code = run_read(args(SITE + "thread-27-1-1.html", "markdown"), transport=replay.transport)
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("# 【投票】")
    assert "### #1 user1" in out and "Python 3.11: 3 (60%)" in out


def test_post_link_prints_the_page_holding_the_post(capsys: pytest.CaptureFixture[str]) -> None:
    replay = Replay(
        FIXTURES,
        [CHECK, "web/redirect_findpost.html"],
        aliases={
            "mobile/v4_viewthread_tid1_p3_user1.json": "GET "
            + SITE
            + "api/mobile/index.php?version=4&module=viewthread&tid=1&page=3"
        },
    )
    code = run_read(
        args(SITE + "forum.php?mod=redirect&goto=findpost&pid=54&ptid=1", "json"), transport=replay.transport
    )
    document = json.loads(capsys.readouterr().out)
    assert code == 0 and document["thread"]["page"] == 3
    assert "54" in [post["pid"] for post in document["posts"]]


def test_forum_errors_are_one_line_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    replay = Replay(FIXTURES, [CHECK, "mobile/v4_viewthread_tid29_guest.json"])
    code = run_read(args(SITE + "thread-29-1-1.html"), transport=replay.transport)
    out = capsys.readouterr()
    assert code != 0 and out.out == ""
    assert out.err.count("\n") == 1 and "log in" in out.err


def test_non_thread_links_and_unreachable_sites_fail_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_read(args(SITE + "forum.php?mod=forumdisplay&fid=5")) != 0
    assert "not a thread" in capsys.readouterr().err
    replay = Replay(FIXTURES, [])
    assert run_read(args(SITE + "thread-1-1-1.html"), transport=replay.transport) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


class CountingTransport(httpx.AsyncHTTPTransport):
    """Real HTTP, noting the API module (or the path) of every request."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(request.url.params.get("module") or request.url.path)
        return await super().handle_async_request(request)


def test_read_asks_for_no_author_cards_and_for_smileys_only_where_there_are_some(
    forum_server, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, with_smileys = CountingTransport(), CountingTransport()
    assert run_read(args(f"{forum_server.url}forum.php?mod=viewthread&tid=8"), transport=plain) == 0
    assert run_read(args(f"{forum_server.url}forum.php?mod=viewthread&tid=5"), transport=with_smileys) == 0
    assert "pyproject.toml" in capsys.readouterr().out
    assert "profile" not in plain.asked and "smiley" not in plain.asked, plain.asked
    assert "profile" not in with_smileys.asked and with_smileys.asked.count("smiley") == 1, with_smileys.asked


def test_read_uses_the_account_saved_for_the_site_unless_guest(
    forum_server, memory_keyring, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    from tui.accounts import Account, AccountBook
    from tui.credentials import CredentialStore

    AccountBook.load().remember(Account(forum_server.url, "user1", remember_password=True))
    asyncio.run(CredentialStore().save_password(forum_server.url, "user1", "demo-user1"))
    members_only = forum_server.url + "forum.php?mod=viewthread&tid=29"
    assert run_read(args(members_only, guest=True)) != 0  # a guest is refused
    assert "log" in capsys.readouterr().err.lower()
    assert run_read(args(members_only)) == 0  # the saved account reads it, as in the app
    out = capsys.readouterr()
    assert "#1 " in out.out and out.err == ""


@contextmanager
def forum_requests(forum_server) -> Iterator[list[str]]:
    """The API module (or the path) of every request the demo forum answers meanwhile."""
    site = forum_server.site
    asked: list[str] = []

    def counted(request):
        asked.append(request.query.get("module") or request.path)
        return type(site).handle(site, request)

    site.handle = counted
    try:
        yield asked
    finally:
        del site.handle


def without_view_counts(out: str) -> str:
    """Each read adds a view: what a read printed, its view count left out."""
    return re.sub(r'\d+ views?\b|"views": \d+', "", out)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_known_site_is_read_in_one_request_that_prints_what_the_session_prints(
    forum_server, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    pages = [("1", {}), ("1", {"page": 13}), ("1", {"reverse": True}), ("5", {}), ("6", {}), ("27", {})]
    for tid, options in pages:
        url = f"{forum_server.url}forum.php?mod=viewthread&tid={tid}"
        session_read = run_read(args(url, fmt, **options), transport=httpx.AsyncHTTPTransport())
        by_session = capsys.readouterr().out
        with forum_requests(forum_server) as asked:
            assert session_read == 0 and run_read(args(url, fmt, **options)) == 0
        in_one_request = capsys.readouterr().out
        assert asked == ["viewthread"], (tid, options, asked)
        assert without_view_counts(in_one_request) == without_view_counts(by_session), (tid, options)
        assert tid != "5" or "sys.version_info" in in_one_request  # its [code] blocks, v4 drops them


def test_one_authors_floors_and_a_saved_account_are_read_through_the_session(
    forum_server, memory_keyring, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only v4 numbers one author's floors by their place in the thread; a saved account logs in."""
    from tui.accounts import Account, AccountBook

    url = f"{forum_server.url}forum.php?mod=viewthread&tid=1"
    assert run_read(args(url)) == 0  # the site is known from now on
    capsys.readouterr()
    with forum_requests(forum_server) as asked:
        assert run_read(args(url, author="2")) == 0
    assert asked == ["viewthread", "viewthread"], asked
    floors = re.findall(r"^#(\d+) user1 ", capsys.readouterr().out, re.MULTILINE)
    assert len(floors) > 2 and floors != [str(count) for count in range(1, len(floors) + 1)], floors
    AccountBook.load().remember(Account(forum_server.url, "user1", remember_password=False))
    with forum_requests(forum_server) as asked:
        assert run_read(args(url)) == 0
    assert "check" not in asked and asked.count("viewthread") == 1, asked  # v1 alone numbers these


@contextmanager
def tls_site(tmp_path) -> Iterator[tuple[str, str]]:
    """A loopback https site answering every request with a real thread page, its certificate
    signed by no authority; (its URL, the certificate's file)."""
    import datetime
    import http.server
    import ipaddress
    import ssl
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "127.0.0.1")])
    loopback = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(loopback, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "site.pem", tmp_path / "site.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    page = (FIXTURES / "mobile/v4_viewthread_tid1_p1.json").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/", str(cert_file)
    finally:
        server.shutdown()
        server.server_close()


def test_a_known_https_site_is_read_in_one_request_with_its_certificate_checked(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Certificates are only loaded for an https site, and then checked as httpx checks them."""
    from tui.discuz.site_memory import SiteFacts, SiteMemory

    with tls_site(tmp_path) as (site, certificate):
        memory = SiteMemory(site)
        memory.remember_facts(SiteFacts(site, mobile_api=True))
        memory.remember_smilies({})
        url = site + "forum.php?mod=viewthread&tid=1"
        assert run_read(args(url)) == 1  # signed by no authority the reader trusts
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Could not reach the forum" in err, err
        monkeypatch.setenv("SSL_CERT_FILE", certificate)  # the reader trusts it now, as httpx would
        assert run_read(args(url)) == 0
        assert "Daily check-in thread" in capsys.readouterr().out


def test_a_known_plain_http_site_is_read_without_loading_certificate_authorities(
    forum_server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ssl

    url = f"{forum_server.url}forum.php?mod=viewthread&tid=1"
    assert run_read(args(url)) == 0  # through the session, which learns the site

    def no_authorities(*args: object, **kwargs: object) -> ssl.SSLContext:
        raise AssertionError("the certificate authorities were loaded for a plain-HTTP read")

    monkeypatch.setattr(ssl, "create_default_context", no_authorities)
    assert run_read(args(url)) == 0, capsys.readouterr().err
    assert "Daily check-in thread" in capsys.readouterr().out
