"""A hostile server on loopback against ``forum-tui read`` and the app: every fault ends within
its deadline, with a message naming it, no traceback, bounded memory, and a way on.

Deadlines here are short (``DEADLINE`` seconds, set the way a user sets them) so a stall costs
the test suite seconds, not the default half-minute.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
import tracemalloc

import pytest
from textual.widgets import Input

from tests.app_helpers import displayed, on_screen, screen_text, wait_until
from tests.conftest import ROOT
from tests.fault_server import (
    CAPTURES,
    FAULTS,
    FaultServer,
    answer,
    capture,
    elapsed,
    fault_server,
    gbk_under_utf8_label,
    hang,
    hostile_names,
    json_answer,
    no_boards,
    once_then,
    refused_url,
)
from tui.app import ForumApp
from tui.config import Settings
from tui.discuz.site_memory import SiteFacts, SiteMemory
from tui.read_command import run_read
from widgets.tick_box import TickBox

DEADLINE = 2.0
SLACK = 3.0  # what a loaded test machine may add on top of a deadline
APP_DEADLINE = 10.0  # where answers come at once: a loaded machine must not turn them into stalls


@pytest.fixture
def server() -> FaultServer:
    with fault_server() as running:
        yield running


def read_args(url: str, fmt: str = "text", timeout: float = DEADLINE) -> argparse.Namespace:
    return argparse.Namespace(url=url, page=None, author=None, reverse=False, format=fmt, timeout=timeout)


def read(
    url: str, capsys: pytest.CaptureFixture[str], fmt: str = "text", timeout: float = DEADLINE
) -> tuple[int, str, str]:
    code = run_read(read_args(url, fmt, timeout))
    out, err = capsys.readouterr()
    return code, out, err


# (fault on the thread answer, words the one-line message must contain)
READ_FAULTS = [
    ("hang", "took too long"),
    ("trickle", "took too long"),
    ("reset", "connection to the forum dropped"),
    ("500", "server error (HTTP 500)"),
    ("503", "busy (HTTP 503). Wait 120 seconds"),
    ("429", "limiting requests (HTTP 429). Wait 90 seconds"),
    ("html", "web page instead of forum data"),
    ("truncated", "cut off or malformed"),
    ("redirect loop", "redirect loop"),
    ("bad gzip", "wrongly compressed"),
    ("huge", "too large to read"),
    ("no postlist", "no thread or no list of posts"),
    ("no thread", "no thread or no list of posts"),
]


@pytest.mark.parametrize(("fault", "words"), READ_FAULTS, ids=[fault for fault, _ in READ_FAULTS])
def test_read_names_each_fault_in_one_line_and_exits_1(
    server: FaultServer, capsys: pytest.CaptureFixture[str], fault: str, words: str
) -> None:
    server.fail("viewthread", FAULTS[fault]())
    assert_read_names_the_fault(server, capsys, fault, words)


def assert_read_names_the_fault(
    server: FaultServer, capsys: pytest.CaptureFixture[str], fault: str, words: str
) -> None:
    """A read of the thread fails in one line with ``words``, within its deadline."""
    deadline = DEADLINE if fault in ("hang", "trickle") else APP_DEADLINE  # only stalls wait for it
    started = time.monotonic()
    code, out, err = read(server.thread_url, capsys, timeout=deadline)
    assert elapsed(started) < deadline + SLACK
    assert code == 1 and out == ""
    assert err.startswith("forum-tui read: ") and err.count("\n") == 1, err
    assert words in err, err


# A web page where the API answered means the API may have been turned off since: the session
# then finds out (see test_site_memory), so that fault is not the one-request read's to name.
ONE_REQUEST_FAULTS = [(fault, words) for fault, words in READ_FAULTS if fault != "html"]


@pytest.mark.parametrize(
    ("fault", "words"), ONE_REQUEST_FAULTS, ids=[fault for fault, _ in ONE_REQUEST_FAULTS]
)
def test_a_read_of_a_known_site_in_one_request_names_each_fault_the_same_way(
    server: FaultServer, capsys: pytest.CaptureFixture[str], fault: str, words: str
) -> None:
    """A site read before is read in one v1 request without a session: only that request
    fails here, so a read that fell back to the session (v4 with v1 beside it) would succeed."""
    memory = SiteMemory(server.url)
    memory.remember_facts(SiteFacts(server.url, mobile_api=True))
    memory.remember_smilies({})
    server.fail("viewthread@v1", FAULTS[fault]())
    assert_read_names_the_fault(server, capsys, fault, words)
    assert server.count("check") == 0


def test_a_hot_reply_v1_numbers_minus_one_sends_a_known_sites_page_to_v4_for_its_floor(
    server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    memory = SiteMemory(server.url)
    memory.remember_facts(SiteFacts(server.url, mobile_api=True))
    memory.remember_smilies({})
    v1 = json.loads(capture(CAPTURES["viewthread"]))
    for row in v1["Variables"]["postlist"]:
        del row["position"]  # v1 sends none
    v1["Variables"]["postlist"][1]["number"] = "-1"  # a hot reply repeated on page 1
    server.fail("viewthread@v1", json_answer(v1))
    code, out, err = read(server.thread_url, capsys)
    assert code == 0, err
    assert "#-1 " not in out and "\n#2 " in out
    assert server.count("viewthread") == 3  # the one-request read, then the session: v1 and v4


def test_read_of_a_refused_connection_says_it_could_not_reach_the_forum(
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = refused_url()
    code, out, err = read(site + "forum.php?mod=viewthread&tid=1", capsys)
    assert code == 1 and out == "" and "Could not reach the forum" in err
    SiteMemory(site).remember_facts(SiteFacts(site, mobile_api=True))  # read in one request now
    assert read(site + "forum.php?mod=viewthread&tid=1", capsys) == (code, out, err)


def test_a_huge_answer_is_refused_with_bounded_memory(
    server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.fail("viewthread", FAULTS["huge"]())
    tracemalloc.start()
    try:
        code, _, err = read(server.thread_url, capsys)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 1 and "too large to read (over 8 MB)" in err
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB while refusing a 50 MB answer"


def test_a_passing_503_is_retried_and_the_page_printed(
    server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    busy = answer("503 Service Unavailable", b"<html>Busy</html>", "text/html", Retry_After="0")
    server.fail("viewthread@v1", once_then(busy, answer("200 OK", capture(CAPTURES["viewthread"]))))
    code, out, _ = read(server.thread_url, capsys)
    assert code == 0 and "Daily check-in thread" in out
    assert server.count("viewthread") == 2  # v1 twice (busy, then fine): the page needs no more


def test_hanging_extras_leave_the_page_out_of_them_within_their_short_wait(
    server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """One author's page reads v4 for its floors, v1 beside it only for the bodies: an extra."""
    server.fail("viewthread@v1", hang)
    server.fail("smiley", hang)
    server.fail("profile", hang)
    started = time.monotonic()
    code = run_read(argparse.Namespace(**{**vars(read_args(server.thread_url)), "author": "2"}))
    out, err = capsys.readouterr()
    assert code == 0 and "Daily check-in thread" in out, err
    assert elapsed(started) < DEADLINE + SLACK


def test_escape_sequences_in_names_never_reach_the_output(
    server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.fail("viewthread", hostile_names())
    for fmt in ("text", "markdown", "json"):
        code, out, err = read(server.thread_url, capsys, fmt)
        assert code == 0, err
        text = json.loads(out)["thread"]["subject"] if fmt == "json" else out
        assert "evilred" in text.replace("\u202e", "")
        for leftover in ("\x1b", "]0;", "pwned", "]52;", "[2J", "[31m", "\u202e", "\x07"):
            assert leftover not in text, (fmt, leftover)


def test_gbk_bytes_under_a_utf8_label_on_a_utf8_site_are_a_broken_encoding(
    server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.fail("viewthread", gbk_under_utf8_label())
    code, _, err = read(server.thread_url, capsys)
    assert code == 1 and "broken text encoding" in err


def test_gbk_bytes_under_a_utf8_label_on_a_gbk_site_decode_as_gbk(
    server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    check = json.loads(capture(CAPTURES["check"]))
    check["charset"] = "gbk"
    server.fail("check", json_answer(check))
    server.fail("viewthread", gbk_under_utf8_label())
    code, out, err = read(server.thread_url, capsys)
    assert code == 0 and "【水楼】每日打卡签到楼" in out, err


# ----- the real command, as a user runs it ----------------------------------------------------


def forum_tui(*args: str, **options: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tui", *args], cwd=ROOT, env=env, text=True, stderr=subprocess.PIPE, **options
    )


@pytest.mark.parametrize("fault", ["redirect loop", "bad gzip", "hang"])
def test_the_command_ends_in_one_line_without_a_traceback(server: FaultServer, fault: str) -> None:
    server.fail("viewthread", FAULTS[fault]())
    process = forum_tui("read", server.thread_url, "--timeout", str(DEADLINE), stdout=subprocess.PIPE)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 1 and out == ""
    assert "Traceback" not in err and err.startswith("forum-tui read: ") and err.count("\n") == 1, err


def test_a_reader_that_stops_early_ends_the_command_quietly(server: FaultServer) -> None:
    process = forum_tui("read", server.thread_url, "--timeout", str(DEADLINE), stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # like `| head -0`: nobody reads what the command prints
    _, err = process.communicate(timeout=30)
    assert err == "" and process.returncode != 0


# ----- the app ------------------------------------------------------------------------------------


def fault_app(start: str | None = None, timeout: float = APP_DEADLINE) -> ForumApp:
    return ForumApp(Settings(timeout=timeout), start=start)


def shown_problem(app: ForumApp, selector: str = "#problem") -> str:
    """The current screen's inline message ('' when hidden, or before that screen is up)."""
    found = app.screen.query(selector)
    return str(found.first().render()) if found and found.first().display else ""


@pytest.mark.parametrize(
    ("fault", "words"), [("redirect loop", "redirect loop"), ("hang", "took too long"), ("500", "HTTP 500")]
)
async def test_a_site_that_fails_at_start_up_opens_the_log_in_screen_saying_why(
    server: FaultServer, memory_keyring, fault: str, words: str
) -> None:
    server.fail("*", FAULTS[fault]())  # the whole site is broken
    deadline = DEADLINE if fault == "hang" else APP_DEADLINE
    app = fault_app(server.url, deadline)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen", deadline + SLACK)
        assert words in shown_problem(app)
        assert app.screen.query_one("#site", Input).value == server.url  # to try again, or change it


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_esc_on_the_splash_stops_connecting_and_offers_the_site_picker(
    server: FaultServer, memory_keyring, key: str
) -> None:
    server.fail("check", hang)
    app = ForumApp(Settings(timeout=60), start=server.url)  # far longer than the test waits
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: server.count("check") > 0, "the probe to be under way")
        assert "Esc or q: stop" in screen_text(app) and "Connecting to 127.0.0.1" in screen_text(app)
        await pilot.press(key)
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        assert "Stopped connecting" in shown_problem(app)


async def test_an_index_with_no_boards_says_so_and_offers_a_guest_the_log_in(
    server: FaultServer, memory_keyring
) -> None:
    server.fail("forumindex", no_boards())
    app = fault_app(server.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        assert "This forum shows no boards to you" in shown_problem(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: on_screen(app, "BoardsScreen"), "the board list again")
        assert "This forum shows no boards to you" in shown_problem(app)


async def test_a_failed_thread_load_says_why_r_tries_again_and_esc_goes_back(
    server: FaultServer, memory_keyring
) -> None:
    server.fail("viewthread", FAULTS["500"]())
    app = fault_app(server.thread_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: "HTTP 500" in shown_problem(app),
            "the error",
            APP_DEADLINE + SLACK,
        )
        assert "r: try again" in shown_problem(app)
        assert app.focused is None  # nothing hidden takes the keys typed next
        await pilot.press("x", "y", "z")
        assert app.screen.query_one("#thread-prompt", Input).value == ""

        del server.routes["viewthread"]  # the forum is well again
        await pilot.press("r")
        await wait_until(pilot, lambda: "Daily check-in thread" in screen_text(app), "the thread after r")
        assert not on_screen(app, "ComposerScreen")

        server.fail("viewthread", FAULTS["503"]())
        app.open_thread("1")
        await wait_until(pilot, lambda: "HTTP 503" in shown_problem(app), "the busy forum")
        assert "Wait 120 seconds" in shown_problem(app)
        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: on_screen(app, "ThreadScreen") and app.screen.load_failed is False,
            "the thread read before",
        )


# The faults the thread view must name as ``read`` does: stalls are covered at start-up, 500
# and 503 by their own tests above, and a missing thread says the same as a missing post list.
COVERED_APART = {"hang", "trickle", "500", "503", "no thread"}
THREAD_FAULTS = [(fault, words) for fault, words in READ_FAULTS if fault not in COVERED_APART]


@pytest.mark.parametrize(("fault", "words"), THREAD_FAULTS, ids=[fault for fault, _ in THREAD_FAULTS])
async def test_the_thread_view_names_each_fault_and_offers_a_retry(
    server: FaultServer, memory_keyring, fault: str, words: str
) -> None:
    server.fail("viewthread", FAULTS[fault]())
    app = fault_app(server.thread_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: "r: try again" in shown_problem(app),
            "the error",
            APP_DEADLINE + SLACK,
        )
        assert words in shown_problem(app)


async def test_hanging_extras_do_not_hold_the_thread_view(server: FaultServer, memory_keyring) -> None:
    server.fail("smiley", hang)
    server.fail("profile", hang)
    app = fault_app(server.thread_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "the thread screen")
        started = time.monotonic()
        await wait_until(
            pilot, lambda: "Daily check-in thread" in screen_text(app), "the thread", APP_DEADLINE
        )
        assert elapsed(started) < APP_DEADLINE  # the extras' short wait, not the request deadline


async def test_escape_sequences_in_names_never_reach_the_screen(server: FaultServer, memory_keyring) -> None:
    server.fail("viewthread", hostile_names())
    app = fault_app(server.thread_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "evilred" in screen_text(app), "the thread with its hostile names")
        shown = screen_text(app)
        for leftover in ("pwned", "]0;", "]52;", "[2J", "[31m", "\u202e"):
            assert leftover not in shown, leftover


async def test_the_log_in_screen_warns_before_a_password_would_travel_unencrypted(memory_keyring) -> None:
    app = fault_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        site = app.screen.query_one("#site", Input)
        for typed, warned in (
            ("http://bbs.example.com/", True),
            ("https://bbs.example.com/", False),
            ("bbs.example.com", False),
            ("http://127.0.0.1:8080/", False),
            ("http://192.168.1.20/", True),
        ):
            site.value = typed
            await wait_until(
                pilot, lambda warned=warned: displayed(app, "#insecure") == warned, f"the warning for {typed}"
            )
        site.value = "http://bbs.example.com/"
        await wait_until(pilot, lambda: "travel unencrypted" in screen_text(app), "the warning on screen")


async def test_a_bare_host_unreachable_over_https_is_offered_over_http_with_the_warning(
    memory_keyring,
) -> None:
    app = fault_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        site = app.screen.query_one("#site", Input)
        site.value = "bbs.invalid"  # a name that never resolves: https cannot reach it
        await pilot.click("#guest")
        await wait_until(pilot, lambda: site.value == "http://bbs.invalid", "the http address offered")
        assert "send again to use it" in shown_problem(app)
        await wait_until(pilot, lambda: "travel unencrypted" in screen_text(app), "the warning on screen")


async def test_remember_me_looks_different_ticked_and_unticked(memory_keyring) -> None:
    app = fault_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        box = app.screen.query_one("#remember", TickBox)
        unticked = str(box.render())
        box.value = True
        await pilot.pause()
        ticked = str(box.render())
        assert "X" in ticked and "X" not in unticked
        assert ticked.replace("X", " ") == unticked


def test_the_app_exits_non_zero_after_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui import launch

    def crash(self: ForumApp) -> None:
        self.exit(return_code=1)  # how Textual ends an app that met an unhandled exception

    monkeypatch.setattr(ForumApp, "run", crash)
    # run_app pauses the collector (the app, never started here, would turn it back on) and
    # freezes what is loaded: neither may outlast this test in the tests' own process.
    monkeypatch.setattr("tui.collector.keep_loaded_code", lambda: None)
    try:
        assert launch.run_app(url=None, demo=False) == 1
    finally:
        gc.enable()
