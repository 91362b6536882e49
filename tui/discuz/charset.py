"""Encodings: what a Discuz! site's bytes mean and how form fields must be sent to it.

The forum stores text in its own charset (UTF-8, GBK or BIG5) and decodes POSTed fields and
query values with it, so they must be encoded in that charset or a GBK site stores mojibake.
Answers are decoded by the charset they declare, never guessed: HTML and XML by the header,
then ``<meta charset>`` or ``<?xml encoding?>`` (httpx ignores both); mobile JSON by the
header, then its own ``"Charset"`` field. GBK/GB2312 labels decode as GB18030, their
superset, so rare characters survive.

Characters a site's charset lacks (😀, 𠮷) travel as HTML character references
(``&#128512;``), as browsers send them, and the site stores that reference as text and
escapes it once or twice on output. ``resolve_references`` gives such characters back.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote_plus

_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "big5": "big5hkscs"}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""",
    re.IGNORECASE,
)
_JSON_CHARSET = re.compile(rb'"charset"\s*:\s*"([A-Za-z0-9_\-]+)"', re.IGNORECASE)
# A character reference as stored (&#128512;) or escaped once or twice on output (&amp;amp;#128512;).
_REFERENCE = re.compile(r"&(?:amp;){0,2}#(?:([0-9]{1,7})|[xX]([0-9a-fA-F]{1,6}));")
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
    return (found.group(1) or found.group(2)).decode("ascii") if found else None


def decode_page(body: bytes, content_type: str | None, fallback: str = "utf-8") -> str:
    """An HTML or XML page's text, never raising on bad bytes.

    The declared charset is tried first; when the bytes are not valid in it (GBK under a
    UTF-8 label), the site's own charset ``fallback``; only then are bad bytes replaced.
    """
    declared = charset_of(content_type, body) or fallback
    text = _first_reading(body, (declared, fallback))
    return text if text is not None else body.decode(python_codec(declared), errors="replace")


def decode_json(body: bytes, content_type: str | None, fallback: str = "utf-8") -> str | None:
    """A mobile answer's text: by the header charset, else the body's ``"Charset"`` field, else
    the site's own charset ``fallback``; None when none of them reads the bytes.

    Discuz! X3.4 sends ``\\u`` escapes (pure ASCII) under ``"Charset":"GBK"``; older plugins
    send the raw GBK bytes, which only the declared charset reads right. Some servers send
    GBK bytes under a UTF-8 label: the site's charset (from ``module=check``) reads those.
    """
    label = charset_of(content_type, b"")
    if label is None and (found := _JSON_CHARSET.search(body[:4096])):
        label = found.group(1).decode("ascii")
    return _first_reading(body, (label or "utf-8", fallback))


def encode_query(fields: Iterable[tuple[str, str]], charset: str) -> str:
    """``name=value&…`` percent-encoded in the site's charset (see ``encode_form``)."""
    codec = python_codec(charset, decoding=False)
    return "&".join(
        f"{quote_plus(name.encode(codec, 'xmlcharrefreplace'))}="
        f"{quote_plus(value.encode(codec, 'xmlcharrefreplace'))}"
        for name, value in fields
    )


def encode_form(fields: Iterable[tuple[str, str]], charset: str) -> bytes:
    """``application/x-www-form-urlencoded`` bytes with values in the site's charset.

    Characters the charset cannot hold become HTML character references, which is what a
    browser sends to such a site and what Discuz! then shows correctly.
    """
    return encode_query(fields, charset).encode("ascii")


def _referable(code: int) -> bool:
    """Code points a browser would send as a reference: not controls, surrogates or beyond Unicode."""
    return code > 0x9F and not 0xD800 <= code <= 0xDFFF and code <= 0x10FFFF


def resolve_references(text: str, charset: str) -> str:
    """``text`` with the references a browser made for characters outside ``charset`` resolved.

    Only references to characters the charset cannot hold are touched, whether stored bare
    or escaped once (``&amp;#…;``) or twice (``&amp;amp;#…;``); everything else, including
    a reference to a character the charset has (which someone typed), stays as it was.
    """
    codec = python_codec(charset, decoding=False)
    if "&" not in text or codec == "utf-8":
        return text

    def resolved(found: re.Match[str]) -> str:
        code = int(found.group(1)) if found.group(1) else int(found.group(2), 16)
        if not _referable(code):
            return found.group(0)
        try:
            chr(code).encode(codec)
        except UnicodeEncodeError:
            return chr(code)
        return found.group(0)

    return _REFERENCE.sub(resolved, text)


def resolve_references_in(value: Any, charset: str) -> Any:
    """``resolve_references`` over every string in a decoded JSON value (as it is on a UTF-8
    site, which can hold every character: not walked)."""
    if python_codec(charset, decoding=False) == "utf-8":
        return value
    return _resolve_references_in(value, charset)


def _resolve_references_in(value: Any, charset: str) -> Any:
    if isinstance(value, str):
        return resolve_references(value, charset)
    if isinstance(value, dict):
        return {key: _resolve_references_in(item, charset) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve_references_in(item, charset) for item in value]
    return value


def _first_reading(body: bytes, labels: Iterable[str]) -> str | None:
    """``body`` in the first of ``labels`` whose charset reads all its bytes, or None."""
    for label in dict.fromkeys(labels):
        text = decode_strict(body, label)
        if text is not None:
            return text
    return None


def decode_strict(body: bytes, label: str | None) -> str | None:
    """``body`` in the charset ``label`` names, or None when its bytes are not valid there."""
    try:
        return body.decode(python_codec(label))
    except UnicodeDecodeError:
        return None
