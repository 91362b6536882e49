"""Making untrusted forum text and URLs safe for a terminal.

Everything a forum sends is untrusted: a subject or a post may carry escape sequences that
would move the cursor, retitle the window, write to the clipboard or fake a hyperlink. These
helpers remove them before any text reaches a screen or a file.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

# ESC-initiated sequences, removed whole so their parameters do not leak as visible junk:
# CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings (ESC ] P X ^ _ ... terminated by BEL or ST,
# or running to the end of the text when unterminated), and two-character escapes (ESC + one).
# The 8-bit C1 forms (CSI 0x9B, OSC 0x9D, DCS 0x90, SOS 0x98, PM 0x9E, APC 0x9F) are handled alike.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[\x20-\x7e]?"
)
# What remains unsafe after sequences are gone: C0 controls but tab and newline, DEL, C1,
# bidirectional embedding/override/isolate controls (they reorder what the reader sees),
# and the Unicode line/paragraph separators that some terminals treat as line breaks.
_UNSAFE_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_SPACE = re.compile(r"\s")  # what str.isspace() calls a space
_LINE_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})

SAFE_SCHEMES = frozenset({"http", "https", "ftp", "mailto"})


def clean_text(text: str) -> str:
    """``text`` with every terminal control character and escape sequence removed.

    Newlines and tabs stay; CR LF and lone CR become a newline (a bare CR would let a line
    overwrite itself); Unicode line separators become newlines. Nothing else is decoded or
    changed, so clean text stays byte-for-byte what the author wrote.
    """
    if text.isprintable() or _UNSAFE_CHAR.search(text) is None:  # the first test is the fast one
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_SEPARATORS)
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _UNSAFE_CHAR.sub("", text)


def resolve_url(url: str, base_url: str = "") -> str:
    """``url`` made absolute against ``base_url``; empty when it is unsafe to offer as a link.

    Unsafe means: any control character or whitespace inside it (a terminal hyperlink could be
    broken out of), or a scheme other than http(s), ftp and mailto (``javascript:``, ``data:``).
    """
    url = url.strip()
    if not url or _UNSAFE_CHAR.search(url) or _SPACE.search(url):
        return ""
    if base_url:
        try:
            url = urljoin(base_url, url)
        except ValueError:
            return ""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    if scheme not in SAFE_SCHEMES:
        return ""
    return url
