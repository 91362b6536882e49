"""The benchmark: every figure beside its floor, measured in the same run. Asserts nothing.

    .venv/bin/python -m benchmarks [--pairs N] [--only KEY,KEY] [--json]

The demo forum runs in a child process and everything talks to it over real loopback HTTP.
Start-up is timed in a real terminal (a pty, 100×30): from process start until the text the
user waits for has been written to it. A ratio compares the app with its floor, a bare program
doing the least the same job needs, run alternately (A B A B …) and taken as the median of the
pairs; the absolute times are reported too. Thread-view figures come from the app's thread
screen headless in a child process of its own (its RSS is the app's, not this driver's).
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.content_bench import SITE, one_megabyte_post, parse_and_render  # noqa: E402

SIZE = (100, 30)
# The log-in form is drawn once its labels and its fields are: the empty site field shows an
# example address. (A frame of the labels alone is not the form.)
FORM_DRAWN = ("Username", "bbs.example.com")
READ_THREAD = "1"  # the check-in thread: one page of plain floors
PARSE_CAPTURE = "mobile/v4_viewthread_tid1_p13.json"  # a real 10-floor page

# Every key: what it is, its unit, its floor (a key of the same report, or None) and its goal.
FIGURES = {
    "usable_start_ratio": ("start → log-in form drawn, in a terminal", "×", 1.25),
    "signed_in_start_ratio": ("start with a remembered account → board list drawn", "×", 1.25),
    "read_ratio": ("forum-tui read URL --format text", "×", 1.25),
    "thread_open_ms": ("thread page arrived → first floor drawn", "ms", 50),
    "next_page_ms_p95": ("n → next page's first floor focused (p95)", "ms", 20),
    "scroll_frame_ms_p95": ("50 PageDowns in a burst, time per key (p95)", "ms", 16),
    "long_thread_rss_mb": ("app RSS after 100 pages and a jump to the last floor", "MB", 80),
    "page_parse_ms": ("parse + render one real 10-floor page", "ms", 5),
    "huge_post_ms": ("parse + lay out a 1 MB post", "ms", 300),
}
THREAD_KEYS = ("thread_open_ms", "next_page_ms_p95", "scroll_frame_ms_p95", "long_thread_rss_mb")

# The floors: bare programs that do the least the measured job needs.
BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare-ready")

Bare().run()
"""
BARE_APP_WITH_GET = """
import sys
import httpx
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("waiting")

    async def on_mount(self):
        async with httpx.AsyncClient() as client:
            await client.get(sys.argv[1])
        self.query_one(Static).update("bare-ready")

Bare().run()
"""
BARE_READ = "import sys, httpx; print(httpx.get(sys.argv[1]).text)"

_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-_])")


@dataclass
class Figure:
    key: str
    value: float
    app_ms: float | None = None  # for a ratio: the app's median time
    floor_ms: float | None = None  # and its floor's

    def as_json(self) -> dict[str, float | None]:
        _, unit, goal = FIGURES[self.key]
        return {"value": round(self.value, 3), "unit": unit, "goal": goal, "app_ms": self.app_ms,
                "floor_ms": self.floor_ms, "met": self.value <= goal}


# ----- timing helpers ----------------------------------------------------------------------------


def terminal_time(
    command: list[str], env: dict[str, str], markers: tuple[str, ...], timeout: float = 60.0
) -> float:
    """Seconds from starting ``command`` in a fresh pty until every one of ``markers`` is among
    the text it wrote."""
    import fcntl
    import struct
    import termios

    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=child_fd, stdout=child_fd, stderr=child_fd, env=env, cwd=ROOT, start_new_session=True
    )
    os.close(child_fd)
    seen = ""
    try:
        while True:
            left = started + timeout - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{markers!r} never showed; the terminal got: {seen[-400:]!r}")
            if not select.select([main_fd], [], [], left)[0]:
                continue
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # the program ended
                raise RuntimeError(f"{command} ended before showing {markers!r}: {seen[-400:]!r}") from None
            now = time.perf_counter()
            seen = (seen + _ESCAPES.sub("", chunk.decode("utf-8", "replace")))[-8000:]
            if all(marker in seen for marker in markers):
                return now - started
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(main_fd)


def process_time(command: list[str], env: dict[str, str]) -> float:
    """Seconds a command takes from start to exit, its output read through a pipe."""
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, timeout=60)
    return time.perf_counter() - started


def paired(app: Callable[[], float], floor: Callable[[], float], pairs: int) -> tuple[float, float, float]:
    """Run app and floor alternately ``pairs`` times after one warm-up each; the median of the
    per-pair ratios and the median times in ms."""
    app(), floor()  # warm the disk cache and the bytecode
    ratios, app_times, floor_times = [], [], []
    for _ in range(pairs):
        app_seconds, floor_seconds = app(), floor()
        ratios.append(app_seconds / floor_seconds)
        app_times.append(app_seconds)
        floor_times.append(floor_seconds)
    median = statistics.median
    return median(ratios), median(app_times) * 1000, median(floor_times) * 1000


def cpu_ms(function: Callable[[], object], runs: int) -> float:
    """Median CPU milliseconds of ``runs`` calls (other work on the machine does not count)."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000


# ----- the environments the programs run in -------------------------------------------------------


def fresh_env(home: Path, **extra: str) -> dict[str, str]:
    """A first-run user: an empty home, no keyring service, a 256-colour terminal."""
    home.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def signed_in_env(home: Path, url: str) -> dict[str, str]:
    """A user who ticked "Remember me" as user1 on the demo forum: the account in the book and
    the session in a keyring that lives in the child's memory only (see benchmarks.env_keyring)."""
    import asyncio

    from tui.accounts import Account, AccountBook
    from tui.credentials import session_service
    from tui.model import LoginRequest
    from tui.registry import open_session

    async def session_cookies() -> dict[str, str]:
        session = open_session(url)
        try:
            await session.login(LoginRequest(username="user1", password="demo-user1"))
            return session.export_session()
        finally:
            await session.aclose()

    env = fresh_env(home)
    AccountBook(Path(env["XDG_DATA_HOME"]) / "forum-tui" / "accounts.json").remember(Account(url, "user1"))
    entries = {session_service(url): {"user1": json.dumps(asyncio.run(session_cookies()), sort_keys=True)}}
    env["PYTHON_KEYRING_BACKEND"] = "benchmarks.env_keyring.EnvKeyring"
    env["FORUM_TUI_BENCH_KEYRING"] = json.dumps(entries)
    return env


# ----- the figures -------------------------------------------------------------------------------


def start_figures(url: str, pairs: int, only: set[str], scratch: Path) -> list[Figure]:
    python = sys.executable
    figures = []
    if "usable_start_ratio" in only:
        homes = iter(range(10**6))

        def app() -> float:  # a first run each time: nothing remembered
            home = scratch / f"first-{next(homes)}"
            return terminal_time([python, "-m", "tui"], fresh_env(home), FORM_DRAWN)

        def floor() -> float:
            return terminal_time([python, "-c", BARE_APP], fresh_env(scratch / "bare"), ("bare-ready",))

        ratio, app_ms, floor_ms = paired(app, floor, pairs)
        figures.append(Figure("usable_start_ratio", ratio, app_ms, floor_ms))
    if "signed_in_start_ratio" in only:
        env = signed_in_env(scratch / "signed-in", url)
        index = f"{url}api/mobile/index.php?version=4&module=forumindex"
        ratio, app_ms, floor_ms = paired(
            lambda: terminal_time([python, "-m", "tui"], env, ("Announcements",)),
            lambda: terminal_time([python, "-c", BARE_APP_WITH_GET, index], env, ("bare-ready",)),
            pairs,
        )
        figures.append(Figure("signed_in_start_ratio", ratio, app_ms, floor_ms))
    return figures


def read_figure(url: str, pairs: int, scratch: Path) -> Figure:
    env = fresh_env(scratch / "read")
    page = f"{url}forum.php?mod=viewthread&tid={READ_THREAD}"
    api = f"{url}api/mobile/index.php?version=1&module=viewthread&tid={READ_THREAD}"  # what read asks
    ratio, app_ms, floor_ms = paired(
        lambda: process_time([sys.executable, "-m", "tui", "read", page, "--format", "text"], env),
        lambda: process_time([sys.executable, "-c", BARE_READ, api], env),
        pairs,
    )
    return Figure("read_ratio", ratio, app_ms, floor_ms)


def content_figures(runs: int, only: set[str]) -> list[Figure]:
    from tests.conftest import FIXTURES
    from tui.discuz import parse

    figures = []
    if "page_parse_ms" in only:
        variables = json.loads((FIXTURES / PARSE_CAPTURE).read_bytes())["Variables"]

        def one_page() -> None:
            for post in parse.thread_page(variables, SITE, page=13).posts:
                parse_and_render(post.html)

        one_page()
        figures.append(Figure("page_parse_ms", cpu_ms(one_page, max(runs, 20))))
    if "huge_post_ms" in only:
        big = one_megabyte_post()
        figures.append(Figure("huge_post_ms", cpu_ms(lambda: parse_and_render(big), runs)))
    return figures


def thread_figures(url: str, runs: int, pages: int, only: set[str]) -> list[Figure]:
    """The thread-view figures, from a child process running the thread screen headless."""
    from tui.demo.seed import BIG_THREAD_ID

    command = [sys.executable, "-m", "benchmarks.thread_bench", "--figures", url,
               "--thread", str(BIG_THREAD_ID), "--runs", str(runs), "--pages", str(pages)]
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True, timeout=600).stdout
    measured = json.loads(output.strip().splitlines()[-1])
    return [Figure(key, measured[key]) for key in THREAD_KEYS if key in only]


# ----- report ------------------------------------------------------------------------------------


def table(figures: list[Figure]) -> str:
    lines = [f"{'key':24} {'value':>9}  {'goal':>7}  {'app':>9} {'floor':>9}  what",
             "-" * 100]
    for figure in figures:
        what, unit, goal = FIGURES[figure.key]
        mark = "" if figure.value <= goal else "  (over the goal)"
        value = f"{figure.value:.2f}{unit}" if unit == "×" else f"{figure.value:.1f} {unit}"
        app = f"{figure.app_ms:.0f} ms" if figure.app_ms is not None else ""
        floor = f"{figure.floor_ms:.0f} ms" if figure.floor_ms is not None else ""
        goal_text = f"≤{goal}{unit}" if unit == "×" else f"≤{goal} {unit}"
        lines.append(f"{figure.key:24} {value:>9}  {goal_text:>7}  {app:>9} {floor:>9}  {what}{mark}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=7, help="A/B pairs (and runs) per figure (default 7)")
    parser.add_argument("--only", default="", help="comma-separated keys to measure (default: all)")
    parser.add_argument("--pages", type=int, default=100, help="pages read for the RSS figure (default 100)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    options = parser.parse_args(argv)
    only = {key.strip() for key in options.only.split(",") if key.strip()} or set(FIGURES)
    unknown = only - set(FIGURES)
    if unknown:
        parser.error(f"unknown keys: {', '.join(sorted(unknown))}; known: {', '.join(FIGURES)}")

    from tui.demo.serve import spawn_demo_process

    started = time.perf_counter()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="forum-tui-bench-") as scratch_name:
        scratch = Path(scratch_name)
        demo = spawn_demo_process(scratch / "forum")
        try:
            figures += start_figures(demo.url, options.pairs, only, scratch)
            if "read_ratio" in only:
                figures.append(read_figure(demo.url, options.pairs, scratch))
            if only & set(THREAD_KEYS):
                figures += thread_figures(demo.url, options.pairs, options.pages, only)
        finally:
            demo.stop()
    figures += content_figures(options.pairs, only)
    figures.sort(key=lambda figure: list(FIGURES).index(figure.key))
    seconds = time.perf_counter() - started
    if options.json:
        print(json.dumps({figure.key: figure.as_json() for figure in figures} | {"seconds": round(seconds, 1),
                                                                                  "pairs": options.pairs}))
    else:
        print(table(figures))
        print(f"\n{options.pairs} pairs or runs per figure, {seconds:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
