"""Drafts survive on disk, per site and place, and vanish when emptied."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import data_dir
from tui.drafts import DamagedDraftError, Draft, DraftStore, draft_key


def test_a_saved_draft_comes_back_from_a_new_store(tmp_path: Path) -> None:
    key = draft_key("http://bbs.example.com/", thread_id="42")
    DraftStore(tmp_path).save(key, Draft(text="半句话 half a sentence", quote_post_id="7"))
    restored = DraftStore(tmp_path).load(key)
    assert restored == Draft(text="半句话 half a sentence", quote_post_id="7")


def test_drafts_are_kept_apart_by_site_thread_and_board(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    places = [
        draft_key("http://a.example", thread_id="1"),
        draft_key("http://b.example", thread_id="1"),
        draft_key("http://a.example", thread_id="2"),
        draft_key("http://a.example", board_id="1"),
    ]
    for index, key in enumerate(places):
        store.save(key, Draft(text=f"text {index}", subject=f"subject {index}"))
    assert [store.load(key).text for key in places] == ["text 0", "text 1", "text 2", "text 3"]


def test_saving_an_empty_draft_removes_it(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    key = draft_key("http://a.example", thread_id="1")
    store.save(key, Draft(text="something"))
    store.save(key, Draft(text="   \n"))
    assert store.load(key) is None
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_draft_file_is_set_aside_never_lost(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    key = draft_key("http://a.example", thread_id="1")
    store.save(key, Draft(text="something"))
    (file,) = tmp_path.iterdir()
    file.write_text('{"key": "http://a.example thread 1", "text": "half a sen', encoding="utf-8")
    with pytest.raises(DamagedDraftError) as caught:
        store.load(key)
    kept = caught.value.kept_as
    assert kept != file and kept.read_text(encoding="utf-8").endswith("half a sen")
    assert f"kept as {kept}" in str(caught.value)
    assert store.load(key) is None  # the place is free again
    store.save(key, Draft(text=""))  # an emptied composer closing there
    assert kept.exists()


def test_drafts_live_in_the_data_folder_by_default() -> None:
    store = DraftStore()
    store.save(draft_key("http://a.example", board_id="3"), Draft(text="x", subject="s"))
    assert store.folder == data_dir() / "drafts"
    assert len(list(store.folder.glob("*.json"))) == 1
