"""A demo forum in GBK or BIG5, like an older Chinese Discuz! install (``--charset gbk|big5``).

Such a site reads form and query values as bytes in its charset, so a client that sends
UTF-8 bytes gets mojibake, as on the real one; the mobile API alone also takes UTF-8 when the
URL says ``charset=utf-8``. Characters the charset lacks arrive as the character references
browsers send (``&#128512;``) and are stored as that text. Its pages and AJAX answers are
bytes in the charset, labelled so in the header, ``<meta>`` and ``<?xml?>``; its mobile JSON
stays ASCII (``\\u`` escapes) under ``"Charset":"GBK"``, as the X3.4 GBK captures show.
"""

from __future__ import annotations

import re
import sqlite3

from tui.demo.exchange import MOBILE_API_PATH, Response

_LABELS = re.compile(rb"""(charset\s*=\s*["']?|encoding\s*=\s*["'])utf-8""", re.IGNORECASE)
_TEXT_TYPES = ("text/html", "text/xml")


def request_codec(charset: str, path: str, query: str) -> str:
    """The codec the site reads a request's values with."""
    if path == MOBILE_API_PATH and re.search(r"(?:^|&)charset=utf-?8(?:&|$)", query, re.I):
        return "utf-8"  # the mobile plugin converts from UTF-8 when asked to
    return charset


def api_label(charset: str) -> str:
    """The mobile API's ``Charset`` field: "UTF-8", "GBK", "BIG5"."""
    return charset.upper()


def in_site_charset(response: Response, charset: str) -> Response:
    """A page or AJAX answer re-encoded in the site's charset, labels included; others as they are."""
    if charset == "utf-8" or not response.content_type.startswith(_TEXT_TYPES):
        return response
    if "utf-8" not in response.content_type.lower():
        return response
    text = _LABELS.sub(rb"\1" + charset.encode(), response.body).decode("utf-8", "replace")
    response.body = text.encode(charset, "xmlcharrefreplace")
    response.content_type = re.sub("utf-8", charset, response.content_type, flags=re.IGNORECASE)
    return response


_STORED_REFERENCE = re.compile(r"&amp;(#[0-9]{1,7};)")


def escaped_twice(message_html: str) -> str:
    """What API version 4 does to a stored reference: ``&amp;#128512;`` becomes ``&amp;amp;#128512;``."""
    return _STORED_REFERENCE.sub(r"&amp;amp;\1", message_html)


def store_in_charset(db: sqlite3.Connection, charset: str) -> None:
    """Rewrite the seeded text as a site in ``charset`` holds it: characters outside it as references.

    A GBK or BIG5 site never stores 😀 (or, in BIG5, simplified 学): what its members typed
    arrived as ``&#128512;`` and stays that text. Idempotent: references are ASCII.
    """
    if charset == "utf-8":
        return
    db.create_function("in_site_charset", 1, lambda text: _held(text, charset), deterministic=True)
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    with db:
        for table in tables:
            for column in db.execute(f'PRAGMA table_info("{table}")').fetchall():
                if str(column[2]).upper() == "TEXT":
                    db.execute(f'UPDATE "{table}" SET "{column[1]}" = in_site_charset("{column[1]}")')


def _held(text: object, charset: str) -> object:
    if not isinstance(text, str) or text.isascii():
        return text
    return text.encode(charset, "xmlcharrefreplace").decode(charset)
