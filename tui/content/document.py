"""The engine-neutral document a post body becomes.

Plain dataclasses: the parser fills them from Discuz! HTML, and each renderer (Rich for the
thread view, plain text and Markdown for ``forum-tui read``) walks them. All text in them
has already passed through :func:`~tui.content.sanitize.clean_text`; all URLs are absolute
and safe (or empty).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar


@dataclass(frozen=True, slots=True)
class InlineStyle:
    """How a run of text looks. ``link`` is an absolute, safe URL or empty."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    code: bool = False
    dim: bool = False
    color: str = ""
    size: int = 0  # Discuz! [size=1..7]; 0 means default
    link: str = ""


PLAIN = InlineStyle()


@dataclass(slots=True)
class TextSpan:
    text: str
    style: InlineStyle = PLAIN


@dataclass(slots=True)
class LineBreak:
    pass


@dataclass(slots=True)
class Smiley:
    """A forum smiley, shown as ``text`` (an emoji or a short code), never as an image."""

    text: str
    source: str = ""  # the image URL or smiley code it came from


@dataclass(slots=True)
class ImageRef:
    """An image in the post: shown as a placeholder naming the file, linked to ``url``."""

    url: str
    alt: str = ""
    filename: str = ""
    attachment_id: str = ""


Inline = TextSpan | LineBreak | Smiley | ImageRef


@dataclass(slots=True)
class Paragraph:
    inlines: list[Inline] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    """A quoted post. ``post_id``/``thread_id`` come from its ``goto=findpost`` link when present."""

    blocks: list[Block] = field(default_factory=list)
    author: str = ""
    time: str = ""
    header: str = ""
    post_id: str = ""
    thread_id: str = ""
    url: str = ""


@dataclass(slots=True)
class CodeBlock:
    """Code kept verbatim, one string with newline-separated lines."""

    text: str
    language: str = ""


@dataclass(slots=True)
class ListBlock:
    items: list[list[Block]] = field(default_factory=list)
    ordered: bool = False
    start: int = 1


@dataclass(slots=True)
class TableBlock:
    """Rows of cells; each cell is a list of blocks."""

    rows: list[list[list[Block]]] = field(default_factory=list)


@dataclass(slots=True)
class Rule:
    pass


@dataclass(slots=True)
class HiddenBlock:
    """A Discuz! [hide] block: a locked notice, or revealed content.

    ``reply_to_see`` is true when replying to the thread unlocks it (rather than credits).
    """

    notice: str = ""
    blocks: list[Block] = field(default_factory=list)
    locked: bool = True
    reply_to_see: bool = False


@dataclass(slots=True)
class EditNote:
    """ "This post was last edited by X at T" (Discuz! ``i.pstatus``)."""

    text: str


@dataclass(slots=True)
class AttachmentRef:
    """A file attachment mentioned in the body."""

    name: str
    url: str = ""
    size: str = ""
    downloads: int | None = None


@dataclass(slots=True)
class PollBlock:
    """A poll as it appears inside a web post: a summary line and the option labels."""

    summary: str = ""
    options: list[str] = field(default_factory=list)
    note: str = ""


Block = (
    Paragraph | Quote | CodeBlock | ListBlock | TableBlock | Rule | HiddenBlock | EditNote | AttachmentRef
) | PollBlock


def child_block_lists(block: Block) -> Iterator[list[Block]]:
    """The lists of blocks nested directly inside ``block`` (for walks over the tree)."""
    if isinstance(block, Quote | HiddenBlock):
        yield block.blocks
    elif isinstance(block, ListBlock):
        yield from block.items
    elif isinstance(block, TableBlock):
        for row in block.rows:
            yield from row


def walk_blocks(blocks: list[Block]) -> Iterator[Block]:
    """Every block in ``blocks`` and below, depth first, without recursion limits."""
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        yield block
        for nested in reversed(list(child_block_lists(block))):
            stack.extend(reversed(nested))


@dataclass(slots=True)
class Document:
    """A parsed post body."""

    blocks: list[Block] = field(default_factory=list)

    @property
    def quotes(self) -> list[Quote]:
        """Every quote, outermost first."""
        return [block for block in walk_blocks(self.blocks) if isinstance(block, Quote)]

    @property
    def images(self) -> list[ImageRef]:
        """Every (non-smiley) image, in reading order."""
        return [
            inline
            for block in walk_blocks(self.blocks)
            if isinstance(block, Paragraph)
            for inline in block.inlines
            if isinstance(inline, ImageRef)
        ]

    @property
    def attachments(self) -> list[AttachmentRef]:
        return [block for block in walk_blocks(self.blocks) if isinstance(block, AttachmentRef)]

    @property
    def links(self) -> list[tuple[str, str]]:
        """``(text, url)`` of every link in reading order (a quote's link back to the quoted
        floor too); the spans of one link are joined, and a URL linked twice is listed once."""
        found: dict[str, str] = {}
        for block in walk_blocks(self.blocks):
            if isinstance(block, Quote) and block.url:
                found.setdefault(block.url, block.header or block.author or block.url)
            if not isinstance(block, Paragraph):
                continue
            current, text = "", ""
            for inline in [*block.inlines, LineBreak()]:
                link = inline.style.link if isinstance(inline, TextSpan) else ""
                if link != current and current:
                    found.setdefault(current, text.strip() or current)
                if link and link == current:
                    text += inline.text
                elif link:
                    text = inline.text
                current = link
        return list((text, url) for url, text in found.items())


# Quotes nested deeper than this are summarised rather than drawn: each level costs width,
# and hostile posts nest hundreds deep.
MAX_QUOTE_DEPTH = 4


def image_label(image: ImageRef) -> str:
    """The placeholder an image is shown as: ``[image: sunset.jpg]``."""
    name = image.filename or image.alt or "image"
    return f"[image: {name}]"


def attachment_label(attachment: AttachmentRef) -> str:
    """``[attachment: notes.zip, 229 Bytes, 3 downloads]`` with whatever is known."""
    details = [attachment.name or "file"]
    if attachment.size:
        details.append(attachment.size)
    if attachment.downloads is not None:
        details.append(f"{attachment.downloads} download" + ("" if attachment.downloads == 1 else "s"))
    return f"[attachment: {', '.join(details)}]"


def hidden_label(hidden: HiddenBlock) -> str:
    """A [hide] block's headline: what is locked and how to unlock it, or that it is shown."""
    if not hidden.locked:
        return (
            f"[hidden content, shown to you: {hidden.notice}]" if hidden.notice else "[hidden content, shown]"
        )
    how = "reply to see" if hidden.reply_to_see else "locked"
    return f"[hidden content — {how}] {hidden.notice}".rstrip()


R = TypeVar("R")

_METHOD_FOR_BLOCK: dict[type, str] = {
    Paragraph: "paragraph",
    Quote: "quote",
    CodeBlock: "code",
    ListBlock: "list_block",
    TableBlock: "table",
    Rule: "rule",
    HiddenBlock: "hidden",
    EditNote: "edit_note",
    AttachmentRef: "attachment",
    PollBlock: "poll",
}


class BlockRenderer(Generic[R]):
    """Base of the renderers: dispatches each block type to the method named after it.

    ``quote_depth`` travels down so quotes nested too deep can be summarised.
    """

    def render_blocks(self, blocks: list[Block], quote_depth: int) -> list[R]:
        """Each block rendered, skipping those that render to nothing."""
        rendered = []
        for block in blocks:
            result = getattr(self, _METHOD_FOR_BLOCK[type(block)])(block, quote_depth)
            if result:
                rendered.append(result)
        return rendered
