"""Post content: Discuz! post HTML made faithful, readable and safe for a terminal.

``parse_post_html`` builds an engine-neutral :class:`Document`; ``render_document`` turns it
into Rich renderables for the thread view; ``html_to_text``/``html_to_markdown`` serve
``forum-tui read``. ``clean_text`` is for every other untrusted string (subjects, names).
"""

from tui.content.attachments import attachment_blocks, with_attachments
from tui.content.document import (
    AttachmentRef,
    Block,
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
)
from tui.content.parse import parse_post_html
from tui.content.plain import document_to_markdown, document_to_text, html_to_markdown, html_to_text
from tui.content.sanitize import clean_text, resolve_url

__all__ = [
    "AttachmentRef",
    "Block",
    "CodeBlock",
    "Document",
    "EditNote",
    "HiddenBlock",
    "ImageRef",
    "Inline",
    "InlineStyle",
    "LineBreak",
    "ListBlock",
    "Paragraph",
    "PollBlock",
    "Quote",
    "Rule",
    "Smiley",
    "TableBlock",
    "TextSpan",
    "attachment_blocks",
    "clean_text",
    "document_to_markdown",
    "document_to_text",
    "html_to_markdown",
    "html_to_text",
    "parse_post_html",
    "render_document",
    "resolve_url",
    "with_attachments",
]


def __getattr__(name: str) -> object:
    """``render_document`` on first use: it pulls in Rich's console, which printing text
    (``forum-tui read``) never needs."""
    if name == "render_document":
        from tui.content.render import render_document

        return render_document
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
