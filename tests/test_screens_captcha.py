"""The captcha picture: the demo forum's PNG drawn with half blocks, ink and paper apart."""

from __future__ import annotations

import pytest

from tui.demo.images import text_png
from widgets.captcha import MAX_COLUMNS, MAX_ROWS, half_blocks


def test_captcha_png_becomes_rows_of_half_blocks_within_bounds() -> None:
    picture = half_blocks(text_png("3827"))
    rows = picture.plain.split("\n")
    assert 1 < len(rows) <= MAX_ROWS
    assert all(set(row) == {"▀"} and len(row) == len(rows[0]) <= MAX_COLUMNS for row in rows)
    pixels = [colour.triplet for span in picture.spans for colour in (span.style.color, span.style.bgcolor)]
    brightness = [sum(pixel) / 3 for pixel in pixels]
    assert min(brightness) < 140 < 220 < max(brightness)  # dark ink on light paper survives


def test_bytes_that_are_not_an_image_are_refused_plainly() -> None:
    with pytest.raises(ValueError, match="not a readable image"):
        half_blocks(b"<html>captcha</html>")
