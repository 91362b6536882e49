"""Every pasted-link shape Discuz! X produces resolves to the forum root and the right target."""

from __future__ import annotations

import pytest

from tui import registry
from tui.discuz.urls import resolve
from tui.errors import NotAForumError
from tui.model import Target, TargetKind
from tui.registry import resolve_target

SITE = "https://bbs.example.com/"
SUB = "https://example.com/bbs/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://bbs.example.com/forum.php?mod=viewthread&tid=123", Target(SITE, TargetKind.THREAD, "123")),
        (
            "https://bbs.example.com/forum.php?mod=viewthread&tid=123&extra=page%3D1&page=4",
            Target(SITE, TargetKind.THREAD, "123", 4),
        ),
        ("https://example.com/bbs/thread-77-3-1.html", Target(SUB, TargetKind.THREAD, "77", 3)),
        ("https://example.com/bbs/thread-77-3-1.html#pid901", Target(SUB, TargetKind.POST, "901", 3, "77")),
        ("https://bbs.example.com/forum.php?mod=forumdisplay&fid=8", Target(SITE, TargetKind.BOARD, "8")),
        (
            "https://bbs.example.com/forum.php?mod=forumdisplay&fid=8&page=2",
            Target(SITE, TargetKind.BOARD, "8", 2),
        ),
        ("https://example.com/bbs/forum-36-2.html", Target(SUB, TargetKind.BOARD, "36", 2)),
        (
            "http://127.0.0.1:8080/forum.php?mod=redirect&goto=findpost&pid=54&ptid=1",
            Target("http://127.0.0.1:8080/", TargetKind.POST, "54", 1, "1"),
        ),
        ("https://example.com/bbs/archiver/?tid-29.html", Target(SUB, TargetKind.THREAD, "29")),
        ("https://example.com/bbs/archiver/?fid-5.html", Target(SUB, TargetKind.BOARD, "5")),
        ("https://example.com/bbs/index.php", Target(SUB)),
        ("https://example.com/bbs/", Target(SUB)),
        ("https://example.com/bbs", Target(SUB)),
        ("https://bbs.example.com/forum.php", Target(SITE)),
        ("bbs.example.com", Target(SITE)),
        ("bbs.example.com/thread-5-1-1.html", Target(SITE, TargetKind.THREAD, "5")),
        ("127.0.0.1:8080", Target("http://127.0.0.1:8080/")),
        ("192.168.1.20", Target("https://192.168.1.20/")),  # a bare IP off this machine gets https too
        (
            "localhost:8080/forum.php?mod=viewthread&tid=2",
            Target("http://localhost:8080/", TargetKind.THREAD, "2"),
        ),
        (
            "https://bbs.example.com/forum.php?mod=viewthread&tid=1&page=3#pid54",
            Target(SITE, TargetKind.POST, "54", 3, "1"),
        ),
        (
            "https://bbs.example.com/api/mobile/index.php?version=4&module=viewthread&tid=9",
            Target(SITE, TargetKind.THREAD, "9"),
        ),
        ("https://Example.COM/bbs/viewthread.php?tid=12", Target(SUB.lower(), TargetKind.THREAD, "12")),
    ],
)
def test_every_link_shape_resolves(text: str, expected: Target) -> None:
    assert resolve(text) == expected


def test_engine_resolve_target_uses_the_discuz_resolver() -> None:
    assert resolve_target("bbs.example.com/forum-8-1.html") == Target(SITE, TargetKind.BOARD, "8")


@pytest.mark.parametrize("text", ["", "   ", "not a url at all", "ftp://example.com/forum.php"])
def test_text_that_is_no_address_is_refused(text: str) -> None:
    with pytest.raises(NotAForumError):
        resolve(text)


def test_the_registry_asks_each_engine_in_turn_and_opens_the_one_that_serves_the_link(monkeypatch) -> None:
    opened: list[str] = []

    def other_resolve(text: str) -> Target | None:
        return Target("https://other.example/", TargetKind.THREAD, "1") if "other.example" in text else None

    other = registry.Engine("other", other_resolve, lambda url, **options: opened.append(url))
    monkeypatch.setattr(registry, "_registered", {"other": other, **{e.name: e for e in registry.engines()}})
    assert resolve_target("https://other.example/t/1").kind is TargetKind.THREAD
    assert resolve_target("bbs.example.com/forum-8-1.html") == Target(SITE, TargetKind.BOARD, "8")
    registry.open_session("https://other.example/t/1")
    assert opened == ["https://other.example/"]
