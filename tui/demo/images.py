"""Tiny PNG images made on the fly: captcha, avatars, smilies and the demo's photo attachments.

A hand-written encoder (zlib + CRC framing) keeps the demo free of an imaging dependency.
"""

from __future__ import annotations

import struct
import zlib

Colour = tuple[int, int, int]

# A 3x5 bitmap font: enough for the captcha's digits and letters.
_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
    "A": ("010", "101", "111", "101", "101"),
    "B": ("110", "101", "110", "101", "110"),
    "C": ("011", "100", "100", "100", "011"),
    "D": ("110", "101", "101", "101", "110"),
    "E": ("111", "100", "110", "100", "111"),
    "K": ("101", "101", "110", "101", "101"),
    "M": ("101", "111", "111", "101", "101"),
    "P": ("110", "101", "110", "100", "100"),
    "X": ("101", "101", "010", "101", "101"),
}


def encode_png(width: int, height: int, pixels: list[list[Colour]]) -> bytes:
    """An 8-bit RGB PNG of ``pixels`` (rows of (r, g, b))."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(value for pixel in row for value in pixel) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG (from its header), or (0, 0) for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 0, 0


def text_png(
    text: str, *, scale: int = 6, ink: Colour = (30, 60, 140), paper: Colour = (245, 245, 235)
) -> bytes:
    """``text`` drawn with the bitmap font, with a few noise lines like a real captcha."""
    glyphs = [_GLYPHS[char] for char in text.upper()]
    cell_w, margin = 4 * scale, 2 * scale
    width, height = margin * 2 + cell_w * len(glyphs), margin * 2 + 5 * scale
    pixels = [[paper] * width for _ in range(height)]
    for index, glyph in enumerate(glyphs):
        left = margin + index * cell_w + (scale // 2 if index % 2 else 0)
        top = margin + (-scale // 3 if index % 2 else scale // 3)
        for row, bits in enumerate(glyph):
            for column, bit in enumerate(bits):
                if bit != "1":
                    continue
                for y in range(top + row * scale, top + (row + 1) * scale):
                    for x in range(left + column * scale, left + (column + 1) * scale):
                        pixels[y][x] = ink
    for line in range(3):
        y = (height * (line + 1)) // 4
        for x in range(width):
            pixels[(y + x // 7) % height][x] = (180, 120, 120)
    return encode_png(width, height, pixels)


def gradient_png(width: int, height: int, top: Colour, bottom: Colour) -> bytes:
    """A vertical gradient: a stand-in photo (a sunset) or an avatar background."""
    rows = []
    for y in range(height):
        mix = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        rows.append([colour] * width)  # type: ignore[list-item]
    return encode_png(width, height, rows)


def smiley_png(size: int = 20) -> bytes:
    """A yellow round face: the demo's smiley image for every smiley code."""
    centre = (size - 1) / 2
    rows = []
    for y in range(size):
        row: list[Colour] = []
        for x in range(size):
            distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            eye = abs(y - size * 0.35) < 1.5 and (abs(x - size * 0.32) < 1.5 or abs(x - size * 0.68) < 1.5)
            mouth = abs(distance - size * 0.28) < 1 and y > size * 0.55
            if distance > centre:
                row.append((255, 255, 255))
            elif eye or mouth:
                row.append((90, 60, 20))
            else:
                row.append((250, 200, 40))
        rows.append(row)
    return encode_png(size, size, rows)
