"""End to end: the real ``forum-tui --demo`` process in tmux, driven by keys like a person:
log in, open a thread, reply, see the reply; quitting stops the demo forum too."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("tmux") is None, reason="tmux is not installed (./scripts/test installs it)"
    ),
]

ROOT = Path(__file__).resolve().parent.parent


class Terminal:
    """One tmux session on a private server socket, 100×30."""

    def __init__(self, name: str) -> None:
        self.socket = f"forum-tui-e2e-{name}"
        self.target = "app"

    def tmux(self, *arguments: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *arguments], capture_output=True, text=True, check=True
        ).stdout

    def start(self, command: str, size: tuple[int, int] = (100, 30)) -> None:
        width, height = size
        self.tmux("new-session", "-d", "-s", self.target, "-x", str(width), "-y", str(height), command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.target)

    def keys(self, *keys: str) -> None:
        """Send keys one at a time, as typed (a burst would not be how a person types)."""
        for key in keys:
            self.tmux("send-keys", "-t", self.target, key)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.target, "-l", text)

    def wait_for(self, condition: Callable[[str], object], what: str, timeout: float = 20.0) -> str:
        """Poll the pane until ``condition(screen)`` holds; fail naming ``what``."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the terminal shows:\n{screen}")
            time.sleep(0.1)

    def wait_for_text(self, text: str, timeout: float = 20.0) -> str:
        return self.wait_for(lambda screen: text in screen, repr(text), timeout)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    term = Terminal(uuid.uuid4().hex[:8])
    yield term
    term.close()


def start_demo(terminal: Terminal, isolated_home: Path, size: tuple[int, int] = (100, 30)) -> str:
    """Start ``forum-tui --demo`` in the terminal; returns the demo forum's address."""
    environment = {
        "XDG_CONFIG_HOME": isolated_home / ".config",
        "XDG_DATA_HOME": isolated_home / ".local/share",
        "XDG_CACHE_HOME": isolated_home / ".cache",
        "HOME": isolated_home,
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
    }
    assignments = " ".join(f"{name}='{value}'" for name, value in environment.items())
    terminal.start(
        f"cd '{ROOT}' && env -i {assignments} '{sys.executable}' -m tui --demo; "
        "echo FORUM-TUI-EXITED-$?; sleep 60",
        size,
    )
    # The address, not just the side list: a capture can catch the first frame half written.
    address = re.compile(r"http://127\.0\.0\.1:\d+/")
    screen = terminal.wait_for(lambda s: "Demo accounts" in s and address.search(s), "the form and address")
    url = address.search(screen)
    assert url, screen
    # The site's name in the status bar means the start-up connection is done.
    terminal.wait_for(lambda s: "Demo Forum" in s.splitlines()[-1], "the status bar naming the site")
    return url.group(0)


def log_in(terminal: Terminal) -> None:
    """Type user1's name and password into the log-in form and wait for the board list."""
    terminal.type("user1")
    terminal.wait_for(lambda s: re.search(r"Username\s+user1\b", s), "the username typed")
    terminal.keys("Tab")
    terminal.type("demo-user1")
    terminal.wait_for_text("•" * len("demo-user1"))
    terminal.keys("Enter")
    terminal.wait_for_text("Announcements")
    terminal.wait_for(lambda s: "user1" in s.splitlines()[-1], "the status bar naming user1")


def test_log_in_read_a_thread_reply_and_see_the_reply(terminal: Terminal, isolated_home: Path) -> None:
    url = start_demo(terminal, isolated_home)
    log_in(terminal)
    terminal.keys("Enter")  # the cursor starts on the first board
    terminal.wait_for_text("sorted by last reply")
    terminal.wait_for_text("欢迎来到")  # the rows have arrived, not just the header
    terminal.keys("Enter")  # the first thread
    terminal.wait_for_text("楼主")

    reply = f"Reply from the end-to-end test {uuid.uuid4().hex[:6]}"
    terminal.keys("r")
    terminal.wait_for_text("^s Send")
    terminal.type(reply)
    terminal.wait_for_text(reply)
    terminal.keys("C-s")
    terminal.wait_for(lambda s: reply in s and "^s Send" not in s, "the reply in the thread")

    # The account's screens by name from the command palette.
    terminal.keys("C-p")
    terminal.type("Notifications")
    terminal.wait_for_text("Replies, quotes, mentions")  # the palette offers the command
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "Kind" in s and "Notice" in s, "the notifications list")
    terminal.wait_for_text("回复了您的帖子")  # the seeded reply notice has arrived
    terminal.keys("Escape")
    terminal.keys("C-p")
    terminal.type("Search")
    terminal.wait_for_text("The site's own search")
    terminal.keys("Enter")
    terminal.wait_for_text("Words to search for")
    terminal.type("Python")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "Search: “Python”" in s and "Re/Views" in s, "the search results")
    terminal.wait_for_text("Python 3.12")

    terminal.keys("C-q")
    terminal.wait_for_text("FORUM-TUI-EXITED-0")
    with pytest.raises(httpx.TransportError):  # the demo forum went with the app
        httpx.get(url, timeout=2)


def floors_on(screen: str) -> list[int]:
    """The floor numbers whose header lines the screen shows."""
    return [int(found.group(1)) for found in re.finditer(r"#(\d+) 楼", screen)]


def test_a_burst_of_fifty_page_downs_moves_fifty_screens(terminal: Terminal, isolated_home: Path) -> None:
    """Holding PageDown at 80×24: every key counts, and the status bar names the page on screen."""
    from tui.demo.seed import BIG_THREAD_ID

    start_demo(terminal, isolated_home, (80, 24))
    log_in(terminal)
    terminal.keys("o")
    terminal.wait_for_text("Open a forum, board or thread URL")  # typed before it shows, keys go below
    terminal.type(str(BIG_THREAD_ID))
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "#1 楼主" in s and "page 1/520" in s, "the 5,200-floor thread")
    terminal.tmux("send-keys", "-t", terminal.target, *["PageDown"] * 50)  # one burst
    seen = {"screen": "", "since": time.monotonic()}

    def settled(screen: str) -> bool:
        """Off page 1, with floors, no load under way, and unchanged for a second."""
        if screen != seen["screen"]:
            seen.update(screen=screen, since=time.monotonic())
        moved = "page 1/520" not in screen.splitlines()[-1]
        quiet = time.monotonic() - seen["since"] > 1.0
        return moved and quiet and bool(floors_on(screen)) and "loading" not in screen

    screen = terminal.wait_for(settled, "the burst to settle", timeout=120)
    first = floors_on(screen)[0]
    page = re.search(r"page (\d+)/520", screen.splitlines()[-1])
    assert page and int(page.group(1)) == (first - 1) // 10 + 1, screen
    # 50 screens of at least 18 lines; a floor with its share of page markers takes at most 5.
    assert first >= 50 * 18 // 5, screen
