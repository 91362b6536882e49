"""Encodings: what a Discuz! site's bytes mean and how form fields must be sent to it.

The mobile API always answers JSON in UTF-8, but the forum stores text in its own charset
(UTF-8, GBK or BIG5) and decodes POSTed fields with it, so fields must be encoded in that
charset or a GBK site stores mojibake. HTML pages are decoded by the header charset, then a
``<meta charset>`` (httpx ignores meta tags); GBK/GB2312 labels decode as GB18030, their
superset, so rare characters survive.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from urllib.parse import quote_plus

_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "big5": "big5hkscs"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def python_codec(label: str | None, *, decoding: bool = True) -> str:
    """The Python codec for a charset label; unknown or empty labels mean UTF-8."""
    if not label:
        return "utf-8"
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return "utf-8"
    if decoding:
        return _SUPERSETS.get(name, name)
    return name


def charset_of(content_type: str | None, body: bytes) -> str | None:
    """The charset label a response declares: header first, then the first ``<meta>`` tag."""
    if content_type:
        found = _HEADER_CHARSET.search(content_type)
        if found:
            return found.group(1)
    found = _META_CHARSET.search(body[:4096])
    return found.group(1).decode("ascii") if found else None


def decode_page(body: bytes, content_type: str | None, fallback: str = "utf-8") -> str:
    """An HTML or XML page's text, never raising on bad bytes."""
    codec = python_codec(charset_of(content_type, body) or fallback)
    return body.decode(codec, errors="replace")


def encode_form(fields: Iterable[tuple[str, str]], charset: str) -> bytes:
    """``application/x-www-form-urlencoded`` bytes with values in the site's charset.

    Characters the charset cannot hold become HTML character references, which is what a
    browser sends to such a site and what Discuz! then shows correctly.
    """
    codec = python_codec(charset, decoding=False)
    return "&".join(
        f"{quote_plus(name.encode(codec, 'xmlcharrefreplace'))}="
        f"{quote_plus(value.encode(codec, 'xmlcharrefreplace'))}"
        for name, value in fields
    ).encode("ascii")
