"""``forum-tui read URL --all`` against the demo forum over HTTP: every page in one document."""

from __future__ import annotations

import argparse
import json

import pytest

from tui.cli import _read_parser
from tui.read_command import run_read


def read_args(*argv: str) -> argparse.Namespace:
    return _read_parser().parse_args(list(argv))


def test_all_pages_as_one_json_document(forum_server, capsys: pytest.CaptureFixture[str]) -> None:
    url = forum_server.url + "forum.php?mod=viewthread&tid=1"
    assert run_read(read_args(url, "--all", "--format", "json")) == 0
    out, err = capsys.readouterr()
    document = json.loads(out)  # one document, not one per page
    assert [post["floor"] for post in document["posts"]] == list(range(1, 127))
    assert document["thread"]["pages"] == 13 and document["thread"]["page"] is None
    assert err == ""  # progress only goes to a terminal


def test_all_pages_as_markdown_and_text(forum_server, capsys: pytest.CaptureFixture[str]) -> None:
    url = forum_server.url + "thread-1-1-1.html"
    assert run_read(read_args(url, "--all", "--format", "markdown")) == 0
    markdown = capsys.readouterr().out
    assert markdown.count("\n### #") == 126 and "all 13 pages" in markdown
    assert run_read(read_args(url, "--all", "--author", "2")) == 0
    text = capsys.readouterr().out
    floors = [line for line in text.splitlines() if line.startswith("#")]
    assert floors and all(" user1 · " in line for line in floors)


def test_progress_goes_to_stderr_on_a_terminal(forum_server, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert run_read(read_args(forum_server.url + "thread-1-1-1.html", "--all")) == 0
    err = capsys.readouterr().err
    assert "reading page 1/13" in err and "reading page 13/13" in err


def test_all_with_a_page_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_read(read_args("http://127.0.0.1:9/thread-1-1-1.html", "--all", "--page", "2")) == 2
    assert "--all" in capsys.readouterr().err
