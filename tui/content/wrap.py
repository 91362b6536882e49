"""Line breaking that knows CJK: Rich only breaks at spaces.

Chinese and Japanese run without spaces, so Rich moves a whole run such as
"终于可以在里随便用引号了" to the next line and leaves a short line behind. Here a line may break
between any two CJK characters, Latin words stay whole, and closing punctuation (，。！」)
never starts a line nor opening punctuation (「（) ends one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from operator import itemgetter

from rich.cells import cell_len, chop_cells, set_cell_size
from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod
from rich.containers import Lines
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text

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
Row = tuple[int, str, int]  # where a row starts in the text, its text, the spaces padding it
# Characters that make a row's width other than the sum of its pieces' (emoji joiners and
# selectors): a row holding one is measured again.
_MISCOUNTED = re.compile("[\u200d\ufe0f]")


def line_breaks(text: str, width: int) -> list[int]:
    """Offsets in ``text`` (one line, no newlines) where it should break to fit ``width`` cells."""
    if 2 * len(text) <= width or cell_len(text) <= width:  # no character takes more than two
        return []
    breaks: list[int] = []
    used = 0
    for match in _TOKEN.finditer(text):
        start, word = match.start(), match.group()
        stripped = word.rstrip()
        length = cell_len(stripped)
        if used + length <= width:
            spaces = word[len(stripped) :]  # the ideographic space (U+3000) takes two cells
            used += length + (len(spaces) if spaces.isascii() else cell_len(spaces))
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
    """A Rich ``Text`` that wraps with :func:`line_breaks` instead of at spaces only.

    Drawn, it yields the very segments Rich's ``Text`` would (same rows, same cuts, same
    styles) without making a ``Text`` per row and joining them again: long posts are
    thousands of paragraphs, and that churn was most of their layout time.
    """

    @classmethod
    def of_clean(cls, plain: str, spans: list[Span]) -> WrappingText:
        """A text of ``plain``, which holds no control codes (the parser cleaned it): Rich's
        own constructor would scan every character of it once more to strip them."""
        text = cls(spans=spans)
        text._text, text._length = [plain], len(plain)
        return text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = options.max_width
        justify = self.justify or options.justify or "default"
        overflow = self.overflow or options.overflow or "fold"
        text = self.plain
        rows = None
        if justify in ("default", "left") and overflow != "ignore" and width >= 2 and "\t" not in text:
            no_wrap = self.no_wrap if self.no_wrap is not None else bool(options.no_wrap)
            rows = _rows(text, width, no_wrap=no_wrap, overflow=overflow, pad=justify == "left")
        if rows is None:  # what the fast path does not cover: Rich's own way
            yield from super().__rich_console__(console, options)
            return
        yield from self._row_segments(console, rows)
        if self.end:
            yield Segment(self.end)

    def _row_segments(self, console: Console, rows: list[Row]) -> Iterator[Segment]:
        """The rows joined by newlines and cut where the styles change, exactly as Rich cuts
        them: a span crossing a row edge is cut there; the newlines between rows and the
        spaces padding a row are unstyled (but for the text's own style)."""
        length = len(self.plain)
        spans = [span for span in self._spans if min(span.end, length) > span.start]
        if not spans and not self.style:
            yield Segment("\n".join(row + " " * pad if pad else row for _, row, pad in rows))
            return
        base = bool(self.style)
        null = console.get_style("", default=Style.null())
        cuts, styles, spanned, unstyled = _style_runs(console, null, self.style, spans, length)
        pending: list[str] = []
        style = null
        run = 0
        any_spanned = False
        for number, (start, row, pad) in enumerate(rows):
            if number:
                pending.append("\n")
            end = start + len(row)
            if start == end:
                if base:  # the empty row's style span still cuts the text here
                    if pending:
                        yield Segment("".join(pending), style)
                        pending = []
                    style = unstyled if pad else null
                if pad:
                    pending.append(" " * pad)
                    if base:
                        yield Segment("".join(pending), style)
                        pending = []
                        style = null
                continue
            while cuts[run + 1] <= start:
                run += 1
            if end <= cuts[run + 1] and not (base or pad or spanned[run]):
                pending.append(row)  # most rows: inside one unstyled run, taken as they are
                continue
            position = start
            while True:
                piece_end = min(end, cuts[run + 1])
                if position > start or base or spanned[run]:
                    if pending:
                        yield Segment("".join(pending), style)
                        pending = []
                    style = styles[run]
                    any_spanned = any_spanned or spanned[run]
                pending.append(row[position - start : piece_end - start])
                if piece_end == end:
                    break
                position = piece_end
                run += 1
            if pad:
                if spanned[run]:
                    yield Segment("".join(pending), style)
                    pending = []
                    style = unstyled
                pending.append(" " * pad)
            if base or (spanned[run] and not pad):
                yield Segment("".join(pending), style)
                pending = []
                style = null
        if not any_spanned and not base:  # no span reached a row: one plain segment
            yield Segment("".join(pending))
        elif pending:
            yield Segment("".join(pending), style)

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


def _rows(text: str, width: int, *, no_wrap: bool, overflow: str, pad: bool) -> list[Row] | None:
    """The rows Rich's ``Text`` would draw ``text`` in: ``(start, text, padding)`` each.

    Wrapped, a row is a piece between :func:`line_breaks` without its trailing spaces; not
    wrapped, a whole line, cropped to ``width`` by ``overflow``. ``pad`` pads short rows to
    ``width`` (left justified). ``None`` for what only Rich's own path does the same.
    """
    if no_wrap:
        return _cropped_rows(text, width, overflow=overflow, pad=pad)
    rows: list[Row] = []
    append = rows.append
    line_start = 0
    # Rows are measured only to be padded, or when they hold a character that makes the sum
    # of their pieces' widths wrong; most rows of most texts need neither.
    miscounted = _MISCOUNTED.search(text) is not None
    measured = pad or miscounted
    for line in text.split("\n"):
        length = len(line)
        breaks = line_breaks(line, width) if 2 * length > width else None
        if not breaks and not measured:  # most lines: one row, measured by nobody
            append((line_start, line.rstrip(), 0))
        else:
            edges = pairwise([0, *breaks, length]) if breaks else ((0, length),)
            for piece_start, piece_end in edges:
                row = line[piece_start:piece_end].rstrip()
                cells = -1
                if miscounted and _MISCOUNTED.search(row):
                    cells = cell_len(row)
                    if cells > width:
                        return None
                if pad and cells < 0:
                    cells = cell_len(row)
                append((line_start + piece_start, row, width - cells if pad and cells < width else 0))
        line_start += length + 1
    return rows


def _cropped_rows(text: str, width: int, *, overflow: str, pad: bool) -> list[Row] | None:
    """:func:`_rows` not wrapped: each line a row, cropped to ``width`` by ``overflow``."""
    rows: list[Row] = []
    line_start = 0
    for line in text.split("\n"):
        row = line
        # A line at most half the width long fits (no character takes more than two cells):
        # it is measured only to be padded.
        cells = cell_len(row) if pad or 2 * len(row) > width else -1
        if cells > width:
            row = set_cell_size(row, width - 1) + "…" if overflow == "ellipsis" else set_cell_size(row, width)
            if len(row) > len(line):
                return None
        rows.append((line_start, row, width - cells if pad and cells < width else 0))
        line_start += len(line) + 1
    return rows


def _style_runs(
    console: Console, null: Style, base: str | Style, spans: list[Span], length: int
) -> tuple[list[int], list[Style], list[bool], Style]:
    """``text`` cut where the set of spans over it changes: the cut offsets (from 0 to
    ``length``), and for each run its style (``null``, the console's style of "", then the
    base style, then the spans in their order, combined as ``Text.render`` combines them)
    and whether a span covers it; and the style of text no span covers."""
    get_style = console.get_style
    prefix = (null, get_style(base, default=Style.null())) if base else (null,)
    span_styles = [  # most are styles already: no call to find them
        span.style if isinstance(span.style, Style) else get_style(span.style, default=Style.null())
        for span in spans
    ]
    # Spans over the whole text added last (Syntax's background) come last in every run.
    ordered = len(spans)
    while ordered and spans[ordered - 1].start <= 0 and spans[ordered - 1].end >= length:
        ordered -= 1
    if all(earlier.end <= later.start for earlier, later in pairwise(spans[:ordered])):
        return _ordered_style_runs(
            prefix, spans[:ordered], span_styles[:ordered], length, tuple(span_styles[ordered:])
        )
    events = sorted(
        [(span.start, False, index) for index, span in enumerate(spans)]
        + [(min(span.end, length), True, index) for index, span in enumerate(spans)],
        key=itemgetter(0, 1),
    )
    cuts, styles, spanned = [0], [], []
    combined: dict[tuple[int, ...], Style] = {}
    active: list[int] = []
    position = 0
    for offset, leaving, index in [*events, (length, False, -1)]:
        if offset > position:
            key = tuple(sorted(active))
            style = combined.get(key)
            if style is None:
                style = combined[key] = Style.combine((*prefix, *(span_styles[number] for number in key)))
            cuts.append(offset)
            styles.append(style)
            spanned.append(bool(key))
            position = offset
        if index < 0:
            break
        if leaving:
            active.remove(index)
        else:
            active.append(index)
    return cuts, styles, spanned, Style.combine(prefix)


def _ordered_style_runs(
    prefix: tuple[Style, ...],
    spans: list[Span],
    span_styles: list[Style],
    length: int,
    covering: tuple[Style, ...],
) -> tuple[list[int], list[Style], list[bool], Style]:
    """:func:`_style_runs` when the spans follow one another without overlapping (as those of
    a paragraph do), but for ``covering`` ones over the whole text after them: each run is a
    span or the gap before it."""
    unstyled = Style.combine(prefix)
    gap = Style.combine((*prefix, *covering)) if covering else unstyled
    covered = bool(covering)
    cuts, styles, spanned = [0], [], []
    combined: dict[Style, Style] = {}  # as Text.render keeps them: by equal styles
    position = 0
    for span, span_style in zip(spans, span_styles, strict=True):
        if span.start > position:
            cuts.append(span.start)
            styles.append(gap)
            spanned.append(covered)
        position = min(span.end, length)
        cuts.append(position)
        style = combined.get(span_style)
        if style is None:
            # Added to the null style, a style without a link comes back as it is.
            plain = not unstyled and not covering and not span_style.link
            style = span_style if plain else Style.combine((*prefix, span_style, *covering))
            combined[span_style] = style
        styles.append(style)
        spanned.append(True)
    if position < length:
        cuts.append(length)
        styles.append(gap)
        spanned.append(covered)
    return cuts, styles, spanned, unstyled
