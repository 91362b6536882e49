"""``forum-tui serve-demo`` in a real child process: it prints its URL and accounts, serves, and
stops cleanly on Ctrl+C (SIGINT) and on SIGTERM (how the app's --demo child is stopped); the
kept demo of ``--demo`` comes back at the same address with its state."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.serve import PORT_FILE, URL_PREFIX, spawn_demo_process, spawn_kept_demo
from tui.model import LoginRequest
from tui.registry import open_session

ROOT = Path(__file__).resolve().parent.parent
KEPT_THREAD = "8"  # three floors: a reply lands on its first page


def test_serve_demo_runs_and_stops_on_sigint(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve-demo", "--port", "0", "--data", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith(URL_PREFIX + "http://127.0.0.1:")
        url = first.removeprefix(URL_PREFIX).strip()
        answer = httpx.get(url + "api/mobile/index.php?version=4&module=forumindex", timeout=10).json()
        assert answer["Variables"]["catlist"]
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
        out, err = process.stdout.read(), process.stderr.read() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    printed = first + out
    for account in DEMO_ACCOUNTS:
        assert f"{account.username} / {account.password}" in printed
    assert "Demo forum stopped." in out
    assert (tmp_path / "forum.sqlite3").exists()  # state kept in --data


def test_spawned_demo_process_serves_and_stops() -> None:
    demo = spawn_demo_process()
    try:
        check = httpx.get(demo.url + "api/mobile/index.php?version=4&module=check", timeout=10).json()
        assert check["truediscuzversion"] == "X3.5"
    finally:
        demo.stop()
    assert demo.process.returncode == 0
    try:
        httpx.get(demo.url, timeout=2)
    except httpx.TransportError:
        pass
    else:
        raise AssertionError("the demo forum still answers after stop()")


def _gone(pid: int) -> bool:
    """The process has exited (a zombie waiting for a reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def test_spawned_demo_stops_when_the_app_dies_without_stopping_it() -> None:
    script = (
        "from tui.demo.serve import spawn_demo_process\n"
        "demo = spawn_demo_process()\n"
        "print(demo.process.pid, flush=True)\n"
        "import time\n"
        "time.sleep(60)\n"
    )
    app = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None
        child = int(app.stdout.readline())
        assert not _gone(child)
        app.kill()  # no chance to clean up
        app.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(child), "the demo forum outlived the app"
    finally:
        if app.poll() is None:
            app.kill()


async def test_a_kept_demo_comes_back_at_its_address_with_its_posts_and_sessions(tmp_path: Path) -> None:
    first = spawn_kept_demo(tmp_path)
    try:
        session = open_session(first.url)
        await session.login(LoginRequest(username="user1", password="demo-user1"))
        await session.reply(KEPT_THREAD, "还在吗？ Still here next time.")
        cookies = session.export_session()
        await session.aclose()
    finally:
        first.stop()
    second = spawn_kept_demo(tmp_path)
    try:
        assert second.url == first.url, "saved accounts, pins and drafts name the site by its address"
        session = open_session(second.url)
        session.restore_session(cookies)
        page = await session.thread_page(KEPT_THREAD)
        assert any("Still here next time." in post.html for post in page.posts)
        assert session.user.username == "user1", "the remembered session is still good"
        await session.aclose()
    finally:
        second.stop()


def test_a_kept_demo_whose_port_is_taken_moves_and_remembers_the_new_one(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        (tmp_path / PORT_FILE).write_text(f"{taken}\n", encoding="ascii")
        demo = spawn_kept_demo(tmp_path)
        try:
            port = urlsplit(demo.url).port
            assert port != taken
            assert (tmp_path / PORT_FILE).read_text(encoding="ascii").strip() == str(port)
            assert httpx.get(demo.url + "api/mobile/index.php?version=4&module=check", timeout=10).is_success
        finally:
            demo.stop()
