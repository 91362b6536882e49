"""A :class:`Document` as Rich renderables for the thread view.

Text is always built as :class:`rich.text.Text` from plain strings (never parsed as Rich
markup), so ``[bold]`` typed in a post stays literal. Links become OSC 8 hyperlinks through
``Style(link=...)``; URLs reaching here were already vetted by the parser.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.control import strip_control_codes
from rich.measure import Measurement
from rich.panel import Panel
from rich.rule import Rule as RichRule
from rich.segment import Segment
from rich.style import Style
from rich.table import Column, Table
from rich.text import Span, Text

from tui.content.collector import collector_paused
from tui.content.document import (
    MAX_QUOTE_DEPTH,
    PLAIN,
    AttachmentRef,
    Block,
    BlockRenderer,
    CodeBlock,
    Document,
    EditNote,
    HiddenBlock,
    ImageRef,
    Inline,
    InlineStyle,
    LineBreak,
    ListBlock,
    Paragraph,
    PollBlock,
    Quote,
    Rule,
    Smiley,
    TableBlock,
    TextSpan,
    attachment_label,
    hidden_label,
    image_label,
)
from tui.content.plain import document_to_text
from tui.content.wrap import WrappingText

if TYPE_CHECKING:  # the highlighter (Rich's Syntax, Pygments) loads with the first code block
    from pygments.lexer import Lexer
    from rich.syntax import SyntaxTheme

# Quotes, lists, tables and hidden blocks nested deeper than this are drawn as plain text.
MAX_LAYOUT_DEPTH = 5

QUOTE_BAR_STYLE = Style(color="bright_black")
HIDDEN_STYLE = Style(color="yellow", italic=True)
NOTE_STYLE = Style(dim=True, italic=True)
PLACEHOLDER_STYLE = Style(color="cyan")
LIST_MARKER_STYLE = Style(color="bright_black")
CODE_SPAN_STYLE = Style(color="bright_cyan")
SYNTAX_TAB_SIZE = 4  # Rich's Syntax default, which its own lexers are made with


def render_document(doc: Document, *, images: bool = True) -> RenderableType:
    """The post as one Rich renderable.

    ``images=False`` is the data saver: images show the same ``[image: name]`` placeholder
    but without a link, so nothing invites a download.
    """
    with collector_paused():
        return DrawnPost(*_RichWriter(images=images).render_blocks(doc.blocks, 0))


class Stack(Group):
    """Renderables one under another (a quote's header and body, a list's items), drawn here
    rather than each through ``Console.render``: a long post has thousands of them."""

    spaced = False  # a blank line between two

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segments in self._drawn_parts(console, options):
            yield from segments

    def _drawn_parts(self, console: Console, options: ConsoleOptions) -> Iterator[Iterable[Segment]]:
        """The segments of each renderable, and of the blank lines between them if spaced."""
        inner = options.reset_height()  # as Console.render passes options to what it renders
        for number, block in enumerate(self.renderables):
            if number and self.spaced:
                yield _blank_line(console, options)
            yield _segments(console, block, inner)


class Blocks(Stack):
    """Blocks one under another with a blank line between two."""

    spaced = True


class DrawnPost(Blocks):
    """The post's blocks, keeping their last drawing for the next one at the same width.

    Textual draws a widget's content more than once for one frame (to measure its height,
    then to paint it), and a long post's layout is the costly part of showing it.
    """

    def __init__(self, *renderables: RenderableType) -> None:
        super().__init__(*renderables)
        self._drawn_for: tuple[object, ...] | None = None
        self._drawn: list[Segment] = []

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        drawn_for = (
            id(console),
            options.max_width,
            options.min_width,
            options.justify,
            options.overflow,
            options.no_wrap,
            options.ascii_only,
            options.legacy_windows,
            options.highlight,
            options.markup,
        )
        if drawn_for != self._drawn_for:
            drawn: list[Segment] = []
            with collector_paused():
                for segments in self._drawn_parts(console, options):
                    drawn.extend(segments)
            self._drawn, self._drawn_for = drawn, drawn_for
        return self._drawn  # a list, not a generator: one step less for each segment


def _segments(console: Console, renderable: RenderableType, options: ConsoleOptions) -> Iterable[Segment]:
    """``console.render(renderable, options)``, paragraphs and the blocks made here drawn
    straight: going through Rich's generic rendering costs about as much as drawing a short
    paragraph, and again at each level of nesting for every segment."""
    if type(renderable) in _DRAWN_STRAIGHT and options.max_width >= 1:
        return renderable.__rich_console__(console, options)
    return console.render(renderable, options)


_BLANK_LINE = (Segment(""), Segment.line())
_EMPTY_TEXT = Text("")


def _blank_line(console: Console, options: ConsoleOptions) -> Iterable[Segment]:
    """What ``Text("")`` draws, without its layout work (but in justified table cells, where
    it is padded to the cell's width)."""
    if options.justify in (None, "default"):
        return _BLANK_LINE
    return _EMPTY_TEXT.__rich_console__(console, options)


class CodeBox:
    """Code in a box titled with its language: what a Rich ``Panel`` draws, but with the
    frame drawn once for all the blocks of a width and language, and each line padded once.
    """

    def __init__(self, text: WrappingText, language: str) -> None:
        self.text = text
        self.language = language

    def panel(self, renderable: RenderableType) -> Panel:
        return Panel(
            renderable,
            box=box.SQUARE,
            border_style="bright_black",
            title=Text(self.language) if self.language else None,
            title_align="left",
            padding=(0, 1),
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if options.height is not None or width < 8:  # a fixed height, or cramped: Rich's own way
            yield from console.render(self.panel(self.text), options.reset_height())
            return
        top, line_start, line_end, bottom = _code_frame(console, options, self.language)
        yield from top
        inner = options.update(width=width - 2, height=None, highlight=False).update_width(width - 4)
        padding = console.get_style("none")  # a Padding's own style
        edge = Segment(" ", padding)
        new_line = Segment.line()
        for line in Segment.split_and_crop_lines(
            _segments(console, self.text, inner), width - 4, style=padding, include_new_lines=False
        ):
            yield line_start
            yield edge
            yield from line
            yield edge
            yield line_end
            yield new_line
        yield from bottom

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.panel(self.text))


def _code_frame(
    console: Console, options: ConsoleOptions, language: str
) -> tuple[list[Segment], Segment, Segment, list[Segment]]:
    """A code box's top line, the edges of its lines and its bottom line, as Rich draws them
    around one empty line (they do not depend on what is inside)."""
    key = (
        id(console),
        options.max_width,
        options.ascii_only,
        options.legacy_windows,
        console.safe_box,
        language,
    )
    frame = _CODE_FRAMES.get(key)
    if frame is None:
        drawn = list(console.render(CodeBox(WrappingText(), language).panel(Text("")), options))
        first_end = next(index for index, segment in enumerate(drawn) if segment.text == "\n")
        top, line, bottom = drawn[: first_end + 1], drawn[first_end + 1 : -2], drawn[-2:]
        frame = _CODE_FRAMES[key] = (top, line[0], line[-2], bottom)
        if len(_CODE_FRAMES) > 64:
            del _CODE_FRAMES[next(iter(_CODE_FRAMES))]
    return frame


_CODE_FRAMES: dict[tuple[object, ...], tuple[list[Segment], Segment, Segment, list[Segment]]] = {}


class Prefixed:
    """A renderable behind a prefix: ``first`` on its first line, ``rest`` on the others.

    Quote bars ("▌ ") and list markers ("1. " then spaces) are drawn this way rather than
    with Rich tables, whose measuring costs grow steeply with nesting.
    """

    def __init__(self, renderable: RenderableType, first: str, rest: str, style: Style) -> None:
        self.renderable = renderable
        self.first = first
        self.rest = rest
        self.style = style
        self.width = max(cell_len(first), cell_len(rest))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if width <= self.width + 1:
            yield from console.render(self.renderable, options.reset_height())
            return
        inner = options.update(width=width - self.width)
        if options.height is not None:  # Rich pads the lines up to a fixed height: its own way
            lines = console.render_lines(self.renderable, inner, pad=False)
            for number, line in enumerate(lines):
                yield Segment(self.first if number == 0 else self.rest, self.style)
                yield from line
                yield Segment.line()
            return
        yield from self._prefixed_lines(_segments(console, self.renderable, inner))

    def _prefixed_lines(self, segments: Iterable[Segment]) -> RenderResult:
        """The segments cut into lines as ``Console.render_lines`` cuts them, each behind the
        prefix. The lines are not measured to be cropped: what is inside keeps to the width
        it is given, and whatever draws this crops again at its own edge."""
        prefix = Segment(self.first, self.style)
        rest = Segment(self.rest, self.style)
        new_line = Segment.line()
        line_open = False
        for segment in segments:
            text = segment.text
            if "\n" not in text or segment.control:
                if not line_open:
                    yield prefix
                    prefix, line_open = rest, True
                yield segment
                continue
            style = segment.style
            while text:
                part, newline, text = text.partition("\n")
                if not line_open:
                    yield prefix
                    prefix, line_open = rest, True
                if part:
                    yield Segment(part, style)
                if newline:
                    yield new_line
                    line_open = False
        if line_open:
            yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        inner_options = options.update(width=max(1, options.max_width - self.width))
        inner = Measurement.get(console, inner_options, self.renderable)
        return Measurement(inner.minimum + self.width, inner.maximum + self.width)


def left_bar(renderable: RenderableType, style: Style = QUOTE_BAR_STYLE) -> Prefixed:
    """A renderable indented behind a vertical bar, the way mail clients show quotes."""
    return Prefixed(renderable, "▌ ", "▌ ", style)


class GridTable(Table):
    """A Rich table as posts show theirs (a box, a line between rows, no header), its cells
    drawn straight into their lines.

    Rich draws each cell inside a ``Padding``, cutting its lines twice and measuring every line
    three times; a post's table cells are many and small, so that was most of their cost. The
    segments are the same: each cell's lines cut and padded to its column's width less the
    padding, a padding space either side, and short cells filled with blank lines.
    """

    def _render(self, console: Console, options: ConsoleOptions, widths: list[int]) -> RenderResult:
        if not self._plain_grid():
            yield from super()._render(console, options, widths)
            return
        border_style = console.get_style(self.style or "") + console.get_style(self.border_style or "")
        safe = console.safe_box if self.safe_box is None else self.safe_box
        grid = self.box.substitute(options, safe=safe).get_plain_headed_box()
        edges = [
            (Segment(left, border_style), Segment(right, border_style), Segment(divider, border_style))
            for left, right, divider in (
                (grid.head_left, grid.head_right, grid.head_vertical),
                (grid.mid_left, grid.mid_right, grid.mid_vertical),
                (grid.foot_left, grid.foot_right, grid.foot_vertical),
            )
        ]
        new_line = Segment.line()
        padding = console.get_style("none")  # a Padding's own style
        space = Segment(" ", padding)
        yield Segment(grid.get_top(widths), border_style)
        yield new_line
        rows = list(zip(*(column.cells for column in self.columns), strict=True))
        columns_options = [
            options.update(
                width=width,
                justify=column.justify,
                no_wrap=column.no_wrap,
                overflow=column.overflow,
                height=None,
                highlight=column.highlight,
            ).update_width(width - 2)
            for width, column in zip(widths, self.columns, strict=True)
        ]
        for number, row in enumerate(rows):
            first, last = number == 0, number == len(rows) - 1
            cells = []
            for width, renderable, cell_options in zip(widths, row, columns_options, strict=True):
                lines = Segment.split_and_crop_lines(
                    _segments(console, renderable, cell_options), width - 2, pad=True, style=padding,
                    include_new_lines=False,
                )
                cells.append([[space, *line, space] for line in lines])
            height = max(map(len, cells))
            for width, cell in zip(widths, cells, strict=True):
                cell.extend([[Segment(" " * width, Style.null())]] * (height - len(cell)))
                if not height:  # no line at all: the row is one blank line high
                    cell.append([Segment(" " * width)])
            left, right, divider = edges[0 if first else (2 if last else 1)]
            for line_number in range(max(height, 1)):
                yield left
                for number, cell in enumerate(cells):
                    if number:
                        yield divider
                    yield from cell[line_number]
                yield right
                yield new_line
            if not last:
                yield Segment(grid.get_row(widths, "row", edge=True), border_style)
                yield new_line
        yield Segment(grid.get_bottom(widths), border_style)
        yield new_line

    def _measure_column(self, console: Console, options: ConsoleOptions, column: Column) -> Measurement:
        """Rich's measure of a column, without making a ``Padding`` for each of its cells."""
        bounded = column.width is not None or column.min_width is not None or column.max_width is not None
        if bounded or not self._cells_padded_alone():  # nothing else changes what a column measures
            return super()._measure_column(console, options, column)
        max_width = options.max_width
        if max_width < 1:
            return Measurement(0, 0)
        widths = [_padded_measure(console, options, cell) for cell in column.cells]
        minimum = max((minimum for minimum, _ in widths), default=1)
        maximum = max((maximum for _, maximum in widths), default=max_width)
        return Measurement(minimum, maximum).with_maximum(max_width)

    def _plain_grid(self) -> bool:
        """Whether the table is one ``_render`` draws as Rich would: a box with its edge and a
        line between rows, cells padded by a space either side, top aligned, unstyled."""
        cells = [cell for column in self.columns for cell in column.cells]
        return (
            self._cells_padded_alone()
            and self.box is not None
            and self.show_edge
            and self.show_lines
            and not (self.leading or self.row_styles)
            and not any(row.style for row in self.rows)
            and all(not column.style and column.vertical == "top" for column in self.columns)
            and all(getattr(cell, "vertical", None) in (None, "top") for cell in cells)
        )

    def _cells_padded_alone(self) -> bool:
        """Whether each column holds only its cells (no header or footer), each padded by a
        space either side."""
        return (
            not (self.show_header or self.show_footer)
            and self.padding == (0, 1, 0, 1)
            and self.pad_edge
            and not self.collapse_padding
        )


def _padded_measure(console: Console, options: ConsoleOptions, renderable: RenderableType) -> Measurement:
    """What ``Measurement.get`` gives for ``renderable`` in a Padding of a space either side."""
    max_width = options.max_width
    if max_width - 2 < 1:
        padded = Measurement(max_width, max_width)
    else:
        minimum, maximum = Measurement.get(console, options, renderable)
        padded = Measurement(minimum + 2, maximum + 2).with_maximum(max_width)
    padded = padded.normalize().with_maximum(max_width)
    return Measurement(0, 0) if padded.maximum < 1 else padded.normalize()


# What draws only segments, so that drawing it is calling it (see ``_segments``).
_DRAWN_STRAIGHT = frozenset({WrappingText, Stack, Blocks, Prefixed, CodeBox, GridTable})


class _RichWriter(BlockRenderer[RenderableType]):
    def __init__(self, *, images: bool) -> None:
        self.images = images
        self.layout_depth = 0
        self.in_table = False

    def nested(self, blocks: list[Block], quote_depth: int) -> RenderableType:
        """Blocks inside a quote, list item, table cell or hidden block.

        Rich measures nested layouts anew at every level, so hostile nesting would take
        minutes: below ``MAX_LAYOUT_DEPTH`` levels the content is shown as plain text instead.
        """
        if self.layout_depth >= MAX_LAYOUT_DEPTH:
            return WrappingText(document_to_text(Document(blocks)))
        self.layout_depth += 1
        try:
            rendered = self.render_blocks(blocks, quote_depth)
        finally:
            self.layout_depth -= 1
        return rendered[0] if len(rendered) == 1 else Blocks(*rendered)  # one block: itself

    def paragraph(self, block: Paragraph, quote_depth: int) -> RenderableType | None:
        text = self.inlines(block.inlines)
        text.rstrip()
        return text if text.plain.strip() else None

    def code(self, block: CodeBlock, quote_depth: int) -> RenderableType:
        """Code verbatim: never soft-wrapped; over-long lines end in "…" at the panel edge."""
        if block.language:
            from rich.syntax import Syntax

            lexer = _lexer(block.language) or _lexer("text")
            syntax = Syntax(block.text, lexer, theme=_code_theme(), background_color="default")
            highlighted = syntax.highlight(block.text)
            highlighted.rstrip()
            text = WrappingText.of_clean(highlighted.plain, highlighted.spans)  # drawn the faster way
            text.style, text.justify = highlighted.style, highlighted.justify
            text.tab_size = highlighted.tab_size
        else:
            text = WrappingText(block.text)
        text.no_wrap = True
        text.overflow = "ellipsis"
        return CodeBox(text, block.language)

    def rule(self, block: Rule, quote_depth: int) -> RenderableType:
        return RichRule(style="bright_black")

    def hidden(self, block: HiddenBlock, quote_depth: int) -> RenderableType:
        label = WrappingText(hidden_label(block), style=HIDDEN_STYLE)
        if not block.blocks:
            return label
        return Stack(label, left_bar(self.nested(block.blocks, quote_depth), HIDDEN_STYLE))

    def edit_note(self, block: EditNote, quote_depth: int) -> RenderableType:
        return WrappingText(f"({block.text})", style=NOTE_STYLE)

    def attachment(self, block: AttachmentRef, quote_depth: int) -> RenderableType:
        return WrappingText(attachment_label(block), style=_linked(PLACEHOLDER_STYLE, block.url))

    def quote(self, quote: Quote, quote_depth: int) -> RenderableType:
        if quote_depth >= MAX_QUOTE_DEPTH:
            return left_bar(Text("[… deeper quotes not shown]", style=NOTE_STYLE))
        body = self.nested(quote.blocks, quote_depth + 1)
        if not quote.header:
            return left_bar(body)
        return left_bar(Stack(WrappingText(quote.header, style=_linked(Style(dim=True), quote.url)), body))

    def list_block(self, block: ListBlock, quote_depth: int) -> RenderableType:
        markers = [
            f"{number}." if block.ordered else "•"
            for number in range(block.start, block.start + len(block.items))
        ]
        width = max(map(cell_len, markers), default=1)
        return Stack(
            *(
                Prefixed(
                    self.nested(item, quote_depth),
                    marker.rjust(width) + " ",
                    " " * (width + 1),
                    LIST_MARKER_STYLE,
                )
                for marker, item in zip(markers, block.items, strict=True)
            )
        )

    def table(self, block: TableBlock, quote_depth: int) -> RenderableType:
        if self.in_table:
            return WrappingText(document_to_text(Document([block])))  # one level of Rich table only
        self.in_table = True
        try:
            return self.rich_table(block, quote_depth)
        finally:
            self.in_table = False

    def rich_table(self, block: TableBlock, quote_depth: int) -> RenderableType:
        columns = max((len(row) for row in block.rows), default=0)
        table = GridTable(box=box.SQUARE, show_header=False, show_lines=True, border_style="bright_black")
        for _ in range(columns):
            table.add_column(overflow="fold")
        for row in block.rows:
            cells = [self.nested(cell, quote_depth) for cell in row]
            table.add_row(*cells, *([""] * (columns - len(cells))))
        return table

    def poll(self, block: PollBlock, quote_depth: int) -> RenderableType:
        lines = [WrappingText(f"[poll] {block.summary}".strip(), style="bold")]
        lines += [WrappingText(f"○ {option}") for option in block.options]
        if block.note:
            lines.append(WrappingText(block.note, style=NOTE_STYLE))
        return Stack(*lines)

    def inlines(self, inlines: list[Inline]) -> Text:
        """The run as one text, built in one go: appending piece by piece to a ``Text`` costs
        several times as much, which long posts with thousands of runs feel."""
        pieces: list[str] = []
        spans: list[Span] = []
        looks: dict[int, Style] = {}  # by the identity of the (shared) styles: no hashing
        length = 0
        for inline in inlines:
            kind = type(inline)
            if kind is LineBreak:
                pieces.append("\n")
                length += 1
                continue
            style: Style | None = None
            if kind is TextSpan:
                piece, inline_style = inline.text, inline.style
                if inline_style.link:
                    style = _rich_style(inline_style)
                elif inline_style is not PLAIN:  # plain text, most of a post, has no look to find
                    style = looks.get(id(inline_style))
                    if style is None:
                        style = looks[id(inline_style)] = _look(inline_style)
            elif kind is Smiley:
                piece = inline.text
            elif kind is ImageRef:
                link = inline.url if self.images else ""
                piece, style = image_label(inline), _linked(PLACEHOLDER_STYLE, link)
            else:
                continue
            if not piece.isprintable():  # the parser cleaned it: this is only a safety net
                piece = strip_control_codes(piece)
            if not piece:
                continue
            if style:
                spans.append(Span(length, length + len(piece), style))
            pieces.append(piece)
            length += len(piece)
        return WrappingText.of_clean("".join(pieces), spans)


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    """Pygments' lexer for ``language``, found once: looking one up by name scans every
    lexer it has, which long posts with many code blocks paid again for each block."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=True, tabsize=SYNTAX_TAB_SIZE)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _code_theme() -> SyntaxTheme:
    """Rich's "ansi_dark" theme, made once: ``Syntax`` makes a new one for every block named
    by name, and each new one finds the style of every kind of token anew."""
    from rich.syntax import Syntax

    return Syntax.get_theme("ansi_dark")


def _rich_style(style: InlineStyle) -> Style:
    return _linked(_look(style), style.link)


@lru_cache(maxsize=1024)
def _look(style: InlineStyle) -> Style:
    """The style without its link, made once per distinct look (posts repeat a few looks)."""
    rich_style = Style(
        bold=style.bold or style.size >= 5 or None,
        italic=style.italic or None,
        underline=style.underline or None,
        strike=style.strike or None,
        dim=style.dim or (0 < style.size <= 1) or None,
        color=style.color or None,
    )
    if style.code:
        rich_style += CODE_SPAN_STYLE
    return rich_style


def _linked(style: Style, url: str) -> Style:
    return style + Style(link=url, underline=True) if url else style
