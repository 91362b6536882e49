"""The small stores behind the thread list's marks: read leniently, written only on a change."""

from __future__ import annotations

from pathlib import Path

from tui import visits
from tui.visits import ClosedThreads

ACCOUNT = "https://bbs.example.org 2"


def test_a_thread_seen_closed_is_remembered_per_account_until_seen_open(tmp_path: Path) -> None:
    path = tmp_path / "closed.json"
    ClosedThreads(path).seen(ACCOUNT, "26", closed=False)
    assert not path.exists()  # nothing changed, nothing written
    ClosedThreads(path).seen(ACCOUNT, "26", closed=True)
    assert ClosedThreads(path).of(ACCOUNT) == {"26"}
    assert ClosedThreads(path).of("https://bbs.example.org 0") == set()
    ClosedThreads(path).seen(ACCOUNT, "26", closed=False)
    assert ClosedThreads(path).of(ACCOUNT) == set()


def test_a_broken_or_odd_file_means_nothing_seen(tmp_path: Path) -> None:
    path = tmp_path / "closed.json"
    for text in ("{not json", "[1, 2]", '{"a": "26"}', '{"a": [null, {"x": 1}]}'):
        path.write_text(text, encoding="utf-8")
        assert ClosedThreads(path).of("a") == set()


def test_the_oldest_closed_threads_are_forgotten_first(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(visits, "MAX_CLOSED_PER_ACCOUNT", 3)
    store = ClosedThreads(tmp_path / "closed.json")
    for tid in ("1", "2", "3", "4"):
        store.seen(ACCOUNT, tid, closed=True)
    assert ClosedThreads(tmp_path / "closed.json").of(ACCOUNT) == {"2", "3", "4"}
