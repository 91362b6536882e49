"""Post content: Discuz! post HTML made faithful, readable and safe for a terminal.

``parse_post_html`` builds an engine-neutral :class:`Document`; ``render_document`` turns it
into Rich renderables for the thread view; ``html_to_text``/``html_to_markdown`` serve
``forum-tui read``. ``clean_text`` is for every other untrusted string (subjects, names).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    from tui.content.render import render_document
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


# Where each name lives: a submodule is imported on the first use of one of its names, so
# code that needs only ``clean_text`` (the forum engine reading a board list) does not load
# the HTML parser, and printing text (``forum-tui read``) never loads Rich's console.
_HOMES = {
    "attachments": ("attachment_blocks", "with_attachments"),
    "document": (
        "AttachmentRef", "Block", "CodeBlock", "Document", "EditNote", "HiddenBlock", "ImageRef", "Inline",
        "InlineStyle", "LineBreak", "ListBlock", "Paragraph", "PollBlock", "Quote", "Rule", "Smiley",
        "TableBlock", "TextSpan",
    ),
    "parse": ("parse_post_html",),
    "plain": ("document_to_markdown", "document_to_text", "html_to_markdown", "html_to_text"),
    "render": ("render_document",),
    "sanitize": ("clean_text", "resolve_url"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"tui.content.{module}"), name)
