"""No password or session cookie ever reaches a file.

The whole user flow runs through the real app against the demo forum over HTTP: log in with
"Remember me" and a password made up for this test, reply in a thread, quit, start again (and
be logged in from the keyring), quit. Then every file in the config, data, cache, temp and home
locations is searched for the password, the auth cookie, the saltkey and the formhash (the
cache folder holds the pages saved for offline reading: the test checks there are some). Broad shared places
(the real temp folder and home) are searched for files changed during the test.

The demo forum keeps its state in its own temp folder, which is the one place left out: the
server legitimately stores a salted hash of the password there, which is not this client's.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from textual.widgets import TextArea

from tests.app_helpers import (
    boards_shown,
    cursor_floor,
    demo_app,
    fill_login,
    on_screen,
    screen_text,
    wait_until,
)
from tui.app import ForumApp
from tui.config import Settings, cache_dir, config_dir, data_dir
from tui.credentials import CredentialStore
from tui.demo.server import DemoForum
from tui.demo.store import hash_secret, new_salt
from tui.discuz.site_memory import sites_dir
from tui.saved import saved_pages_dir
from widgets.tick_box import TickBox

THREAD = "1"
USER = "user1"


def files_under(root: Path, *, changed_since: float = 0.0, leave_out: Path) -> Iterator[Path]:
    """Regular files below ``root`` (links not followed), optionally only recently changed ones."""
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if Path(entry.path) != leave_out:
                    yield from files_under(Path(entry.path), changed_since=changed_since, leave_out=leave_out)
            elif entry.is_file(follow_symlinks=False) and entry.stat().st_mtime >= changed_since:
                yield Path(entry.path)
        except OSError:
            continue


def leaks(roots: list[tuple[Path, float]], secret_values: dict[str, str], leave_out: Path) -> list[str]:
    """``"<what> in <file>"`` for every secret found in a file, as typed or URL-encoded."""
    needles = {
        form.encode(): what
        for what, value in secret_values.items()
        for form in {value, quote(value, safe="")}
    }
    paths = {
        path
        for root, changed_since in roots
        for path in files_under(root, changed_since=changed_since, leave_out=leave_out)
    }
    found = []
    for path in sorted(paths):
        try:
            content = path.read_bytes()
        except OSError:
            continue
        found += [f"{what} in {path}" for needle, what in needles.items() if needle in content]
    return found


@pytest.fixture
def own_forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoForum]:
    """The demo forum with its state in a folder of its own (left out of the search)."""
    with DemoForum(tmp_path_factory.mktemp("demo-forum-own-state")) as forum:
        yield forum


def set_password(forum: DemoForum, username: str, password: str) -> None:
    """Give a demo member a password nobody else uses, so any copy of it is this test's leak."""
    assert forum.site is not None
    salt = new_salt()
    forum.site.store.run(
        "UPDATE members SET password_hash = ?, salt = ? WHERE username = ?",
        hash_secret(password, salt), salt, username,
    )


async def log_in_and_reply(forum: DemoForum, password: str, reply: str) -> dict[str, str]:
    """Through the app: log in with Remember me, reply in a thread, quit. The session's cookies,
    and its formhash under "formhash"."""
    app = demo_app(forum.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        app.screen.query_one("#remember", TickBox).value = True
        await fill_login(pilot, USER, password)
        await wait_until(pilot, lambda: boards_shown(app), "the board list")
        assert app.context.session is not None
        cookies = {cookie.name: cookie.value or "" for cookie in app.context.session.api.client.cookies.jar}

        app.open_thread(THREAD)
        await wait_until(
            pilot,
            lambda: on_screen(app, "ThreadScreen") and cursor_floor(app) is not None,
            "the thread's first floor in focus",
        )
        await pilot.press("r")
        await wait_until(pilot, lambda: on_screen(app, "ComposerScreen"), "the composer")
        app.screen.query_one("#composer-text", TextArea).text = reply
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "the reply to be sent")
        await wait_until(pilot, lambda: len(list(saved_pages_dir().glob("*.json"))) >= 3, "pages saved")
        cookies["formhash"] = app.context.session.formhash  # the form token Discuz! answers repeat
        await pilot.press("ctrl+q")
    return cookies


async def start_again_logged_in(forum: DemoForum) -> None:
    """A second start with no address: the app resumes the last account from the keyring."""
    app = ForumApp(Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: app.status.user is not None and app.status.user.username == USER,
            "the saved session to be resumed",
        )
        assert not on_screen(app, "LoginScreen"), screen_text(app)
        await pilot.press("ctrl+q")


@pytest.mark.parametrize(
    "keyring_fixture",
    ["memory_keyring", pytest.param("real_keyring", marks=pytest.mark.real_keyring), "no_keyring"],
)
async def test_log_in_reply_and_quit_leave_no_secret_in_any_file(
    keyring_fixture: str,
    request: pytest.FixtureRequest,
    own_forum: DemoForum,
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request.getfixturevalue(keyring_fixture)
    started = time.time() - 1
    real_temp, real_home = Path(tempfile.gettempdir()), Path.home()
    private_temp = isolated_home / "tmp"
    private_temp.mkdir()
    monkeypatch.setenv("HOME", str(isolated_home))
    monkeypatch.setenv("TMPDIR", str(private_temp))
    monkeypatch.setattr(tempfile, "tempdir", str(private_temp))

    password = "pw-" + secrets.token_urlsafe(18)
    set_password(own_forum, USER, password)
    reply = "A reply from the no-secret-on-disk test " + secrets.token_hex(4)

    cookies = await log_in_and_reply(own_forum, password, reply)
    assert own_forum.site is not None
    assert own_forum.site.store.value("SELECT COUNT(*) FROM posts WHERE message LIKE ?", f"%{reply}%") == 1
    if keyring_fixture != "no_keyring":
        await start_again_logged_in(own_forum)

    secret_values = {"the password": password}
    for name, value in cookies.items():
        if name.endswith(("_auth", "_saltkey")):
            secret_values[f"the {name} cookie"] = value
    secret_values["the formhash"] = cookies["formhash"]
    assert len(secret_values) == 4 and all(len(value) >= 8 for value in secret_values.values())
    assert saved_pages_dir().is_relative_to(cache_dir()) and list(saved_pages_dir().glob("*.json"))
    assert list(sites_dir().glob("*.json"))  # the probe's remembered site facts are searched too

    roots = [(root, 0.0) for root in (config_dir(), data_dir(), cache_dir(), isolated_home, private_temp)]
    roots += [(real_temp, started), (real_home, started)]
    # A copy planted on purpose proves the search would see one; it must be the only one found.
    planted = private_temp / "planted-on-purpose"
    planted.write_text(password)
    assert leaks(roots, secret_values, own_forum.data_dir) == [f"the password in {planted}"]
    assert list(data_dir().glob("accounts.json")), "the account itself was remembered"
    await CredentialStore().forget(own_forum.url, USER, password=True)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """keyring's own "nothing usable" backend, as on a machine without a Secret Service."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)
