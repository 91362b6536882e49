"""BBCode to HTML the way Discuz! X3.5 renders it, in the two flavours the mobile API serves.

The one BBCode renderer of the project: the demo forum stores posts as BBCode and serves them
through it, and the composer's preview runs the text being written through it (then through
``parse_post_html`` like any post), so the preview is what the thread shows after sending.

``v4`` is api/4 (mobile_discuzcode): quotes become ``<div class="reply_wrap">``, smilies are
absolute ``<img>`` URLs and, as a real-server quirk, ``[code]`` blocks and inline
``[attachimg]`` images are dropped. ``v1`` is api/1 (the desktop discuzcode): ``<div
class="quote"><blockquote>``, ``<div class="blockcode">`` code and relative smiley URLs.
Text is HTML-escaped before any tag is turned into markup, so forum text never becomes HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# Smiley code -> (smilieid, image name); the images live under static/image/smiley/default/.
SMILIES: dict[str, tuple[int, str]] = {
    ":)": (1, "smile"),
    ":(": (2, "sad"),
    ":D": (3, "biggrin"),
    ":'(": (4, "cry"),
    ":@": (5, "huffy"),
    ":o": (6, "shocked"),
    ":P": (7, "tongue"),
    ":$": (8, "shy"),
    ";P": (9, "titter"),
    ":L": (10, "sweat"),
    ":Q": (11, "mad"),
    ":lol": (12, "lol"),
    ":loveliness:": (13, "loveliness"),
    ":funk:": (14, "funk"),
    ":curse:": (15, "curse"),
    ":dizzy:": (16, "dizzy"),
    ":shutup:": (17, "shutup"),
    ":sleepy:": (18, "sleepy"),
    ":hug:": (19, "hug"),
    ":victory:": (20, "victory"),
    ":time:": (21, "time"),
    ":kiss:": (22, "kiss"),
    ":handshake": (23, "handshake"),
    ":call:": (24, "call"),
}
SMILEY_NAMES = frozenset(name for _, name in SMILIES.values())
_SMILEY_PATTERN = re.compile(
    r"(?<![\w/:])("
    + "|".join(re.escape(html.escape(code, quote=False)) for code in sorted(SMILIES, key=len, reverse=True))
    + r")"
)


@dataclass(frozen=True, slots=True)
class AttachmentRef:
    """What the renderer needs to know about an attachment a post embeds."""

    aid: int
    filename: str
    is_image: bool
    path: str  # under data/attachment/forum/


@dataclass(frozen=True, slots=True)
class RenderContext:
    """Who is looking and how: decides the flavour, [hide] visibility and URL forms."""

    base_url: str
    flavor: str = "v4"  # "v4" or "v1"
    quirks: bool = True
    viewer_name: str = ""  # "" = guest
    viewer_replied: bool = False
    viewer_credits: int = 0
    is_author: bool = False
    attachments: Mapping[int, AttachmentRef] | None = None


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace('"', "&quot;")


def _absolute(url: str, base_url: str) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I) or url.startswith("mailto:"):
        return url
    return base_url + url.lstrip("/")


def _code_block(code: str, index: int) -> str:
    lines = code.strip("\n").split("\n")
    items = "".join(f"<li>{_escape(line).replace('  ', '&nbsp; ')}" for line in lines)
    ident = f"code_{index:03d}"
    return (
        f'<div class="blockcode"><div id="{ident}"><ol>{items}<li></ol></div>'
        f"<em onclick=\"copycode(getID('{ident}'));\">复制代码</em></div>"
    )


def _smiley(context: RenderContext) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        smilieid, name = SMILIES[html.unescape(match.group(1))]
        if context.flavor == "v4":
            return f'<img src="{context.base_url}static/image/smiley/default/{name}.gif" />'
        return f'<img src="static/image/smiley/default/{name}.gif" smilieid="{smilieid}" border="0" alt="" />'

    return replace


def _hide(context: RenderContext) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        need = int(match.group(1) or 0)
        body = match.group(2)
        who = context.viewer_name or "游客"
        if need:
            if context.is_author or (context.viewer_name and context.viewer_credits >= need):
                return f'<div class="locked">以下内容需要积分高于 {need} 才可浏览</div>{body}<br /><br />'
            return (
                f'<div class="locked">{_escape(who)}，本帖隐藏的内容需要积分高于 {need} 才可浏览，'
                f"您当前积分为 {context.viewer_credits}</div>"
            )
        if context.is_author or context.viewer_replied:
            return body
        return f'<div class="locked">{_escape(who)}如果您要查看本帖隐藏内容请回复</div>'

    return replace


def _attachment(context: RenderContext, inline_image: bool) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        aid = int(match.group(1))
        found = (context.attachments or {}).get(aid)
        if found is None:
            return ""
        if found.is_image:
            if inline_image and context.flavor == "v4" and context.quirks:
                return ""
            src = f"{context.base_url}data/attachment/forum/{found.path}"
            return f'<div class="img"><img src="{src}" attach="{aid}" /></div>'
        href = f"{context.base_url}forum.php?mod=attachment&amp;aid={aid}"
        return f'<a href="{href}" target="_blank">{_escape(found.filename)}</a>'

    return replace


def _url(context: RenderContext) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target is None:
            target = html.unescape(label)
        href = _escape(_absolute(html.unescape(target), context.base_url))
        if context.flavor == "v4" and context.quirks and "goto=findpost" in href:
            href = href.replace("&amp;", "&amp;amp;")  # the real v4 renderer escapes these twice
        extra = ' target="_blank"' if context.flavor == "v1" else ""
        return f'<a href="{href}"{extra}>{label}</a>'

    return replace


def _table(match: re.Match[str]) -> str:
    body = match.group(1)
    body = re.sub(r"\[tr\]", "<tr>", body)
    body = re.sub(r"\[/tr\]", "</tr>", body)
    body = re.sub(r"\[td(?:=\d+(?:,\d+)*)?\]", '<td class="dzcode_td">', body)
    body = re.sub(r"\[/td\]", "</td>", body)
    body = re.sub(r">\s*<br />\n\s*<", "><", body.replace("\n", "<br />\n"))
    body = re.sub(r"(</?t[rd][^>]*>)\s+", r"\1", body)
    return f'<table class="dzcode_table" cellspacing="0" >{body.strip()}</table>'


_SIMPLE_TAGS: tuple[tuple[str, str], ...] = (
    (r"\[b\]", "<strong>"),
    (r"\[/b\]", "</strong>"),
    (r"\[i\]", "<em>"),
    (r"\[/i\]", "</em>"),
    (r"\[u\]", "<u>"),
    (r"\[/u\]", "</u>"),
    (r"\[s\]", "<strike>"),
    (r"\[/s\]", "</strike>"),
    (r"\[color=([#\w]+)\]", r'<font color="\1">'),
    (r"\[/color\]", "</font>"),
    (r"\[size=(\d{1,2})\]", r'<font size="\1">'),
    (r"\[/size\]", "</font>"),
    (r"\[font=([\w ,-]+)\]", r'<font face="\1">'),
    (r"\[/font\]", "</font>"),
    (r"\[align=(left|center|right)\]", r'<div align="\1">'),
    (r"\[/align\]", "</div>"),
    (r"\[list\]", "<ul>"),
    (r"\[list=1\]", '<ul type="1" class="litype_1">'),
    (r"\[list=a\]", '<ul type="a" class="litype_2">'),
    (r"\[/list\]", "</ul>"),
    (r"\[\*\]", "<li>"),
)


def render(message: str, context: RenderContext) -> str:
    """The HTML the chosen API flavour would send for this stored BBCode message."""
    codes: list[str] = []

    def stash_code(match: re.Match[str]) -> str:
        if context.flavor == "v4" and context.quirks:
            return ""
        codes.append(_code_block(match.group(1), len(codes)))
        return f"\x00{len(codes) - 1}\x00"

    cleaned = message.replace("\r\n", "\n").replace("\x00", "")
    text = _escape(re.sub(r"\[code\](.*?)\[/code\]\n?", stash_code, cleaned, flags=re.S))
    text = re.sub(r"\[hide(?:=(\d+))?\](.*?)\[/hide\]", _hide(context), text, flags=re.S)
    if context.flavor == "v4":  # the mobile renderer ignores font sizes
        text = re.sub(r"\[/?size(?:=\d{1,2})?\]", "", text, flags=re.I)
    text = re.sub(r"\[i=s\](.*?)\[/i\]", r'<i class="pstatus">\1</i>', text, flags=re.S | re.I)  # edit note
    for pattern, replacement in _SIMPLE_TAGS:
        text = re.sub(pattern, replacement, text, flags=re.I)
    text = re.sub(r"\[url(?:=([^\]\s]+))?\](.*?)\[/url\]", _url(context), text, flags=re.S | re.I)
    text = re.sub(
        r"\[img(?:=\d+,\d+)?\]\s*(https?://[^\s\[]+?)\s*\[/img\]",
        lambda match: f'<img src="{match.group(1)}" border="0" alt="" />',
        text,
        flags=re.I,
    )
    text = re.sub(r"\[attachimg\](\d+)\[/attachimg\]", _attachment(context, True), text)
    text = re.sub(r"\[attach\](\d+)\[/attach\]", _attachment(context, False), text)
    text = re.sub(r"\[table(?:=[\w%,#]+)?\](.*?)\[/table\]", _table, text, flags=re.S)
    quote_open, quote_close = (
        ('<div class="reply_wrap">', "</div>")
        if context.flavor == "v4"
        else ('<div class="quote"><blockquote>', "</blockquote></div>")
    )
    while re.search(r"\[quote\](.*?)\[/quote\]", text, flags=re.S):
        text = re.sub(
            r"\[quote\]\s*(.*?)\s*\[/quote\]",
            lambda match: quote_open + match.group(1) + quote_close,
            text,
            flags=re.S,
        )
    text = _SMILEY_PATTERN.sub(_smiley(context), text)
    text = text.replace("\n", "<br />\n")
    return re.sub(r"\x00(\d+)\x00", lambda match: codes[int(match.group(1))], text)


def own_post_html(message: str, base_url: str, author: str) -> str:
    """The HTML a forum shows its author for ``message`` once posted (the desktop flavour the
    thread view reads), for the composer's preview."""
    context = RenderContext(base_url, flavor="v1", quirks=False, viewer_name=author, is_author=True)
    return render(message, context)


def plain_text(message: str, limit: int = 300) -> str:
    """A tag-free excerpt, as thread lists and notices show it."""
    text = re.sub(
        r"\[code\].*?\[/code\]|\[quote\].*?\[/quote\]|\[hide(?:=\d+)?\].*?\[/hide\]", "", message, flags=re.S
    )
    text = re.sub(r"\[/?[a-z*]+(?:=[^\]]*)?\]", "", text, flags=re.I).strip()
    return text if len(text) <= limit else text[:limit] + " ..."


def quote_excerpt(message: str, limit: int = 100) -> str:
    """The short form of a post that a quote-reply repeats."""
    return plain_text(message, limit).replace("\n", " ")
