"""Opening links and images outside the app: a terminal browser gets the terminal (the app
suspended), a desktop one runs on its own, and with none the link is shown and copied."""

from __future__ import annotations

import contextlib
import stat
from pathlib import Path

import pytest

from screens.thread import ThreadScreen
from tests.thread_helpers import HostApp, OnePageSession, captured_page, wait_for
from tui.opener import command_for, terminal_opener


def fake_program(folder: Path, name: str, log: Path) -> None:
    """An executable ``name`` that writes its arguments to ``log``."""
    program = folder / name
    program.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\n')
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def no_desktop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A machine without a desktop whose PATH holds only a private folder."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def test_without_a_desktop_the_terminal_browsers_are_used(no_desktop: Path, monkeypatch) -> None:
    assert terminal_opener() is None  # nothing installed
    fake_program(no_desktop, "w3m", no_desktop / "log")
    assert terminal_opener() == ["w3m"]
    fake_program(no_desktop, "www-browser", no_desktop / "log")
    assert terminal_opener() == ["www-browser"]  # Debian's choice comes first, as for Python


def test_browser_setting_and_a_desktop(no_desktop: Path, monkeypatch) -> None:
    fake_program(no_desktop, "lynx", no_desktop / "log")
    fake_program(no_desktop, "firefox", no_desktop / "log")
    monkeypatch.setenv("DISPLAY", ":0")
    assert terminal_opener() is None  # a desktop program will open it
    monkeypatch.setenv("BROWSER", "lynx -accept_all_cookies")
    assert terminal_opener() == ["lynx", "-accept_all_cookies"]
    monkeypatch.setenv("BROWSER", "firefox")
    assert terminal_opener() is None
    assert command_for(["w3m", "-o", "x=%s"], "http://a/") == ["w3m", "-o", "x=http://a/"]


async def test_b_runs_a_terminal_browser_with_the_app_suspended(no_desktop: Path, monkeypatch) -> None:
    log = no_desktop / "log"
    fake_program(no_desktop, "w3m", log)
    page = captured_page()
    session = OnePageSession(page)
    app = HostApp(session, ThreadScreen(session, page.thread.id))
    suspended: list[bool] = []

    @contextlib.contextmanager
    def suspend():
        suspended.append(True)
        yield

    monkeypatch.setattr(app, "suspend", suspend)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.view.floors())
        await pilot.press("b")
        await wait_for(pilot, lambda: log.exists())
        assert suspended == [True]
        assert "goto=findpost" in log.read_text()


async def test_with_no_opener_the_link_is_shown_and_copied(no_desktop: Path, monkeypatch) -> None:
    monkeypatch.setattr("webbrowser.open", lambda url, *args, **kwargs: False)
    page = captured_page()
    session = OnePageSession(page)
    app = HostApp(session, ThreadScreen(session, page.thread.id))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.view.floors())
        await pilot.press("b")
        await wait_for(pilot, lambda: "goto=findpost" in (app.clipboard or ""))
        assert any("link copied" in note.title for note in app.notifications)
