"""``forum-tui serve-demo`` in the foreground, and the child-process form the app's ``--demo`` uses.

The app runs the demo in a separate process (``spawn_demo_process``) so the server never shares
the app's event loop or GIL, and it dies with the app.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.mobile_off import PLUGIN_OFF, REMOVED
from tui.demo.server import DemoForum
from tui.demo.site import CAPTCHA_ANSWER, SECQAA_ANSWER, SECQAA_QUESTION

URL_PREFIX = "Demo forum at "
PARENT_ENV = "FORUM_TUI_DEMO_PARENT"  # set by spawn_demo_process: stop when that process is gone
SPAWN_TIMEOUT_SECONDS = 30.0
PORT_FILE = "port"  # in a kept demo folder: the port the forum listened on last time


def _account_lines() -> list[str]:
    lines = ["Demo accounts (username / password):"]
    for account in DEMO_ACCOUNTS:
        extra = (
            f"  security question {account.question_id}, answer {account.answer!r}"
            if account.question_id
            else ""
        )
        lines.append(f"  {account.username} / {account.password}{extra}  - {account.note}")
    return lines


def _mode_lines(forum: DemoForum) -> list[str]:
    """What the chosen modes ask of a visitor, and the answers that pass."""
    lines = [] if forum.charset == "utf-8" else [f"Charset: {forum.charset.upper()}"]
    if forum.login_captcha or forum.post_captcha:
        lines.append(f"Captcha answer: {CAPTCHA_ANSWER}")
    if forum.secqaa:
        lines.append(f"Verification question: {SECQAA_QUESTION}  answer: {SECQAA_ANSWER}")
    if forum.guests_forbidden:
        lines.append("Guests see nothing: log in to read.")
    if forum.mobile_api == REMOVED:
        lines.append("No mobile API: api/mobile/ answers 404; clients read the web pages.")
    elif forum.mobile_api == PLUGIN_OFF:
        lines.append("Mobile plugin switched off: api/mobile/ answers no JSON; clients read the web pages.")
    return lines


def run_serve(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C (or SIGTERM); exit 0 after a clean stop."""
    data_dir = Path(args.data).expanduser() if args.data else None
    forum = DemoForum(
        data_dir,
        host=args.host,
        port=args.port,
        charset=args.charset,
        login_captcha="login" in args.captcha,
        post_captcha="post" in args.captcha,
        secqaa=args.secqaa,
        guests_forbidden=args.guests_forbidden,
        mobile_api=REMOVED if args.no_mobile_api else "on",
    )
    try:
        url = forum.start()
    except OSError as error:
        print(
            f"Cannot start the demo forum on {args.host}:{args.port}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1
    stop = threading.Event()
    previous_term = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(URL_PREFIX + url, flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Note: bound to {args.host}, so other machines may reach this demo forum.", flush=True)
    print("\n".join(_account_lines() + _mode_lines(forum)), flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    parent = int(os.environ.get(PARENT_ENV) or 0)
    try:
        while not stop.wait(0.5):
            if parent and os.getppid() != parent:  # the app died without stopping us
                break
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        forum.stop()
    print("Demo forum stopped.", flush=True)
    return 0


@dataclass
class DemoProcess:
    """A demo forum running in a child process."""

    url: str
    process: subprocess.Popen[str]

    def stop(self) -> None:
        """Terminate the child and wait for it (kill if it does not go within 5 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _drain(process: subprocess.Popen[str]) -> None:
    if process.stdout is not None:
        for _ in process.stdout:
            pass


def spawn_demo_process(
    data_dir: Path | None = None, port: int = 0, *, no_mobile_api: bool = False
) -> DemoProcess:
    """Start ``python -m tui serve-demo --port PORT`` (0: a free one) and wait for the line with
    its URL; RuntimeError when it does not come (e.g. the port is taken).

    The child stops by itself if this process dies without calling ``stop()``.
    """
    command = [sys.executable, "-m", "tui", "serve-demo", "--port", str(port)]
    if data_dir is not None:
        command += ["--data", str(data_dir)]
    if no_mobile_api:
        command.append("--no-mobile-api")
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1", PARENT_ENV: str(os.getpid())},
        start_new_session=False,
    )
    found: list[str] = []

    def read_url() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(URL_PREFIX):
                found.append(line.removeprefix(URL_PREFIX).strip())
                return

    reader = threading.Thread(target=read_url, daemon=True)
    reader.start()
    reader.join(SPAWN_TIMEOUT_SECONDS)
    if not found:
        DemoProcess("", process).stop()
        raise RuntimeError("the demo forum process did not start")
    # Keep draining stdout so the child never blocks on a full pipe; EOF ends the thread.
    threading.Thread(target=_drain, args=(process,), daemon=True).start()
    return DemoProcess(found[0], process)


def spawn_kept_demo(folder: Path) -> DemoProcess:
    """The demo forum whose state is kept in ``folder`` between runs, at last run's address.

    Saved accounts, pinned boards and drafts name a site by its address, so the forum listens
    on the port it had last time (remembered in the folder) and they still refer to it. Only
    when another program holds that port does it take a free one, and remember that instead.
    """
    remembered = folder / PORT_FILE
    try:
        port = int(remembered.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        port = 0
    if port:
        try:
            return spawn_demo_process(folder, port)
        except RuntimeError:
            pass  # the port is taken: a new address, remembered below
    demo = spawn_demo_process(folder)
    remembered.write_text(f"{urlsplit(demo.url).port}\n", encoding="ascii")
    return demo
