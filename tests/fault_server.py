"""A hostile Discuz! stand-in on loopback: real captures where asked, a chosen fault elsewhere.

Each mobile-API module (``check``, ``forumindex``, ``viewthread``…) answers either its real
capture or one of the faults below, written byte by byte on the socket so that stalls,
trickles and resets are what a client really meets. The server listens on 127.0.0.1 with a
free port, runs in a thread (so a ``forum-tui read`` subprocess can reach it too) and stops
when the test ends, cutting any connection it still holds.
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

from tests.conftest import FIXTURES

CAPTURES = {
    "check": "mobile/v4_check.json",
    "forumindex": "mobile/v4_forumindex_guest.json",
    "viewthread": "mobile/v4_viewthread_tid1_p1.json",
    "forumdisplay": "mobile/v4_forumdisplay_fid2.json",
}
SYSTEM_ERROR = "mobile/v4_secure_login.html"  # no captcha needed: the "System Error" page, as captured
THREAD_PATH = "forum.php?mod=viewthread&tid=1"
HOSTILE_NAME = "evil\x1b]0;pwned\x07\x1b]52;c;aGk=\x07\x1b[2J\x1b[31mred\u202egnp.exe"

Writer = Callable[[socket.socket, "FaultServer"], None]


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [
        f"HTTP/1.1 {status}",
        "Connection: close",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def answer(
    status: str, body: bytes, content_type: str = "application/json; charset=utf-8", **headers: str
) -> Writer:
    """A complete answer with this status, body and extra headers (``Retry_After`` → Retry-After)."""
    extra = {name.replace("_", "-"): value for name, value in headers.items()}

    def write(sock: socket.socket, server: FaultServer) -> None:
        head = {"Content-Type": content_type, "Content-Length": str(len(body)), **extra}
        sock.sendall(_head(status, head) + body)

    return write


def capture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def json_answer(document: object, encoding: str = "utf-8", label: str = "utf-8") -> Writer:
    body = json.dumps(document, ensure_ascii=False).encode(encoding)
    return answer("200 OK", body, f"application/json; charset={label}")


def hang(sock: socket.socket, server: FaultServer) -> None:
    """Accept the request and never answer, until the server stops."""
    server.stopping.wait()


def trickle(sock: socket.socket, server: FaultServer) -> None:
    """Headers at once, then a byte of the promised body now and then, for ever."""
    sock.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": "100000"}))
    while not server.stopping.wait(0.2):
        sock.sendall(b" ")


def reset_mid_body(sock: socket.socket, server: FaultServer) -> None:
    """Half the promised body, then a TCP reset."""
    sock.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": "5000"}) + b'{"Vari')
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()


def huge(sock: socket.socket, server: FaultServer) -> None:
    """50 MB of JSON-looking bytes with no length given, until the client stops reading."""
    sock.sendall(_head("200 OK", {"Content-Type": "application/json"}) + b'{"Variables": "')
    chunk = b"x" * (1024 * 1024)
    for _ in range(50):
        if server.stopping.is_set():
            return
        sock.sendall(chunk)


def redirect_loop(sock: socket.socket, server: FaultServer) -> None:
    """A redirect to ``/loop``, which redirects to itself (see ``_Handler``)."""
    sock.sendall(_head("302 Found", {"Location": "/loop", "Content-Length": "0"}))


def bad_gzip(sock: socket.socket, server: FaultServer) -> None:
    body = b"this is not gzip at all"
    head = {"Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": str(len(body))}
    sock.sendall(_head("200 OK", head) + body)


def once_then(first: Writer, then: Writer) -> Writer:
    """``first`` for the first request, ``then`` for every later one."""
    used = threading.Event()

    def write(sock: socket.socket, server: FaultServer) -> None:
        (then if used.is_set() else first)(sock, server)
        used.set()

    return write


def _with_variables(name: str, change: Callable[[dict], None]) -> Writer:
    document = json.loads(capture(name))
    change(document["Variables"])
    return json_answer(document)


def without_postlist() -> Writer:
    return _with_variables(CAPTURES["viewthread"], lambda variables: variables.pop("postlist"))


def without_thread() -> Writer:
    return _with_variables(CAPTURES["viewthread"], lambda variables: variables.pop("thread"))


def no_boards() -> Writer:
    return _with_variables(
        CAPTURES["forumindex"], lambda variables: variables.update(catlist=[], forumlist=[])
    )


def hostile_names() -> Writer:
    def poison(variables: dict) -> None:
        variables["thread"]["subject"] = HOSTILE_NAME
        variables["thread"]["author"] = HOSTILE_NAME
        for row in variables["postlist"]:
            row["author"] = HOSTILE_NAME

    return _with_variables(CAPTURES["viewthread"], poison)


def gbk_under_utf8_label() -> Writer:
    """The thread answer's bytes in GBK (GB18030, its superset) while the header says UTF-8."""
    return json_answer(json.loads(capture(CAPTURES["viewthread"])), encoding="gb18030", label="utf-8")


FAULTS: dict[str, Callable[[], Writer]] = {
    "hang": lambda: hang,
    "trickle": lambda: trickle,
    "reset": lambda: reset_mid_body,
    "500": lambda: answer("500 Internal Server Error", b"<html>Internal Server Error</html>", "text/html"),
    "503": lambda: answer("503 Service Unavailable", b"<html>Busy</html>", "text/html", Retry_After="120"),
    "429": lambda: answer("429 Too Many Requests", b"<html>Slow down</html>", "text/html", Retry_After="90"),
    "html": lambda: answer("200 OK", b"<!DOCTYPE html><html><body>Welcome</body></html>", "text/html"),
    "truncated": lambda: answer("200 OK", capture(CAPTURES["viewthread"])[:300]),
    "redirect loop": lambda: redirect_loop,
    "bad gzip": lambda: bad_gzip,
    "huge": lambda: huge,
    "no postlist": without_postlist,
    "no thread": without_thread,
}


class _Handler(socketserver.BaseRequestHandler):
    server: FaultServer

    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            data = self.request.recv(65536)
            if not data:
                return
            request += data
        path = request.split(b" ", 2)[1].decode("latin-1")
        query = parse_qs(urlsplit(path).query)
        module = query.get("module", [""])[0]
        self.server.requests.append(module or path)
        routes = self.server.routes
        writer = routes.get(f"{module}@v{query.get('version', [''])[0]}", routes.get(module, routes.get("*")))
        if path.startswith("/loop"):
            writer = redirect_loop
        if writer is None and module == "secure":
            writer = answer("503 Service Unavailable", capture(SYSTEM_ERROR), "text/html")
        if writer is None:
            writer = (
                answer("200 OK", capture(CAPTURES[module]))
                if module in CAPTURES
                else answer("404 Not Found", b"<html>Not Found</html>", "text/html")
            )
        with contextlib.suppress(OSError):  # the client went away: that is its right
            writer(self.request, self.server)


class FaultServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Writer] = {}
        self.requests: list[str] = []
        self.stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    @property
    def thread_url(self) -> str:
        return self.url + THREAD_PATH

    def fail(self, module: str, writer: Writer) -> None:
        """Answer ``module`` (``module@v1``: one API version; ``*``: all) with ``writer`` from now on."""
        self.routes[module] = writer

    def count(self, module: str) -> int:
        return self.requests.count(module)


@contextmanager
def fault_server() -> Iterator[FaultServer]:
    server = FaultServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def refused_url() -> str:
    """A loopback address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def elapsed(since: float) -> float:
    return time.monotonic() - since
