"""How fast post content is parsed and rendered. Prints CPU-time figures; asserts nothing.

Run: ``.venv/bin/python benchmarks/content_bench.py [--fuzz N]``. Cases: every post body in
the captures, a 1 MB post, deeply nested quotes, and the worst time per KB over N random
HTML-ish inputs (the same kind the fuzz tests use).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.content import clean_text, document_to_text, parse_post_html, render_document  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "discuz-x3.5" / "mobile"
SITE = "http://127.0.0.1:8080/"


def parse_and_render(html: str) -> None:
    """The full path a post takes to the screen: parse, lay out at 100 columns, and to text."""
    doc = parse_post_html(html, SITE)
    console = Console(file=io.StringIO(), width=100, color_system="truecolor", force_terminal=True)
    console.print(render_document(doc))
    document_to_text(doc)


def timed(function: Callable[[], object], repeat: int = 3) -> float:
    """Best of ``repeat`` runs, in seconds of CPU time (other work on the machine does not count)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def capture_posts() -> list[str]:
    posts = []
    for path in sorted(FIXTURES.glob("*viewthread*.json")):
        postlist = (json.loads(path.read_bytes()).get("Variables") or {}).get("postlist") or []
        posts.extend(post["message"] for post in postlist)
    return posts


def one_megabyte_post() -> str:
    posts = capture_posts()
    html, index = [], 0
    while sum(map(len, html)) < 1_000_000:
        html.append(posts[index % len(posts)] + "<br />\n")
        index += 1
    return "".join(html)


def nested_quotes(depth: int) -> str:
    opening = (
        '<div class="quote"><blockquote>'
        '<a href="forum.php?mod=redirect&amp;goto=findpost&amp;pid=1&amp;ptid=1">'
        '<font color="#999999">user 发表于 2026-11-28 18:53</font></a><br />引用 quote '
    )
    return opening * depth + "core" + "</blockquote></div>" * depth


def random_html(rng: random.Random, size: int) -> str:
    pieces = [
        "<div>",
        "</div>",
        "<b>",
        "</b>",
        "<br />",
        '<div class="quote"><blockquote>',
        "</blockquote></div>",
        '<div class="blockcode"><ol><li>',
        "<li>",
        "</ol></div>",
        "<table><tr><td>",
        "</td><td>",
        "</table>",
        "<ul><li>",
        "</ul>",
        '<a href="forum.php?a=1">',
        "</a>",
        '<img src="static/image/smiley/default/lol.gif" />',
        "&amp;",
        "&nbsp;",
        "\x1b[31m",
        "\x9b",
        "你好，世界。",
        "plain words ",
        "<font color=red>",
        "</font>",
    ]
    out, length = [], 0
    while length < size:
        piece = rng.choice(pieces)
        out.append(piece)
        length += len(piece)
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=300, help="random inputs for the time-per-KB bound")
    arguments = parser.parse_args()

    posts = capture_posts()
    total_bytes = sum(len(post.encode()) for post in posts)
    seconds = timed(lambda: [parse_and_render(post) for post in posts])
    print(
        f"capture posts: {len(posts)} posts, {total_bytes / 1024:.1f} KB in {seconds * 1000:.1f} ms "
        f"= {seconds / len(posts) * 1000:.2f} ms/post, {total_bytes / 1024 / seconds:.0f} KB/s"
    )

    big = one_megabyte_post()
    parse_only = timed(lambda: parse_post_html(big, SITE), repeat=2)
    full = timed(lambda: parse_and_render(big), repeat=1)
    print(
        f"1 MB post ({len(big.encode()) / 1e6:.2f} MB): parse {parse_only * 1000:.0f} ms, "
        f"parse+render+text {full * 1000:.0f} ms"
    )

    for depth in (10, 100, 1000):
        html = nested_quotes(depth)
        seconds = timed(lambda h=html: parse_and_render(h))
        print(f"nested quotes, depth {depth}: parse+render {seconds * 1000:.1f} ms")

    subjects = ["【水楼】每日打卡签到楼 Daily check-in", "user1", "notes.zip", "a\x1b[31mred\u202e"]
    calls = 100_000
    seconds = timed(lambda: [clean_text(subjects[i & 3]) for i in range(calls)])
    print(f"clean_text on short strings: {seconds / calls * 1e6:.2f} µs a call")
    seconds = timed(lambda: clean_text(big))
    print(f"clean_text on the 1 MB post: {seconds * 1000:.1f} ms")

    rng = random.Random(20261128)
    worst, worst_size, total_kb, total_seconds = 0.0, 0, 0.0, 0.0
    for _ in range(arguments.fuzz):
        html = random_html(rng, rng.choice([100, 1_000, 10_000, 50_000]))
        seconds = timed(lambda h=html: parse_and_render(h), repeat=1)
        kilobytes = len(html.encode()) / 1024
        total_kb += kilobytes
        total_seconds += seconds
        if seconds / kilobytes > worst:
            worst, worst_size = seconds / kilobytes, len(html)
    print(
        f"random HTML-ish, {arguments.fuzz} inputs, {total_kb:.0f} KB: "
        f"mean {total_seconds / total_kb * 1000:.2f} ms/KB, "
        f"worst {worst * 1000:.2f} ms/KB (a {worst_size}-character input)"
    )


if __name__ == "__main__":
    main()
