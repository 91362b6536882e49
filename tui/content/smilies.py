"""Discuz! smilies as text: a smiley image must never become a broken image link."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

# The default Discuz! X smiley set (static/image/smiley/default/<name>.gif), keyed by file
# stem, with the typing codes the forum accepts for them. Emoji are chosen for meaning.
DEFAULT_SMILIES: dict[str, str] = {
    "smile": "🙂",
    "sad": "🙁",
    "biggrin": "😁",
    "cry": "😢",
    "huffy": "😤",
    "shocked": "😲",
    "tongue": "😛",
    "shy": "😊",
    "titter": "🤭",
    "sweat": "😓",
    "mad": "😠",
    "lol": "😆",
    "loveliness": "🥰",
    "funk": "😱",
    "curse": "🤬",
    "dizzy": "😵",
    "shutup": "🤐",
    "sleepy": "😪",
    "hug": "🤗",
    "victory": "✌",
    "time": "⏰",
    "kiss": "😘",
    "handshake": "🤝",
    "call": "📞",
}

DEFAULT_SMILEY_CODES: dict[str, str] = {
    ":)": "smile",
    ":(": "sad",
    ":D": "biggrin",
    ":'(": "cry",
    ":@": "huffy",
    ":o": "shocked",
    ":P": "tongue",
    ":$": "shy",
    ";P": "titter",
    ":L": "sweat",
    ":Q": "mad",
    ":lol": "lol",
    ":loveliness:": "loveliness",
    ":funk:": "funk",
    ":curse:": "curse",
    ":dizzy:": "dizzy",
    ":shutup:": "shutup",
    ":sleepy:": "sleepy",
    ":hug:": "hug",
    ":victory:": "victory",
    ":time:": "time",
    ":kiss:": "kiss",
    ":handshake": "handshake",
    ":call:": "call",
}


def is_smiley_image(src: str, smilie_id: str | None) -> bool:
    """Whether an ``<img>`` is a smiley (by its ``smilieid`` or its place under ``/smiley/``)."""
    return smilie_id is not None or "/smiley/" in src


def smiley_text(src: str, smilies: Mapping[str, str] | None = None) -> str:
    """The text shown for a smiley image URL or typing code.

    ``smilies`` (the site's own table: URL, relative path or code → text) wins; then the
    built-in default set; an unknown smiley becomes ``:set-name:`` from its path.
    """
    if smilies:
        for key in _lookup_keys(src):
            if key in smilies:
                return smilies[key]
    if src in DEFAULT_SMILEY_CODES:
        return DEFAULT_SMILIES[DEFAULT_SMILEY_CODES[src]]
    known = builtin_smiley(src)
    if known is not None:
        return known
    smiley_set, stem = _set_and_stem(src)
    name = f"{smiley_set}-{stem}" if smiley_set not in ("default", "smiley", "") else stem
    return f":{name}:" if name else ":smiley:"


def builtin_smiley(src: str) -> str | None:
    """The built-in emoji for a smiley image URL or path, or None when the default set lacks it."""
    smiley_set, stem = _set_and_stem(src)
    if smiley_set in ("default", "") and stem in DEFAULT_SMILIES:
        return DEFAULT_SMILIES[stem]
    return None


def _set_and_stem(src: str) -> tuple[str, str]:
    """The smiley set (the image's folder name) and the file name without extension."""
    try:
        path = unquote(urlsplit(src).path)
    except ValueError:
        path = src
    folder, file_name = posixpath.split(path)
    return posixpath.basename(folder), posixpath.splitext(file_name)[0]


def _lookup_keys(src: str) -> list[str]:
    """``src`` as given, and its path from ``static/`` on (sites differ in what they key by)."""
    keys = [src]
    marker = src.find("static/image/smiley/")
    if marker >= 0:
        keys.append(src[marker:])
    return keys
