"""A post's attachment list (as the engine reports it) as document blocks.

The engine knows attachments the body does not mention (v4 drops inline ``[attach]``
tags); appending these blocks shows them the same way as inline ones: name, size, downloads.
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.content.document import AttachmentRef, Document
from tui.content.sanitize import clean_text, resolve_url
from tui.model import Attachment


def attachment_blocks(attachments: Iterable[Attachment], base_url: str = "") -> list[AttachmentRef]:
    """One block per attachment, every string cleaned and every URL vetted."""
    return [
        AttachmentRef(
            name=clean_text(attachment.name),
            url=resolve_url(attachment.url, base_url),
            size=clean_text(attachment.size),
            downloads=attachment.downloads,
        )
        for attachment in attachments
    ]


def with_attachments(doc: Document, attachments: Iterable[Attachment], base_url: str = "") -> Document:
    """``doc`` followed by the attachments it does not already show (by name), each once."""
    shown = {block.name for block in doc.attachments}
    blocks = list(doc.blocks)
    for block in attachment_blocks(attachments, base_url):
        if block.name not in shown:
            shown.add(block.name)
            blocks.append(block)
    return Document(blocks)
