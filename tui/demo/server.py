"""``DemoForum``: the demo forum on a real loopback HTTP server, in a background thread.

    with DemoForum() as forum:          # seeded fresh in a temp folder
        httpx.get(forum.url + "api/mobile/index.php?version=4&module=forumindex")

Switches (``quirks``, ``flood_seconds``, ``min_message_length``, ``login_captcha``,
``post_captcha``, ``secqaa``, ``guests_forbidden``; ``charset`` only before it starts) are
attributes that can be changed while it runs; ``advance_clock(seconds)`` moves the forum's
clock for flood-control and lock-out tests.
"""

from __future__ import annotations

import atexit
import secrets
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
from dataclasses import fields
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from tui.demo.charsets import request_codec, store_in_charset
from tui.demo.exchange import Request, Response, parse_multipart
from tui.demo.router import route
from tui.demo.seed import seed
from tui.demo.site import CAPTCHA_ANSWER, COOKIE_PREFIX, DemoSite, SiteSettings
from tui.demo.store import Store

__all__ = ["CAPTCHA_ANSWER", "COOKIE_PREFIX", "DemoForum"]

DATABASE_NAME = "forum.sqlite3"
_SETTINGS = frozenset(field.name for field in fields(SiteSettings))
MAX_BODY = 8 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes

    def version_string(self) -> str:
        return "Apache"

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests carry cookies and forms, which must not end up in a log."""

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        form: dict[str, list[str]] = {}
        files: dict[str, tuple[str, bytes]] = {}
        codec = request_codec(self.server.site.settings.charset, parts.path, parts.query)
        if method == "POST":
            length_text = self.headers.get("Content-Length") or "0"
            length = int(length_text) if length_text.isdigit() else -1
            if not 0 <= length <= MAX_BODY:
                self.close_connection = True
                self._send(Response(413, b"Request Entity Too Large", "text/plain"), include_body=True)
                return
            raw = self.rfile.read(length)
            content_type = self.headers.get("Content-Type") or ""
            if "application/x-www-form-urlencoded" in content_type:
                text = raw.decode("latin-1")  # percent-encoded bytes in the site's charset
                form = parse_qs(text, keep_blank_values=True, encoding=codec, errors="replace")
            elif content_type.startswith("multipart/form-data"):
                form, files = parse_multipart(content_type, raw)
        cookies = SimpleCookie()
        try:
            cookies.load(self.headers.get("Cookie") or "")
        except Exception:  # a malformed Cookie header is treated as no cookies, as PHP does
            cookies = SimpleCookie()
        query = {
            key: values[0]
            for key, values in parse_qs(
                parts.query, keep_blank_values=True, encoding=codec, errors="replace"
            ).items()
        }
        request = Request(
            method="GET" if method == "HEAD" else method,
            path=parts.path,
            query=query,
            form=form,
            cookies={key: unquote(morsel.value) for key, morsel in cookies.items()},
            headers={key.lower(): value for key, value in self.headers.items()},
            ip=self.client_address[0],
            base_url=self.server.base_url,
            target=self.path,
            files=files,
        )
        response = self.server.site.handle(request)
        self._send(response, include_body=method != "HEAD")

    def _send(self, response: Response, *, include_body: bool) -> None:
        self.send_response(response.status)
        self.send_header("X-Powered-By", "PHP/8.2 (forum-tui demo)")
        for value in response.cookies:
            self.send_header("Set-Cookie", value)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if include_body:
            self.wfile.write(response.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    site: DemoSite
    base_url: str

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: what reaches here is a client hanging up mid-answer (the site catches its own errors)."""


class _Server6(_Server):
    address_family = socket.AF_INET6


_template_lock = threading.Lock()
_template_path: Path | None = None


def _seeded_template() -> Path:
    """A freshly seeded database, made once per process and copied for each new forum."""
    global _template_path
    with _template_lock:
        if _template_path is None or not _template_path.exists():
            folder = Path(tempfile.mkdtemp(prefix="forum-tui-demo-seed-"))
            connection = sqlite3.connect(folder / DATABASE_NAME, isolation_level=None)
            try:
                seed(connection, int(time.time()))
            finally:
                connection.close()
            atexit.register(shutil.rmtree, folder, True)
            _template_path = folder / DATABASE_NAME
        return _template_path


class DemoForum:
    """A seeded demo forum served over HTTP on a background thread."""

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        quirks: bool = True,
        flood_seconds: int = 0,
        min_message_length: int = 10,
        login_captcha: bool = False,
        post_captcha: bool = False,
        guide: bool = True,
        charset: str = "utf-8",
        secqaa: bool = False,
        guests_forbidden: bool = False,
        mobile_api: str = "on",
    ) -> None:
        self._own_dir = data_dir is None
        self.data_dir = (
            Path(tempfile.mkdtemp(prefix="forum-tui-demo-")) if data_dir is None else Path(data_dir)
        )
        self.host, self.port = host, port
        self.url = ""
        self.settings = SiteSettings(
            quirks,
            flood_seconds,
            min_message_length,
            login_captcha,
            post_captcha,
            guide,
            charset,
            secqaa,
            guests_forbidden,
            mobile_api,
        )
        self.site: DemoSite | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # The settings read and write through to the running site, so tests can flip them at run time.
    def __getattr__(self, name: str) -> object:
        if name in _SETTINGS:
            return getattr(self.__dict__["settings"], name)
        raise AttributeError(name)

    def __setattr__(self, name: str, value: object) -> None:
        if name in _SETTINGS:
            setattr(self.settings, name, value)
        else:
            super().__setattr__(name, value)

    def advance_clock(self, seconds: int) -> None:
        """Move the forum's clock forward (flood control, lock-out expiry) without waiting."""
        if self.site is None:
            raise RuntimeError("the demo forum is not running")
        self.site.advance_clock(seconds)

    def _open_store(self) -> Store:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / DATABASE_NAME
        if not path.exists():
            partial = path.with_suffix(".partial")
            shutil.copyfile(_seeded_template(), partial)
            partial.rename(path)
            store = Store(path)
            store.run("UPDATE settings SET value = ? WHERE key = 'secret'", secrets.token_hex(16))
            return store
        return Store(path)

    def start(self) -> str:
        """Seed (first time only), bind, serve in a daemon thread; the base URL ending in '/'."""
        if self._server is not None:
            return self.url
        store = self._open_store()
        store_in_charset(store.db, self.settings.charset)
        self.site = DemoSite(store, self.settings, route)
        server_class = _Server6 if ":" in self.host else _Server
        server = server_class((self.host, self.port), _Handler)
        host, port = server.server_address[:2]
        shown_host = f"[{host}]" if ":" in str(host) else host
        self.url = f"http://{shown_host}:{port}/"
        server.site, server.base_url = self.site, self.url
        self.port = int(port)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="demo-forum", daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving, close the database, and remove the temp folder if this forum made it."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self.site is not None:
            self.site.store.close()
            self.site = None
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> DemoForum:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
