"""What the start path loads: the first screen comes up without the screens it does not show."""

from __future__ import annotations

import gc
import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import FIXTURES, ROOT

CHILD = """
import json, sys
from tui.app import ForumApp
from tui.config import load_settings

class Probe(ForumApp):
    def on_ready(self):
        self.set_interval(0.02, self.look)

    def look(self):
        if type(self.screen).__name__ == "LoginScreen" and self.screen.is_mounted:
            self.exit(json.dumps(sorted(sys.modules)))

print(Probe(load_settings(), start=None).run(headless=True))
"""


def loaded_modules(home: Path) -> list[str]:
    """The modules a fresh process has imported once the log-in form is on screen."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    result = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_log_in_form_comes_up_without_loading_the_thread_or_composer_screens(tmp_path: Path) -> None:
    loaded = loaded_modules(tmp_path)
    assert "screens.login" in loaded
    assert "screens.thread" not in loaded and "screens.composer" not in loaded, loaded


def test_the_log_in_form_comes_up_without_the_network_keyring_or_post_parser(tmp_path: Path) -> None:
    """HTTP, the keyring, the HTML parser, the post content code, the demo forum, the web
    browser module, the forum model and the TOML parser (the config is as first written) are
    for later: none is imported before the form is drawn."""
    loaded = set(loaded_modules(tmp_path))
    later = {"httpx", "keyring", "selectolax", "tui.content", "tui.discuz.session", "tui.demo", "webbrowser"}
    later |= {"tui.model", "tui.engine", "tomllib"}
    assert "screens.login" in loaded
    assert not later & loaded, sorted(later & loaded)


def test_with_remapped_keys_the_log_in_form_still_comes_up_without_the_thread_or_composer_screens(
    tmp_path: Path,
) -> None:
    """Remaps are checked against every screen's keys as ``tui.keys`` lists them, not by
    importing the screens (``test_app_keys`` checks that a clash is named)."""
    config = tmp_path / "config" / "forum-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[keys]\nnext_floor = "ctrl+n"\n', encoding="utf-8")
    loaded = loaded_modules(tmp_path)
    assert "screens.login" in loaded
    assert "screens.thread" not in loaded and "screens.composer" not in loaded, loaded


async def test_the_garbage_collector_paused_for_start_up_runs_again() -> None:
    """``forum-tui`` pauses the collector while it starts; the app turns it back on soon after,
    so a long session never runs without it, collecting young objects in the larger rounds
    that keep full collections (a frame and a half each) rare while reading."""
    from tests.app_helpers import on_screen, wait_until
    from tui.app import ForumApp
    from tui.collector import YOUNG_ALLOCATIONS
    from tui.config import Settings

    thresholds = gc.get_threshold()
    gc.set_threshold(700, *thresholds[1:])  # Python's own pace
    gc.disable()  # as tui.launch does
    try:
        app = ForumApp(Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
            await wait_until(pilot, gc.isenabled, "the collector running again", timeout=5)
            assert gc.get_threshold()[0] == YOUNG_ALLOCATIONS
    finally:
        gc.enable()
        gc.set_threshold(*thresholds)


FROZEN_CHILD = """
import gc
from tui.app import ForumApp

ForumApp.run = lambda self, *args, **options: print(gc.get_freeze_count(), gc.isenabled())
from tui.launch import run_app

run_app(None, demo=False)
"""


def test_the_code_start_up_loads_is_kept_out_of_full_collections(tmp_path: Path) -> None:
    """``forum-tui`` freezes what its imports made (tens of thousands of objects that live as
    long as the app) before the app runs, so the collector's full passes no longer walk them."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", FROZEN_CHILD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    frozen, collecting = result.stdout.split()
    assert int(frozen) > 30_000 and collecting == "False", result.stdout


def test_the_engine_and_the_board_list_load_without_the_post_code_the_thread_model_or_web_readers() -> None:
    """A remembered account's way to the board list opens a session, reads the board index and
    shows it: the post parser and renderer and the model's parts for threads and posts and for
    the account's pages load with their first use, not with the engine, the web-page readers
    (and their HTML parser) only when a site or a feature needs them, and the time-zone
    database with the first time zone saved or read back."""
    code = (
        "import json, sys, tui.discuz.session, tui.auth, tui.saved, screens.boards;"
        " print(json.dumps(sorted(sys.modules)))"
    )
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    assert "tui.content.sanitize" in loaded
    later = {"tui.content.parse", "tui.content.document", "tui.content.render", "tui.content.plain"}
    later |= {"tui.discuz.web", "tui.discuz.web_search", "tui.discuz.web_notices", "tui.discuz.web_rating"}
    later |= {"selectolax", "tui.model.reading", "tui.model.members", "zoneinfo"}
    assert not later & loaded, sorted(later & loaded)


def test_a_page_of_a_known_site_is_read_without_the_model_of_boards_log_in_or_account_pages() -> None:
    """``forum-tui read`` of a site it knows parses and prints one thread page: the model's
    classes for boards, log-in and the account's pages are not even made (each costs the
    command a fraction of a millisecond at start), nor the patterns naming the language of
    code blocks compiled for a page without code, nor the session's author-card code loaded."""
    code = (
        "import json, sys, pathlib, tui.model; from tui.discuz import one_shot, parse;"
        " from tui.read_command import format_text;"
        " variables = json.loads(pathlib.Path(sys.argv[1]).read_bytes())['Variables'];"
        " print(format_text(parse.thread_page(variables, 'http://127.0.0.1/', page=1)));"
        " print(json.dumps([sorted(vars(tui.model)), sorted(sys.modules)]))"
    )
    capture = FIXTURES / "mobile/v4_viewthread_tid1_p1.json"
    command = [sys.executable, "-c", code, str(capture)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Daily check-in thread" in result.stdout
    made, loaded = (set(names) for names in json.loads(result.stdout.strip().splitlines()[-1]))
    assert {"Post", "ThreadPage", "CurrentUser"} <= made
    unused = {"Board", "BoardIndex", "SiteInfo", "LoginRequest", "Profile", "Notice", "SearchResult"}
    assert not unused & made, sorted(unused & made)
    assert "tui.content.parse" in loaded and "tui.content.languages" not in loaded
    assert "tui.discuz.authors" not in loaded  # author cards from profiles: a session's, on request


_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-_])")


def test_the_first_frame_showing_the_log_in_form_shows_it_whole(tmp_path: Path) -> None:
    """In a real terminal, the first time the form's labels are written its fields are written
    too (the site field, drawn with its example address, comes before the Username label): no
    frame of labels alone comes first."""
    import fcntl
    import pty
    import struct
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
    }
    command = [sys.executable, "-m", "tui"]
    process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, cwd=ROOT, env=env)
    os.close(child)
    written, deadline = "", time.monotonic() + 60
    try:
        while "Username" not in written and time.monotonic() < deadline:
            if select.select([main], [], [], 1)[0]:
                written += _ESCAPE.sub("", os.read(main, 65536).decode("utf-8", "replace"))
    finally:
        process.kill()
        process.wait()
        os.close(main)
    assert "Username" in written, written[-400:]
    assert "bbs.example.com" in written[: written.index("Username")], written[-400:]
