"""The saved pages on disk: models back as they went in, bounded in size (least recently used
out), filed per site and account, and never holding a session secret."""

from __future__ import annotations

import json
import os
from datetime import timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import FIXTURES
from tui.config import cache_dir
from tui.discuz import parse
from tui.model import BoardIndex, SiteInfo, ThreadList, ThreadPage
from tui.saved import SavedPages, saved_pages_dir

SITE = "http://127.0.0.1:8080"


def variables(name: str) -> dict:
    answer = json.loads((FIXTURES / "mobile" / name).read_text(encoding="utf-8"))
    return answer["Variables"]


def captured_thread_page(name: str = "v4_viewthread_tid1_p1.json") -> ThreadPage:
    return parse.thread_page(variables(name), SITE + "/", page=1)


def test_the_folder_is_in_the_cache_folder() -> None:
    assert saved_pages_dir().parent == cache_dir()


@pytest.mark.parametrize(
    ("model", "build"),
    [
        (ThreadPage, lambda: captured_thread_page()),
        (ThreadPage, lambda: captured_thread_page("v4_viewthread_tid13_table.json")),
        (BoardIndex, lambda: parse.board_index(variables("v4_forumindex_user1.json"))),
        (ThreadList, lambda: parse.thread_list(variables("v4_forumdisplay_fid2.json"), "2")),
        (SiteInfo, lambda: SiteInfo(SITE + "/", name="演示论坛", charset="gbk", language="zh")),
    ],
)
def test_a_captured_model_comes_back_equal(tmp_path: Path, model: type, build) -> None:
    store = SavedPages(tmp_path)
    original = build()
    assert store.save("k", original)
    assert store.load("k", model).model == original


def test_every_model_class_names_field_types_it_can_be_read_back_with() -> None:
    """Reading a model back resolves its fields' types in the module of its part of
    ``tui.model``, so each part must hold every name its fields refer to."""
    import dataclasses
    import typing

    import tui.model

    classes = [getattr(tui.model, name) for name in tui.model.__all__]
    for kind in (kind for kind in classes if dataclasses.is_dataclass(kind)):
        hints = typing.get_type_hints(kind)
        assert {field.name for field in dataclasses.fields(kind)} <= set(hints), kind


@pytest.mark.parametrize("zone", [ZoneInfo("Asia/Shanghai"), timezone(timedelta(hours=8)), None])
def test_a_thread_page_keeps_the_forums_time_zone(tmp_path: Path, zone) -> None:
    store = SavedPages(tmp_path)
    page = captured_thread_page()
    page.time_zone = zone
    store.save("k", page)
    loaded = store.load("k", ThreadPage).model
    assert loaded.time_zone == zone
    assert loaded.posts[0].time == page.posts[0].time


def test_keys_differ_per_site_account_and_question() -> None:
    asked = {"thread": "1", "page": 2}
    keys = {
        SavedPages.key(SITE, "", "thread_page", asked),
        SavedPages.key(SITE, "user1", "thread_page", asked),
        SavedPages.key(SITE, "user2", "thread_page", asked),
        SavedPages.key("http://other.example", "user1", "thread_page", asked),
        SavedPages.key(SITE, "user1", "thread_page", {"thread": "1", "page": 3}),
        SavedPages.key(SITE, "user1", "thread_list", asked),
    }
    assert len(keys) == 6
    assert SavedPages.key(SITE, "user1", "thread_page", {"page": 2, "thread": "1"}) in keys


def test_a_guest_never_reads_a_members_saved_page(tmp_path: Path) -> None:
    store = SavedPages(tmp_path)
    members_index = parse.board_index(variables("v4_forumindex_user1.json"))
    store.save(SavedPages.key(SITE, "user1", "board_index", {}), members_index)
    assert store.load(SavedPages.key(SITE, "", "board_index", {}), BoardIndex) is None


def test_the_folder_stays_within_its_bound_least_recently_read_out(tmp_path: Path) -> None:
    page = captured_thread_page()
    size = len(json.dumps(json.loads(_saved_text(tmp_path, page))).encode())
    store = SavedPages(tmp_path / "bounded", max_bytes=int(size * 3.5))
    for number, key in enumerate("abc"):
        store.save(key, page)
        os.utime(tmp_path / "bounded" / f"{key}.json", (1000 + number, 1000 + number))
    assert store.load("a", ThreadPage) is not None  # reading "a" makes "b" the least recently used
    store.save("d", page)
    assert store.total_bytes() <= store.max_bytes
    kept = {key for key in "abcd" if store.load(key, ThreadPage) is not None}
    assert kept == {"a", "c", "d"}


def test_reading_on_lists_the_folder_only_when_it_may_be_over_its_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full folder holds thousands of entries: listing it for every page read on would cost
    each page tens of milliseconds and a burst of garbage."""
    page = captured_thread_page()
    size = len(_saved_text(tmp_path, page).encode())
    store = SavedPages(tmp_path / "bounded", max_bytes=size * 50)
    listings: list[object] = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: listings.append(path) or scandir(path))
    for number in range(45):
        store.save(f"page-{number}", page)
    assert len(listings) == 1  # the first save learns the folder's size
    for number in range(45, 60):
        store.save(f"page-{number}", page)
    # past the bound, each listing trims room for several pages more
    assert 2 <= len(listings) <= 4
    assert store.total_bytes() <= store.max_bytes


def _saved_text(folder: Path, page: ThreadPage) -> str:
    SavedPages(folder).save("probe", page)
    return (folder / "probe.json").read_text(encoding="utf-8")


def test_nothing_is_written_when_the_model_holds_a_secret(tmp_path: Path) -> None:
    store = SavedPages(tmp_path)
    page = captured_thread_page()
    page.posts[0].html += '<a href="forum.php?mod=misc&formhash=f00dfeed12">x</a>'
    assert not store.save("k", page, secrets=["f00dfeed12"])
    assert not list(tmp_path.iterdir())
    assert store.save("k", page, secrets=["not-in-it-anywhere"])


def test_captured_answers_leave_their_session_fields_out(tmp_path: Path) -> None:
    """The capture's Variables carry auth, saltkey and formhash; the saved model has none."""
    raw = variables("v4_viewthread_tid1_p1.json")
    secrets = [raw[name] for name in ("auth", "saltkey", "formhash") if raw.get(name)]
    assert secrets, "the capture repeats the session's fields"
    store = SavedPages(tmp_path)
    assert store.save("k", captured_thread_page(), secrets=secrets)
    text = (tmp_path / "k.json").read_text(encoding="utf-8")
    assert not [secret for secret in secrets if secret in text]


@pytest.mark.parametrize(
    "content", ["", "{", '{"saved_at": 1, "model": {"posts": 3}}', "[]", '{"model": {}}']
)
def test_a_broken_entry_is_not_there(tmp_path: Path, content: str) -> None:
    (tmp_path / "k.json").write_text(content, encoding="utf-8")
    assert SavedPages(tmp_path).load("k", ThreadPage) is None


def test_an_unwritable_folder_saves_nothing_and_says_so(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert not SavedPages(blocked).save("k", captured_thread_page())
