"""Images from posts: downloaded when first asked for, kept on disk, opened in the system viewer.

The cache lives under ``cache_dir()/images/``, one file per image named by a hash of its URL
(images are public forum content, not secrets). Files are written whole to a temporary name
and renamed, so a half-written download is never mistaken for the image.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
import subprocess
import sys
import webbrowser
from pathlib import Path
from urllib.parse import urlsplit

from tui.config import cache_dir
from tui.engine import ForumSession
from tui.files import write_whole
from tui.opener import has_desktop

_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_viewers: list[subprocess.Popen[bytes]] = []  # openers still running, kept so they are reaped


def image_cache_dir() -> Path:
    return cache_dir() / "images"


def cache_path(url: str) -> Path:
    """Where the image at ``url`` is kept: a hash of the URL, with the file's own extension
    (so the system viewer recognises it)."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    suffix = _SUFFIX.search(urlsplit(url).path)
    return image_cache_dir() / (digest + (suffix.group(0).lower() if suffix else ".img"))


async def cached_image(session: ForumSession, url: str) -> Path:
    """The image at ``url`` on disk, downloaded through ``session`` only the first time.

    Raises what ``session.fetch_image`` raises (``ForumError``), or ``OSError`` when the
    cache cannot be written."""
    path = cache_path(url)
    if await asyncio.to_thread(path.is_file):
        return path
    data = await session.fetch_image(url)
    await asyncio.to_thread(write_whole, path, data)
    return path


def _launch(path: Path) -> bool:
    """Start the platform's opener for ``path`` without waiting for the viewer to close.
    Without a desktop there is none (a terminal program is the interface's to run)."""
    if not has_desktop():
        return False
    if sys.platform == "darwin":
        command = ["open", str(path)]
    elif sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]  # only exists on Windows
        return True
    else:
        opener = shutil.which("xdg-open")
        command = [opener, str(path)] if opener else []
    if command and shutil.which(command[0]):
        _viewers[:] = [viewer for viewer in _viewers if viewer.poll() is None]
        viewer = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the viewer must not share the terminal or die with it
        )
        _viewers.append(viewer)
        return True
    return webbrowser.open(path.as_uri())


async def open_in_viewer(path: Path) -> bool:
    """Show ``path`` in the system's image viewer, off the event loop. Never raises:
    False when no viewer could be started."""
    try:
        return await asyncio.to_thread(_launch, path)
    except Exception:
        return False
