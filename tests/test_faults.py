"""A hostile server on loopback against ``forum-tui read`` and the app: every fault ends within
its deadline, with a message naming it, no traceback, bounded memory, and a way on.

Deadlines here are short (``DEADLINE`` seconds, set the way a user sets them) so a stall costs
the test suite seconds, not the default half-minute.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc

import pytest

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
    once_then,
    refused_url,
)
from tui.read_command import run_read

DEADLINE = 2.0
SLACK = 3.0  # what a loaded test machine may add on top of a deadline


@pytest.fixture
def server() -> FaultServer:
    with fault_server() as running:
        yield running


def read_args(url: str, fmt: str = "text") -> argparse.Namespace:
    return argparse.Namespace(url=url, page=None, author=None, reverse=False, format=fmt, timeout=DEADLINE)


def read(url: str, capsys: pytest.CaptureFixture[str], fmt: str = "text") -> tuple[int, str, str]:
    code = run_read(read_args(url, fmt))
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
    started = time.monotonic()
    code, out, err = read(server.thread_url, capsys)
    assert elapsed(started) < DEADLINE + SLACK
    assert code == 1 and out == ""
    assert err.startswith("forum-tui read: ") and err.count("\n") == 1, err
    assert words in err, err


def test_read_of_a_refused_connection_says_it_could_not_reach_the_forum(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = read(refused_url() + "forum.php?mod=viewthread&tid=1", capsys)
    assert code == 1 and out == "" and "Could not reach the forum" in err


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
    server.fail("viewthread@v4", once_then(busy, answer("200 OK", capture(CAPTURES["viewthread"]))))
    code, out, _ = read(server.thread_url, capsys)
    assert code == 0 and "Daily check-in thread" in out
    assert server.count("viewthread") >= 3  # v4 twice (busy, then fine) and v1 once


def test_hanging_extras_leave_the_page_out_of_them_within_their_short_wait(
    server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.fail("viewthread@v1", hang)
    server.fail("smiley", hang)
    server.fail("profile", hang)
    started = time.monotonic()
    code, out, err = read(server.thread_url, capsys)
    assert code == 0 and "Daily check-in thread" in out, err
    assert elapsed(started) < DEADLINE + SLACK


def test_escape_sequences_in_names_never_reach_the_output(
    server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.fail("viewthread@v4", hostile_names())
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
    server.fail("viewthread@v4", gbk_under_utf8_label())
    code, _, err = read(server.thread_url, capsys)
    assert code == 1 and "broken text encoding" in err


def test_gbk_bytes_under_a_utf8_label_on_a_gbk_site_decode_as_gbk(
    server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    check = json.loads(capture(CAPTURES["check"]))
    check["charset"] = "gbk"
    server.fail("check", json_answer(check))
    server.fail("viewthread@v4", gbk_under_utf8_label())
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
