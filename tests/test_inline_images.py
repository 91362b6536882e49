"""Images drawn inline under a floor: only where the terminal can draw them and images are on."""

from __future__ import annotations

import pytest

from screens.thread import ThreadScreen
from tests.app_helpers import cursor_floor
from tests.test_images import (
    IMAGE_PATH,
    IMAGE_THREAD,
    SIZE,
    image_requests,
    opened_paths,
    served,
    session,
    thread_opened,
)
from tests.thread_helpers import HostApp, wait_for
from tui.config import Settings
from widgets import inline_image
from widgets.thread_view import ThreadView

__all__ = ["image_requests", "opened_paths", "session"]  # fixtures shared with test_images


@pytest.fixture
def forced(monkeypatch) -> list[object]:
    """Pretend the terminal speaks the kitty graphics protocol; records who asked."""
    asked: list[object] = []

    def protocol(app) -> str:
        asked.append(app)
        return inline_image.TGP

    monkeypatch.setattr(inline_image, "graphics_protocol", protocol)
    return asked


def pictures(app: HostApp) -> list:
    return list(app.screen.query(".post--image"))


async def images_done(pilot) -> None:
    """Every mounted floor has drawn its images, or found it cannot, or started nothing."""
    drawing = lambda: [w for w in pilot.app.workers if w.group == "inline-images" and not w.is_finished]  # noqa: E731
    await wait_for(pilot, lambda: not drawing(), timeout=30)


async def test_a_floor_draws_its_images_once_fetched_and_fetches_each_once(
    session, forum_server, image_requests, opened_paths, forced
) -> None:
    from textual_image.widget import TGPImage

    app = HostApp(session, ThreadScreen(session, IMAGE_THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await thread_opened(pilot)
        await wait_for(pilot, lambda: len(pictures(app)) == 2, timeout=30)
        await pilot.press("i")  # opening one now comes from the cache
        await wait_for(pilot, lambda: len(opened_paths) == 1, timeout=30)
        fetched = [path for path, _ in image_requests]
        shown = pictures(app)
        view = app.screen.query_one(ThreadView)
        first = view.floors()[0]
        drawn = list(first.block.parent.children)  # the page: the pictures follow the floor's lines
        below = drawn.index(first.block) + 1
        assert first.block.floors[-1] is first and drawn[below : below + 2] == shown
        assert all(isinstance(picture, TGPImage) for picture in shown)
        assert view.span_of(first)[1] <= view.span_of(shown[0])[0] < view.span_of(view.floors()[1])[0]
        assert [picture.image.read_bytes() for picture in shown] == [
            served(forum_server, "sunset.png"),
            served(forum_server, "lake.png"),
        ]
        sizes = [(picture.region.width, picture.region.height) for picture in shown]
        assert all(w <= inline_image.MAX_WIDTH and h <= inline_image.MAX_HEIGHT for w, h in sizes)
    assert sorted(fetched) == [IMAGE_PATH + "demo/lake.png", IMAGE_PATH + "demo/sunset.png"]
    assert opened_paths[0] == shown[0].image


async def test_an_image_that_cannot_be_fetched_keeps_its_placeholder(
    session, forum_server, image_requests, forced
) -> None:
    forum_server.site.store.run("DELETE FROM attachments WHERE aid = 1")
    app = HostApp(session, ThreadScreen(session, IMAGE_THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await thread_opened(pilot)
        await wait_for(pilot, lambda: len(pictures(app)) == 1, timeout=30)
        await images_done(pilot)
        assert [picture.image.name.endswith(".png") for picture in pictures(app)] == [True]
        assert len(pictures(app)) == 1
        assert isinstance(app.screen, ThreadScreen)


async def test_images_off_draws_and_fetches_nothing(session, image_requests, forced) -> None:
    app = HostApp(session, ThreadScreen(session, IMAGE_THREAD), Settings(images=False))
    async with app.run_test(size=SIZE) as pilot:
        await thread_opened(pilot)
        await images_done(pilot)
        assert pictures(app) == []
    assert image_requests == [] and forced == []


async def test_a_terminal_without_graphics_gets_no_image_widget_and_no_fetch(session, image_requests) -> None:
    app = HostApp(session, ThreadScreen(session, IMAGE_THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await thread_opened(pilot)
        await images_done(pilot)
        assert pictures(app) == []
        assert inline_image.graphics_protocol(app) is None  # headless: never asks the terminal
        assert cursor_floor(app) is not None
    assert image_requests == []


def test_drawn_size_keeps_the_shape_within_bounds() -> None:
    cell = (10, 20)
    assert inline_image.cells_for((100, 40), cell) == (10, 2)  # small: its own size
    width, height = inline_image.cells_for((4000, 1000), cell)
    assert width == inline_image.MAX_WIDTH and height <= inline_image.MAX_HEIGHT
    width, height = inline_image.cells_for((500, 5000), cell)
    assert height == inline_image.MAX_HEIGHT and width <= inline_image.MAX_WIDTH


def test_only_terminals_that_announce_graphics_are_asked() -> None:
    """Asking suspends the app for a moment, so plain terminals (and tmux) are never asked."""
    assert inline_image.terminal_may_draw_images({"TERM": "xterm-kitty"})
    assert inline_image.terminal_may_draw_images({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"})
    assert inline_image.terminal_may_draw_images({"TERM": "xterm-256color", "KONSOLE_VERSION": "230804"})
    assert not inline_image.terminal_may_draw_images({"TERM": "xterm-256color"})
    assert not inline_image.terminal_may_draw_images({"TERM": "tmux-256color", "TERM_PROGRAM": "tmux"})
    assert not inline_image.terminal_may_draw_images({})
