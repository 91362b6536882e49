"""Images in posts: fetched with the site as Referer, cached on disk once, opened with `i`."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from screens.thread import ThreadScreen
from tests.app_helpers import cursor_floor
from tests.thread_helpers import HostApp, wait_for
from tui import images
from tui.config import Settings
from tui.discuz import session as discuz_session
from tui.discuz.session import DiscuzSession
from tui.errors import ForumError, NotFoundError
from tui.registry import open_session
from widgets.thread_view import ThreadView

SIZE = (100, 30)
IMAGE_THREAD = "28"  # its first floor shows sunset.png and lake.png (attachments 1 and 2)
IMAGE_PATH = "/data/attachment/forum/"


@pytest.fixture
async def session(forum_server):
    session = open_session(forum_server.url)
    yield session
    await session.aclose()


@pytest.fixture
def image_requests(forum_server, monkeypatch) -> list[tuple[str, str]]:
    """(path, Referer) of every request the demo forum gets for an attached file."""
    seen: list[tuple[str, str]] = []
    site = forum_server.site
    handle = site.handle

    def recording(request):
        if request.path.startswith(IMAGE_PATH):
            seen.append((request.path, request.headers.get("referer", "")))
        return handle(request)

    monkeypatch.setattr(site, "handle", recording)
    return seen


@pytest.fixture
def opened_paths(monkeypatch) -> list[Path]:
    """The files the system viewer was asked to show (no viewer is really started)."""
    paths: list[Path] = []

    async def fake_open(path: Path) -> bool:
        paths.append(path)
        return True

    monkeypatch.setattr(images, "open_in_viewer", fake_open)
    return paths


def notes(app: HostApp) -> list[str]:
    return [f"{note.title} {note.message}" for note in app.notifications]


async def thread_opened(pilot) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ThreadScreen))
    view = pilot.app.screen.query_one(ThreadView)
    await wait_for(
        pilot,
        lambda: view.floors() and not view.is_loading and cursor_floor(pilot.app) is not None,
        timeout=30,
    )


def served(forum_server, name: str) -> bytes:
    return httpx.get(f"{forum_server.url}data/attachment/forum/demo/{name}").content


async def test_i_downloads_each_image_once_and_opens_the_cached_file(
    session, forum_server, image_requests, opened_paths
) -> None:
    app = HostApp(session, ThreadScreen(session, IMAGE_THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await thread_opened(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: len(opened_paths) == 1, timeout=30, describe=lambda: str(notes(app)))
        await pilot.press("i")
        await wait_for(pilot, lambda: len(opened_paths) == 2, timeout=30, describe=lambda: str(notes(app)))
        await pilot.press("i")  # back to the first: from the cache this time
        await wait_for(pilot, lambda: len(opened_paths) == 3, timeout=30, describe=lambda: str(notes(app)))
        said = notes(app)
    fetched = list(image_requests)
    sunset, lake = served(forum_server, "sunset.png"), served(forum_server, "lake.png")
    assert sunset.startswith(b"\x89PNG") and sunset != lake
    assert opened_paths[0].read_bytes() == sunset
    assert opened_paths[1].read_bytes() == lake
    assert opened_paths[2] == opened_paths[0]
    assert opened_paths[0].parent == images.image_cache_dir()
    assert [path for path, _ in fetched] == [IMAGE_PATH + "demo/sunset.png", IMAGE_PATH + "demo/lake.png"]
    assert all(referer == forum_server.url for _, referer in fetched)
    assert any("image 1 of 2: sunset.png" in note for note in said)
    assert any("image 2 of 2: lake.png" in note for note in said)


async def test_data_saver_fetches_nothing_and_says_images_are_off(
    session, image_requests, opened_paths
) -> None:
    app = HostApp(session, ThreadScreen(session, IMAGE_THREAD), Settings(images=False))
    async with app.run_test(size=SIZE) as pilot:
        await thread_opened(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: app.notifications, timeout=30)
        said = notes(app)
    assert any("images are off" in note.lower() for note in said)
    assert image_requests == [] and opened_paths == []
    assert not images.image_cache_dir().exists()


async def test_a_broken_image_is_a_notification_not_a_crash(session, forum_server, opened_paths) -> None:
    app = HostApp(session, ThreadScreen(session, IMAGE_THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await thread_opened(pilot)
        forum_server.site.store.run("DELETE FROM attachments WHERE aid = 1")
        await pilot.press("i")
        await wait_for(pilot, lambda: app.notifications, timeout=30, describe=lambda: str(notes(app)))
        said = notes(app)
        assert isinstance(app.screen, ThreadScreen)
    assert opened_paths == []
    assert any("Image not opened" in note and "sunset.png" in note for note in said)
    cache = images.image_cache_dir()
    assert not cache.exists() or not any(cache.iterdir())


async def test_fetch_image_sends_the_referer_and_refuses_oversized_images(monkeypatch) -> None:
    monkeypatch.setattr(discuz_session, "MAX_IMAGE_BYTES", 1000)
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.headers.get("referer", ""))
        if request.url.path.endswith("big.png"):
            return httpx.Response(200, content=b"x" * 2000, headers={"content-type": "image/png"})
        if request.url.path.endswith("gone.png"):
            return httpx.Response(404, content=b"Not Found")
        if request.url.path.endswith("empty.png"):
            return httpx.Response(200, content=b"", headers={"content-type": "image/png"})
        return httpx.Response(200, content=b"\x89PNG small", headers={"content-type": "image/png"})

    forum = DiscuzSession("http://forum.example/", transport=httpx.MockTransport(answer))
    try:
        assert await forum.fetch_image("http://forum.example/data/ok.png") == b"\x89PNG small"
        with pytest.raises(ForumError, match="bigger than"):
            await forum.fetch_image("http://forum.example/data/big.png")
        with pytest.raises(NotFoundError):
            await forum.fetch_image("http://forum.example/data/gone.png")
        with pytest.raises(NotFoundError, match="empty"):
            await forum.fetch_image("http://forum.example/data/empty.png")
    finally:
        await forum.aclose()
    assert asked == ["http://forum.example/"] * 4
