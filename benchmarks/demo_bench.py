"""How fast the demo forum seeds and answers. Prints figures; asserts nothing.

Run: ``.venv/bin/python benchmarks/demo_bench.py [--requests N]``. Figures: seeding a fresh
database (the 5,000+-post thread included), starting a forum from the per-process template,
and the median / worst time of N requests per module over real loopback HTTP, including
pages at the start, middle and end of the long thread.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.demo.seed import BIG_THREAD_ID, BIG_THREAD_POSTS, seed  # noqa: E402
from tui.demo.server import DemoForum  # noqa: E402

QUERIES = {
    "check": "version=4&module=check",
    "forumindex": "version=4&module=forumindex",
    "forumdisplay fid 8": "version=4&module=forumdisplay&fid=8",
    "viewthread tid 1 p1": "version=4&module=viewthread&tid=1",
    "viewthread tid 5 (v1, code)": "version=1&module=viewthread&tid=5",
    "long thread p1": f"version=4&module=viewthread&tid={BIG_THREAD_ID}",
    "long thread middle": f"version=4&module=viewthread&tid={BIG_THREAD_ID}&page={BIG_THREAD_POSTS // 20}",
    "long thread last": f"version=4&module=viewthread&tid={BIG_THREAD_ID}&page={BIG_THREAD_POSTS // 10 + 1}",
    "long thread reversed": f"version=4&module=viewthread&tid={BIG_THREAD_ID}&ordertype=1",
    "long thread by author": f"version=4&module=viewthread&tid={BIG_THREAD_ID}&authorid=2&page=50",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    timings = []
    for _ in range(3):
        connection = sqlite3.connect(":memory:", isolation_level=None)
        started = time.perf_counter()
        seed(connection, int(time.time()))
        timings.append(time.perf_counter() - started)
        posts = connection.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
        connection.close()
    print(f"seed a fresh database ({posts} posts): best {min(timings) * 1000:.0f} ms of 3")

    started = time.perf_counter()
    forum = DemoForum()
    forum.start()
    print(f"first DemoForum start (seeds the template): {(time.perf_counter() - started) * 1000:.0f} ms")
    forum.stop()
    starts = []
    for _ in range(5):
        started = time.perf_counter()
        forum = DemoForum()
        forum.start()
        starts.append(time.perf_counter() - started)
        forum.stop()
    print(f"later DemoForum start (copies the template): median {statistics.median(starts) * 1000:.1f} ms")

    with DemoForum() as forum, httpx.Client(base_url=forum.url) as http:
        print(f"\n{'request':32} {'median':>9} {'worst':>9}   ({args.requests} each, loopback HTTP)")
        for label, query in QUERIES.items():
            http.get(f"api/mobile/index.php?{query}")  # warm-up
            samples = []
            for _ in range(args.requests):
                started = time.perf_counter()
                http.get(f"api/mobile/index.php?{query}").raise_for_status()
                samples.append(time.perf_counter() - started)
            print(f"{label:32} {statistics.median(samples) * 1000:7.2f}ms {max(samples) * 1000:7.2f}ms")


if __name__ == "__main__":
    main()
