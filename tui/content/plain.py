"""A :class:`Document` as plain text or Markdown (``forum-tui read``).

Both share one writer: the structure (quotes as ``> `` lines under their header, code
verbatim between fences, lists, aligned tables) is the same, only inline marks and escaping
differ. Table columns are measured in terminal cells so CJK text lines up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tui.content.collector import collector_paused
from tui.content.document import (
    MAX_QUOTE_DEPTH,
    AttachmentRef,
    Block,
    BlockRenderer,
    CodeBlock,
    Document,
    EditNote,
    HiddenBlock,
    ImageRef,
    Inline,
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
from tui.content.parse import parse_post_html

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([#>+\-=])|(\d+)([.)]))")


def html_to_text(html: str, base_url: str = "", *, smilies: Mapping[str, str] | None = None) -> str:
    """A post body as plain text: what a reader sees, with links shown as ``<url>``.
    ``smilies`` is the site's smiley table, as for ``parse_post_html``."""
    return document_to_text(parse_post_html(html, base_url, smilies=smilies))


def html_to_markdown(html: str, base_url: str = "", *, smilies: Mapping[str, str] | None = None) -> str:
    """A post body as Markdown: fenced code, ``>`` quotes, pipe tables, links."""
    return document_to_markdown(parse_post_html(html, base_url, smilies=smilies))


def document_to_text(doc: Document) -> str:
    with collector_paused():
        return "\n".join(_Writer(markdown=False).blocks(doc.blocks, 0))


def document_to_markdown(doc: Document) -> str:
    with collector_paused():
        return "\n".join(_Writer(markdown=True).blocks(doc.blocks, 0))


class _Writer(BlockRenderer[list[str]]):
    def __init__(self, *, markdown: bool) -> None:
        self.markdown = markdown
        self.in_table = False

    def blocks(self, blocks: list[Block], quote_depth: int) -> list[str]:
        """The blocks' lines, one blank line between blocks."""
        lines: list[str] = []
        for block_lines in self.render_blocks(blocks, quote_depth):
            if lines:
                lines.append("")
            lines.extend(block_lines)
        return lines

    def paragraph(self, block: Paragraph, quote_depth: int) -> list[str]:
        return _strip_blank_edges(self.inlines(block.inlines).split("\n"))

    def code(self, block: CodeBlock, quote_depth: int) -> list[str]:
        fence = "`" * max(3, _longest_run(block.text, "`") + 1)
        language = block.language if self.markdown else ""
        return [fence + language, *block.text.split("\n"), fence]

    def rule(self, block: Rule, quote_depth: int) -> list[str]:
        return ["---" if self.markdown else "─" * 20]

    def hidden(self, block: HiddenBlock, quote_depth: int) -> list[str]:
        """The label, then any revealed content: a paragraph in Markdown, behind a bar in text."""
        body = self.blocks(block.blocks, quote_depth)
        if not body:
            return [self.marked(hidden_label(block), "*")]
        if self.markdown:
            return [self.marked(hidden_label(block), "*"), "", *body]
        return [hidden_label(block), *(f"│ {line}".rstrip() for line in body)]

    def edit_note(self, block: EditNote, quote_depth: int) -> list[str]:
        return [self.marked(f"({block.text})", "*")]

    def attachment(self, block: AttachmentRef, quote_depth: int) -> list[str]:
        return [self.linked(attachment_label(block), block.url)]

    def poll(self, block: PollBlock, quote_depth: int) -> list[str]:
        lines = [self.marked(f"[poll] {block.summary}".strip(), "**")]
        lines += [f"- {self.escape(option)}" for option in block.options]
        if block.note:
            lines.append(self.marked(block.note, "*"))
        return lines

    def quote(self, quote: Quote, quote_depth: int) -> list[str]:
        if quote_depth >= MAX_QUOTE_DEPTH:
            return ["> " + self.escape("[… deeper quotes not shown]")]
        lines = []
        if quote.header:
            header = self.marked(quote.header, "*")
            lines.append(self.linked(header, quote.url, escape=False) if self.markdown else header)
        body = self.blocks(quote.blocks, quote_depth + 1)
        lines.extend(body)
        return [f"> {line}" if line else ">" for line in lines]

    def list_block(self, block: ListBlock, quote_depth: int) -> list[str]:
        lines = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else "- "
            item_lines = self.blocks(item, quote_depth) or [""]
            lines.append(marker + item_lines[0])
            lines.extend((" " * len(marker) + line) if line else "" for line in item_lines[1:])
        return lines

    def table(self, block: TableBlock, quote_depth: int) -> list[str]:
        if self.in_table:
            # A table inside a cell: one line per row, unaligned. Aligning every level
            # would pad lines to the width of all enclosing tables (slow, and unreadable).
            return [
                " | ".join(" ".join(self.blocks(cell, quote_depth)) for cell in row) for row in block.rows
            ]
        self.in_table = True
        try:
            return self.aligned_table(block, quote_depth)
        finally:
            self.in_table = False

    def aligned_table(self, block: TableBlock, quote_depth: int) -> list[str]:
        from rich.cells import cell_len  # only tables are measured in terminal cells

        grid = [[self.blocks(cell, quote_depth) for cell in row] for row in block.rows]
        if self.markdown:
            grid = [
                [[" ".join(line.strip() for line in cell if line.strip())] for cell in row] for row in grid
            ]
        columns = max((len(row) for row in grid), default=0)
        if not columns:
            return []
        widths = [0] * columns
        for row in grid:
            for index, cell in enumerate(row):
                widths[index] = max(widths[index], *(cell_len(line) for line in cell or [""]))
        lines = []
        for row_number, row in enumerate(grid):
            height = max((len(cell) for cell in row), default=1) or 1
            for line_number in range(height):
                parts = []
                for index in range(columns):
                    cell = row[index] if index < len(row) else []
                    text = cell[line_number] if line_number < len(cell) else ""
                    parts.append(text + " " * (widths[index] - cell_len(text)))
                lines.append(
                    ("| " + " | ".join(parts) + " |").rstrip()
                    if self.markdown
                    else " | ".join(parts).rstrip()
                )
            if self.markdown and row_number == 0:
                lines.append("| " + " | ".join("-" * max(3, width) for width in widths) + " |")
        return lines

    def inlines(self, inlines: list[Inline]) -> str:
        parts = []
        line_break = "  \n" if self.markdown else "\n"
        for inline in inlines:
            kind = type(inline)
            if kind is TextSpan:
                # Plain text without a link is most of a post: taken as it is, without a call.
                plain = not self.markdown and not inline.style.link
                parts.append(inline.text if plain else self.span(inline))
            elif kind is LineBreak:
                parts.append(line_break)
            elif kind is Smiley:
                parts.append(inline.text)
            elif kind is ImageRef:
                parts.append(self.linked(image_label(inline), inline.url))
        text = "".join(parts)
        if self.markdown:
            text = "\n".join(_escape_line_start(line) for line in text.split("\n"))
        return text

    def span(self, span: TextSpan) -> str:
        if not self.markdown:
            text = span.text
            link = span.style.link
            if link and link != text.strip():
                return f"{text} <{link}>"
            return text
        style = span.style
        if style.code:
            fence = "`" * (_longest_run(span.text, "`") + 1)
            text = f"{fence}{span.text}{fence}"
        else:
            text = self.escape(span.text)
            for enabled, mark in ((style.bold, "**"), (style.italic, "*"), (style.strike, "~~")):
                if enabled:
                    text = _wrap(text, mark)
        return self.linked(text, style.link, escape=False)

    def escape(self, text: str) -> str:
        return _MARKDOWN_SPECIAL.sub(r"\\\1", text) if self.markdown else text

    def marked(self, text: str, mark: str) -> str:
        """``text`` emphasised with ``mark`` in Markdown, as is in plain text."""
        return _wrap(self.escape(text), mark) if self.markdown else text

    def linked(self, text: str, url: str, *, escape: bool = True) -> str:
        if escape:
            text = self.escape(text)
        if not url:
            return text
        if self.markdown:
            return f"[{text}](<{url.replace('>', '%3E').replace('<', '%3C')}>)"
        return f"{text} <{url}>"


def _escape_line_start(line: str) -> str:
    """Keep a line that starts like a heading, quote, list item or rule from becoming one."""
    if not line.strip():
        return ""
    match = _MARKDOWN_LINE_START.match(line)
    if match is None:
        return line
    if match[2]:
        return f"{match[1]}\\{line[match.end(1) :]}"
    return f"{match[1]}{match[3]}\\{line[match.end(3) :]}"


def _wrap(text: str, mark: str) -> str:
    """Emphasis around the words only: Markdown ignores ``** bold **`` with inner spaces."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core[0])
    return f"{text[:start]}{mark}{core}{mark}{text[start + len(core) :]}"


def _longest_run(text: str, char: str) -> int:
    return max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)


def _strip_blank_edges(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]
