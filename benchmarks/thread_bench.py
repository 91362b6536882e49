"""How fast the thread view opens and reads on, and how much memory it holds, for the demo
forum's 5,200-floor thread against a three-floor one. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/thread_bench.py [--pages 60]

Everything runs over real HTTP against the demo forum in this process, in a headless app.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import re
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.driver import Driver  # noqa: E402
from textual.drivers.headless_driver import HeadlessDriver  # noqa: E402
from textual.message import Message  # noqa: E402
from textual.pilot import Pilot  # noqa: E402

from screens.thread import ThreadScreen  # noqa: E402
from tests.app_helpers import cursor_number  # noqa: E402
from tests.thread_helpers import HostApp  # noqa: E402
from tui.collector import collect_at_session_pace, keep_loaded_code  # noqa: E402
from tui.registry import open_session  # noqa: E402
from widgets.thread_view import ThreadView  # noqa: E402

SHORT_THREAD = "8"
SIZE = (100, 30)


class FrameSink(HeadlessDriver):
    """A terminal that takes every frame and keeps none. Unlike a headless run's, the app turns
    each frame into the text a terminal gets (a cost a real terminal pays), and what counts as
    a frame is one really written (Textual also ends a display with nothing to draw, or held
    back while pages are mounted, as if it had drawn)."""

    written = 0  # frames written by any app of this process

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        FrameSink.written += 1


class StyledHost(HostApp):
    """The tests' host app with the app's own stylesheet, so that the thread screen is laid out
    as in the app (the title line one row high, the problem line hidden until there is one),
    drawing into a ``FrameSink``, with the garbage collector at the app's pace; ``on_frame`` is
    called after each frame written."""

    CSS_PATH = ROOT / "tui" / "app.tcss"
    on_frame: Callable[[], None] | None = None
    _frames_seen = 0

    def get_driver_class(self) -> type[Driver]:
        return FrameSink

    def on_mount(self) -> None:
        collect_at_session_pace()  # as the app does once it has started

    def post_display_hook(self) -> None:
        if FrameSink.written != self._frames_seen:
            self._frames_seen = FrameSink.written
            if self.on_frame is not None:
                self.on_frame()

    def run_drawn(self) -> AbstractAsyncContextManager[Pilot]:
        """``run_test`` at the benchmark's size, frames drawn as for a terminal."""
        return self.run_test(headless=False, size=SIZE)


async def until(pilot, condition: Callable[[], object], timeout: float = 60.0) -> None:
    """Poll without the pilot's wait-for-idle, which would add its own delays to the figures."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the thread view did not get there in time")
        await asyncio.sleep(0.002)


async def turn_pages(pilot, view: ThreadView, pages: int) -> list[float]:
    """Press n until page ``pages`` (or the last) is read: seconds from each key to the next
    page's first floor focused, each once the next page was fetched ahead (as while reading).
    The focus is noted as the view tells it moved, not when a polling loop next looks: that
    would count whatever the app does after it (laying the page after out ahead)."""
    app = pilot.app
    turns: list[float] = []
    focused: list[float] = []
    before = 0  # the floor focused before the key
    post_message = view.post_message

    def noted(message: Message) -> bool:
        if isinstance(message, ThreadView.CursorMoved) and message.floor.post.floor > before:
            focused.append(time.perf_counter())
        return post_message(message)

    view.post_message = noted
    try:
        while view.current_page() < pages and view.sections()[-1].number < view.pages:
            # The page n goes to is the one after the focused floor's (the view's current page);
            # the page last reported can lag behind a focus just moved, and n then went on to a
            # page not fetched ahead yet, which is a turn this figure does not mean to time.
            await until(pilot, lambda: view.is_settled and view.laid_out(view.current_page() + 1))
            before = cursor_number(app)
            focused.clear()
            started = time.perf_counter()
            app.simulate_key("n")
            await until(pilot, lambda: bool(focused))
            turns.append(focused[0] - started)
            await until(pilot, lambda: not view.is_loading)
    finally:
        del view.post_message
    return turns


async def measure(url: str, thread_id: str, pages: int, *, trace: bool) -> dict[str, float]:
    """Open the thread, read on through ``pages`` pages, then jump to the last floor.

    With ``trace`` the Python heap is followed (tracemalloc slows everything down several
    times, so times come from a run without it and heap sizes from a run with it).
    """
    session = open_session(url)
    figures: dict[str, float] = {}
    gc.collect()
    if trace:
        tracemalloc.start()
    app = StyledHost(session, ThreadScreen(session, thread_id))
    async with app.run_drawn() as pilot:
        started = time.perf_counter()
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen) and cursor_number(app) == 1)
        figures["open s"] = time.perf_counter() - started
        figures["heap after open MB"] = tracemalloc.get_traced_memory()[0] / 1e6
        view = app.screen.query_one(ThreadView)

        turns = await turn_pages(pilot, view, pages)
        turns.sort()
        figures["pages read"] = view.current_page()
        figures["page turn median ms"] = 1000 * turns[len(turns) // 2] if turns else 0.0
        figures["page turn p95 ms"] = 1000 * percentile(turns, 0.95) if turns else 0.0
        figures["page turn worst ms"] = 1000 * turns[-1] if turns else 0.0
        figures["floors mounted"] = len(view.floors())
        figures["heap after reading MB"] = tracemalloc.get_traced_memory()[0] / 1e6

        last_floor_number = (await session.thread_page(thread_id, view.pages)).posts[-1].floor
        started = time.perf_counter()
        app.simulate_key("G")
        await until(pilot, lambda: cursor_number(app) == last_floor_number)
        figures["jump to last floor s"] = time.perf_counter() - started
        figures["last floor"] = cursor_number(app)
        figures["heap peak MB"] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    await session.aclose()
    return {name: value for name, value in figures.items() if trace == name.endswith("MB")}


class ArrivalSession:
    """The real session, noting when each thread page's answer has arrived and been parsed."""

    def __init__(self, session) -> None:
        self.session = session
        self.arrived = 0.0

    def __getattr__(self, name: str):
        return getattr(self.session, name)

    async def thread_page(self, *args, **options):
        page = await self.session.thread_page(*args, **options)
        self.arrived = time.perf_counter()
        return page


async def page_down_burst(pilot, view: ThreadView, keys: int) -> list[float]:
    """Press PageDown ``keys`` times at once: the time each key took to reach the screen, in
    order. A key is done once the view has scrolled to the screen it asked for (a key past the
    pages held is owed until the next page is placed, and done then), and shown by the first
    frame drawn after that; a frame showing several keys shares the time since the frame before
    it among them. So a key drawn a frame of its own costs that frame's wait, and keys done
    faster than frames are drawn cost their share."""
    app = pilot.app
    handled = 0
    done = 0
    times: list[float] = []
    last_frame = time.perf_counter()
    scroll_screens, scroll_lines = view.scroll_screens, view.scroll_lines

    def counted(count: int) -> None:
        nonlocal handled
        handled += 1
        scroll_screens(count)

    def scrolled(lines: int) -> None:  # keys, and owed lines scrolled once a page is placed
        nonlocal done
        scroll_lines(lines)
        owed_keys = -(-view.lines_owed // max(1, view.scrollable_content_region.height))
        done = max(done, handled - owed_keys)

    def frame() -> None:
        nonlocal last_frame
        shown = done - len(times)
        if shown > 0:
            now = time.perf_counter()
            times.extend([(now - last_frame) / shown] * shown)
            last_frame = now

    view.scroll_screens, view.scroll_lines = counted, scrolled
    app.on_frame = frame
    try:
        for _ in range(keys):
            app.simulate_key("pagedown")
        await until(pilot, lambda: len(times) >= keys)
        await until(pilot, lambda: not view.is_loading)
    finally:
        del view.scroll_screens, view.scroll_lines
        app.on_frame = None
    return times


def rss_mb() -> float:
    """This process's resident set size now, from /proc."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024


async def figures(url: str, thread_id: str, runs: int, pages: int) -> dict[str, float]:
    """The thread figures of ``python -m benchmarks`` for the long thread, from this process:
    open times (page arrived → first floor focused), per-key times of PageDown bursts, page
    turns with n, and the RSS after reading ``pages`` pages and jumping to the last floor.

    The demo forum answers from another process and this one imports nothing of it, so the
    RSS is that of the thread screen alone (the thread's id comes on the command line). The
    code loaded is kept out of full collections, as the app does once its imports are done
    (here the thread screen's code is among it)."""
    keep_loaded_code()
    session = ArrivalSession(open_session(url))
    opens: list[float] = []
    for _ in range(runs):
        app = StyledHost(session, ThreadScreen(session, thread_id))
        async with app.run_drawn() as pilot:
            await until(pilot, lambda app=app: cursor_number(app) == 1)
            opens.append(time.perf_counter() - session.arrived)

    app = StyledHost(session, ThreadScreen(session, thread_id))
    async with app.run_drawn() as pilot:
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen) and cursor_number(app) == 1)
        view = app.screen.query_one(ThreadView)
        intervals: list[float] = []
        for _ in range(runs):
            intervals += await page_down_burst(pilot, view, 50)

    app = StyledHost(session, ThreadScreen(session, thread_id))
    async with app.run_drawn() as pilot:
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen) and cursor_number(app) == 1)
        view = app.screen.query_one(ThreadView)
        turns = await turn_pages(pilot, view, pages)
        last_floor = (await session.thread_page(thread_id, view.pages)).posts[-1].floor
        app.simulate_key("G")
        await until(pilot, lambda: cursor_number(app) == last_floor)
        gc.collect()
        rss = rss_mb()
    await session.aclose()
    ms = 1000
    return {
        "thread_open_ms": statistics.median(opens) * ms,
        "scroll_frame_ms_p95": percentile(intervals, 0.95) * ms,
        "next_page_ms_p95": percentile(turns, 0.95) * ms,
        "long_thread_rss_mb": rss,
        "pages_read": len(turns) + 1,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60, help="pages to read on with n (default 60)")
    parser.add_argument(
        "--figures", metavar="URL", help="print the figures python -m benchmarks takes from here, as JSON"
    )
    parser.add_argument("--runs", type=int, default=7, help="with --figures: opens and PageDown bursts")
    parser.add_argument("--thread", help="with --figures: the long thread's id")
    options = parser.parse_args()
    if options.figures:
        if not options.thread:
            parser.error("--figures needs --thread")
        print(json.dumps(await figures(options.figures, options.thread, options.runs, options.pages)))
        return
    from tui.demo.seed import BIG_THREAD_ID
    from tui.demo.server import DemoForum

    with DemoForum() as forum:
        results = {}
        threads = (("short (3 floors)", SHORT_THREAD), ("long (5,200 floors)", str(BIG_THREAD_ID)))
        for label, thread_id in threads:
            timed = await measure(forum.url, thread_id, options.pages, trace=False)
            traced = await measure(forum.url, thread_id, options.pages, trace=True)
            results[label] = timed | traced
    names = list(next(iter(results.values())))
    print(f"{'':26}" + "".join(f"{label:>22}" for label in results))
    for name in names:
        print(f"{name:26}" + "".join(f"{figures[name]:>22.3f}" for figures in results.values()))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess max RSS (both runs, demo server included): {rss_mb:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
