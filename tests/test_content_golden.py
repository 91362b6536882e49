"""Every post body in the captures, rendered, against checked-in expectations.

Run with ``FORUM_TUI_UPDATE_GOLDEN=1`` to rewrite ``tests/golden/`` after an intended
change, then read the diff: the files are meant to be read by eye.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rich.console import Console
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import FIXTURES, load_capture
from tui.content import document_to_text, parse_post_html, render_document

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FORUM_TUI_UPDATE_GOLDEN") == "1"
RICH_WIDTH = 60


def _site_root(meta: dict) -> str:
    parts = urlsplit(meta["request"]["url"])
    return f"{parts.scheme}://{parts.netloc}/"


def _json_posts(name: str) -> tuple[str, list[tuple[str, str]]]:
    meta, body = load_capture(name)
    postlist = (json.loads(body).get("Variables") or {}).get("postlist") or []
    return _site_root(meta), [(f"pid {post['pid']}", post["message"]) for post in postlist]


def _web_posts(name: str) -> tuple[str, list[tuple[str, str]]]:
    meta, body = load_capture(name)
    tree = LexborHTMLParser(body.decode("utf-8", errors="replace"))
    posts = [(node.attributes.get("id") or "", node.inner_html or "") for node in tree.css("td.t_f")]
    return _site_root(meta), posts


def _captures() -> list[str]:
    names = []
    for path in sorted((FIXTURES / "mobile").glob("*viewthread*.json")):
        if (json.loads(path.read_bytes()).get("Variables") or {}).get("postlist"):
            names.append(f"mobile/{path.name}")
    names += [f"web/{path.name}" for path in sorted((FIXTURES / "web").glob("viewthread_*.html"))]
    return names


def render_capture(name: str) -> str:
    """The golden text of one capture: each post as plain text and as drawn by Rich."""
    base_url, posts = _web_posts(name) if name.endswith(".html") else _json_posts(name)
    sections = [f"# {name} — {len(posts)} posts; text, then Rich at {RICH_WIDTH} columns\n"]
    for label, html in posts:
        doc = parse_post_html(html, base_url)
        console = Console(file=io.StringIO(), width=RICH_WIDTH, color_system=None, record=True)
        console.print(render_document(doc))
        rich_lines = [line.rstrip() for line in console.export_text().split("\n")]
        sections.append(f"===== {label} =====")
        sections.append(document_to_text(doc))
        sections.append(f"----- {label} rich -----")
        sections.append("\n".join(rich_lines).rstrip("\n"))
    return "\n".join(sections) + "\n"


CAPTURES = _captures()


def test_every_viewthread_capture_is_covered() -> None:
    assert len(CAPTURES) >= 25


@pytest.mark.parametrize("name", CAPTURES)
def test_capture_renders_as_golden(name: str) -> None:
    golden = GOLDEN / (name.replace("/", "__").rsplit(".", 1)[0] + ".txt")
    actual = render_capture(name)
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden for {name}: run with FORUM_TUI_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")
