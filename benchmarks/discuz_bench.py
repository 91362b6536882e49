"""Discuz! engine cost: reading a thread page and a board from replayed real captures.

First section, no network: the captures are served through ``httpx.MockTransport``, so the
figures are the engine's own work (request building, JSON decoding, parsing into the model)
per call. Second section: the demo forum over loopback HTTP, a thread page through the
session (one v1 request, then parsed) against the bare v1 request, i.e. what the session
adds to the request in wall time. Usage:

    .venv/bin/python benchmarks/discuz_bench.py [rounds]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.discuz.replay import Replay  # noqa: E402
from tui.discuz.session import DiscuzSession  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "discuz-x3.5"
SITE = "http://127.0.0.1:8080/"

CASES = {
    "thread page (tid 5, [code], v1 alone)": (
        ["mobile/v1_viewthread_tid5.json"],
        lambda session: session.thread_page("5"),
    ),
    "thread page (tid 28, image, v1 alone)": (
        ["mobile/v1_viewthread_tid28_image.json"],
        lambda session: session.thread_page("28"),
    ),
    "board page (fid 8 p2)": (
        ["mobile/v4_forumdisplay_fid8_p2.json"],
        lambda session: session.thread_list("8", 2),
    ),
    "board index": (["mobile/v4_forumindex_user1.json"], lambda session: session.board_index()),
}


async def measure(names: list[str], call, rounds: int) -> list[float]:
    session = DiscuzSession(SITE, transport=Replay(FIXTURES, names).transport)
    timings = []
    try:
        for _ in range(rounds):
            started = time.perf_counter()
            await call(session)
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        await session.aclose()
    return timings


async def measure_demo(url: str, rounds: int) -> dict[str, list[float]]:
    session = DiscuzSession(url)
    cases = {
        "demo HTTP: thread page (v1)": lambda: session.thread_page("5"),
        "demo HTTP: v1 viewthread alone": lambda: session.api.mobile(
            "viewthread", version=1, params={"tid": 5}
        ),
    }
    timings: dict[str, list[float]] = {label: [] for label in cases}
    try:
        for _ in range(rounds):
            for label, call in cases.items():
                started = time.perf_counter()
                await call()
                timings[label].append((time.perf_counter() - started) * 1000)
    finally:
        await session.aclose()
    return timings


def report(label: str, timings: list[float]) -> None:
    p90 = statistics.quantiles(timings, n=10)[-1]
    print(f"{label:40} {statistics.median(timings):10.2f} {p90:8.2f}")


def main() -> None:
    from tui.demo.server import DemoForum

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    print(f"{'case':40} {'median ms':>10} {'p90 ms':>8}  ({rounds} rounds)")
    for label, (names, call) in CASES.items():
        report(label, asyncio.run(measure(names, call, rounds)))
    with DemoForum() as forum:
        for label, timings in asyncio.run(measure_demo(forum.url, rounds)).items():
            report(label, timings)


if __name__ == "__main__":
    main()
