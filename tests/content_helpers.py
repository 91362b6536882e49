"""Helpers for the content tests: capture posts and rendering Rich output to strings."""

from __future__ import annotations

import io
import json

from rich.console import Console, RenderableType

from tests.conftest import load_capture

SITE = "http://127.0.0.1:8080/"


def capture_messages(name: str) -> dict[str, str]:
    """pid → message HTML of a viewthread capture under ``mobile/``."""
    _, body = load_capture(f"mobile/{name}")
    return {post["pid"]: post["message"] for post in json.loads(body)["Variables"]["postlist"]}


def rendered(renderable: RenderableType, width: int = 80, *, terminal: bool = False) -> str:
    """What a terminal would be sent: plain (no colour) by default, or with every escape."""
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor" if terminal else None,
        force_terminal=terminal,
        legacy_windows=False,
    )
    console.print(renderable)
    return console.file.getvalue()
