"""The reading-position file: round trip, newest first, bounded, and lenient with a bad file."""

from __future__ import annotations

import json

from tui.history import MAX_PER_ACCOUNT, ReadingHistory, account_key

ACCOUNT = account_key("http://bbs.example.com/", "2")


def test_positions_round_trip_newest_first(tmp_path) -> None:
    path = tmp_path / "history.json"
    history = ReadingHistory(path)
    history.record(ACCOUNT, "1", subject="打卡楼", floor=12, floors=126, post_id="30")
    history.record(ACCOUNT, "7", subject="English", floor=2, floors=3, post_id="41")
    history.record(account_key("http://bbs.example.com/", "0"), "1", subject="打卡楼", floor=3, floors=126)
    history.save()
    again = ReadingHistory(path)
    assert [entry.thread_id for entry in again.entries(ACCOUNT)] == ["7", "1"]
    assert again.position(ACCOUNT, "1").floor == 12  # the guest's own place does not mix in
    assert again.position(account_key("http://bbs.example.com", "0"), "1").floor == 3


def test_each_account_keeps_only_its_latest_threads(tmp_path) -> None:
    history = ReadingHistory(tmp_path / "history.json")
    for number in range(MAX_PER_ACCOUNT + 5):
        history.record(ACCOUNT, str(number), subject="", floor=1, floors=1)
    ids = {entry.thread_id for entry in history.entries(ACCOUNT)}
    assert len(ids) == MAX_PER_ACCOUNT and "0" not in ids and str(MAX_PER_ACCOUNT + 4) in ids


def test_a_broken_or_odd_file_gives_an_empty_history_and_says_so(tmp_path) -> None:
    path = tmp_path / "history.json"
    path.write_text("{not json", encoding="utf-8")
    broken = ReadingHistory(path)
    assert broken.entries(ACCOUNT) == [] and "history.json" in broken.problem
    odd = {"accounts": {ACCOUNT: [{"thread_id": "1", "floor": "many"}, 5, {"thread_id": "2", "subject": "s",
                                  "floor": 3, "floors": 9, "read_at": 1.0}]}}  # fmt: skip
    path.write_text(json.dumps(odd), encoding="utf-8")
    assert [entry.thread_id for entry in ReadingHistory(path).entries(ACCOUNT)] == ["2"]
