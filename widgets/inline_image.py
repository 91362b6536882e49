"""Post images drawn inline, in terminals that speak a real graphics protocol.

``textual-image`` draws with the kitty Terminal Graphics Protocol (TGP) or Sixel; elsewhere it
would fall back to half-cell or unicode blocks, which are worse than the placeholder a floor
already shows, so those fallbacks are never used here.

The package is imported only when the first floor with images mounts, never at start-up.
Importing it asks the terminal what it supports (it writes queries to stdout and reads the
answers from stdin), which cannot work while Textual owns the terminal: so the import happens
once, inside ``App.suspend()``, and never in a headless (test) run. The answer is kept for the
rest of the process. Suspending blanks the screen for a moment, so it is only done in terminals
whose environment says they can draw images (kitty, WezTerm, Ghostty, foot, Konsole, mlterm,
iTerm2); everywhere else the placeholder stays and nothing is asked.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path

from textual.app import App
from textual.widget import Widget

MAX_WIDTH = 40  # cells
MAX_HEIGHT = 12  # rows

TGP = "tgp"
SIXEL = "sixel"

_UNKNOWN = object()
_detected: object = _UNKNOWN  # TGP, SIXEL or None once asked


def _import_and_detect() -> str | None:
    """Import textual-image (which queries the terminal) and say which real protocol it chose."""
    from textual_image import renderable
    from textual_image import widget as _widget  # noqa: F401  # measures the cell size, once

    if renderable.Image is renderable.TGPImage:
        return TGP
    if renderable.Image is renderable.SixelImage:
        return SIXEL
    return None  # half-cell or unicode: the placeholder is better


_GRAPHICS_TERMINALS = {
    "TERM": ("xterm-kitty", "xterm-ghostty", "foot", "foot-extra", "mlterm"),
    "TERM_PROGRAM": ("WezTerm", "ghostty", "iTerm.app", "mlterm"),
}
_GRAPHICS_VARIABLES = ("KITTY_WINDOW_ID", "KONSOLE_VERSION", "WEZTERM_EXECUTABLE", "MLTERM")


def terminal_may_draw_images(environ: Mapping[str, str]) -> bool:
    """Whether the environment names a terminal known to speak TGP or Sixel."""
    if any(environ.get(name) for name in _GRAPHICS_VARIABLES):
        return True
    return any(environ.get(name, "") in values for name, values in _GRAPHICS_TERMINALS.items())


def graphics_protocol(app: App) -> str | None:
    """TGP or SIXEL when textual-image found the terminal can draw images, else None.

    Never asks in a headless run; otherwise asks once, with the app suspended so the terminal's
    answers reach textual-image and not Textual's input reader."""
    global _detected
    if _detected is not _UNKNOWN:
        return _detected  # type: ignore[return-value]
    if app.is_headless:
        return None
    if not terminal_may_draw_images(os.environ):
        _detected = None
        return None
    try:
        with app.suspend():
            _detected = _import_and_detect()
    except Exception:
        _detected = None
    return _detected  # type: ignore[return-value]


def image_size(path: Path) -> tuple[int, int]:
    """Pixel width and height of the image at ``path``; raises when it is not an image."""
    from PIL import Image as PILImage

    with PILImage.open(path) as image:
        image.verify()
        return image.size


def cells_for(pixels: tuple[int, int], cell: tuple[int, int]) -> tuple[int, int]:
    """Cells (width, rows) to draw an image of ``pixels`` in, keeping its shape, at most
    ``MAX_WIDTH`` × ``MAX_HEIGHT`` and never larger than its own size."""
    width, height = pixels
    cell_width, cell_height = max(1, cell[0]), max(1, cell[1])
    scale = min(1.0, MAX_WIDTH * cell_width / max(1, width), MAX_HEIGHT * cell_height / max(1, height))
    columns = max(1, min(MAX_WIDTH, math.ceil(width * scale / cell_width)))
    rows = max(1, min(MAX_HEIGHT, math.ceil(height * scale / cell_height)))
    return columns, rows


def image_widget(protocol: str, path: Path, pixels: tuple[int, int]) -> Widget:
    """A textual-image widget drawing ``path`` with ``protocol``, sized by ``cells_for``."""
    from textual_image._terminal import get_cell_size
    from textual_image.widget import SixelImage, TGPImage

    kind = SixelImage if protocol == SIXEL else TGPImage
    widget = kind(path, classes="post--image")
    columns, rows = cells_for(pixels, tuple(get_cell_size()))
    widget.styles.width = columns
    widget.styles.height = rows
    return widget
