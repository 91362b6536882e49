"""Line breaking that knows CJK: Rich only breaks at spaces.

Chinese and Japanese run without spaces, so Rich moves a whole run such as
"终于可以在里随便用引号了" to the next line and leaves a short line behind. Here a line may break
between any two CJK characters, Latin words stay whole, and closing punctuation (，。！」)
never starts a line nor opening punctuation (「（) ends one.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, chop_cells
from rich.console import Console, JustifyMethod, OverflowMethod
from rich.containers import Lines
from rich.text import Text

_CJK = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd"
)
_CLOSING = (
    "、。，．：；？！）］｝】」』〉》〕〗〙〛ー…‥—～ゝゞヽヾ々〻"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ”’%),.:;!?\\]}"
)
_OPENING = "（［｛【「『〈《〔〖〘〚“‘([{"
_CLOSING_CLASS = re.escape(_CLOSING)
_OPENING_CLASS = re.escape(_OPENING)
_TOKEN = re.compile(
    rf"[{_OPENING_CLASS}]*(?:[{_CJK}]|[^\s{_CJK}{_OPENING_CLASS}]+)[{_CLOSING_CLASS}]*\s*|\s+|."
)


def line_breaks(text: str, width: int) -> list[int]:
    """Offsets in ``text`` (one line, no newlines) where it should break to fit ``width`` cells."""
    if cell_len(text) <= width:
        return []
    breaks: list[int] = []
    used = 0
    for match in _TOKEN.finditer(text):
        start, word = match.start(), match.group()
        stripped = word.rstrip()
        length = cell_len(stripped)
        if used + length <= width:
            used += length + len(word) - len(stripped)
            continue
        if length > width:
            pieces = chop_cells(word, width)
            if start and used:
                breaks.append(start)
            for piece in pieces[:-1]:
                start += len(piece)
                breaks.append(start)
            used = cell_len(pieces[-1]) if pieces else 0
        else:
            if start and used:
                breaks.append(start)
            used = cell_len(word)
    return breaks


class WrappingText(Text):
    """A Rich ``Text`` that wraps with :func:`line_breaks` instead of at spaces only."""

    def wrap(
        self,
        console: Console,
        width: int,
        *,
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        tab_size: int = 8,
        no_wrap: bool | None = None,
    ) -> Lines:
        if no_wrap or (no_wrap is None and self.no_wrap) or width < 2:
            return super().wrap(
                console, width, justify=justify, overflow=overflow, tab_size=tab_size, no_wrap=no_wrap
            )
        justify = justify or self.justify or "default"
        overflow = overflow or self.overflow or "fold"
        text = self.plain
        if "\t" in text or justify == "full":  # tabs widen lines; "full" treats each line's last row apart
            return self._wrap_line_by_line(console, width, justify, overflow, tab_size)
        pieces = Lines(piece for piece in self.divide(_row_offsets(text, width)) if piece.plain != "\n")
        for piece in pieces:
            piece.rstrip()
        pieces.justify(console, width, justify=justify, overflow=overflow)
        for piece in pieces:
            piece.truncate(width, overflow=overflow)
        return pieces

    def _wrap_line_by_line(
        self, console: Console, width: int, justify: JustifyMethod, overflow: OverflowMethod, tab_size: int
    ) -> Lines:
        result = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line.plain:
                line.expand_tabs(tab_size)
            pieces = line.divide(line_breaks(line.plain, width))
            for piece in pieces:
                piece.rstrip()
            pieces.justify(console, width, justify=justify, overflow=overflow)
            for piece in pieces:
                piece.truncate(width, overflow=overflow)
            result.extend(pieces)
        return result


def _row_offsets(text: str, width: int) -> list[int]:
    """Where ``text`` divides into its rows: each line's breaks, and both sides of every newline
    (the newlines come out as pieces of their own, which the caller drops).

    Dividing the whole text once costs a fraction of splitting it into lines and dividing each.
    """
    offsets: list[int] = []
    start = 0
    for line in text.split("\n"):
        offsets.extend(start + offset for offset in line_breaks(line, width))
        start += len(line)
        if start < len(text):
            offsets += (start, start + 1)
        start += 1
    return offsets
