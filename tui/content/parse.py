"""Discuz! post HTML → :class:`~tui.content.document.Document`.

One pass over the HTML5 tree built by selectolax (lexbor), which already copes with the
unclosed ``<li>``, stray ``<br>`` and entity soup that Discuz!'s BBCode renderer produces.
Shapes handled are those seen in real X3.5 answers: web/v1 ``div.quote > blockquote`` and
v4 ``div.reply_wrap`` quotes, ``div.blockcode`` code, ``div.locked`` [hide] notices,
``dzcode_td`` tables, ``i.pstatus`` edit notes, smilies, attachments and the web poll form.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.content.collector import collector_paused
from tui.content.document import (
    PLAIN,
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
from tui.content.sanitize import clean_text, resolve_url
from tui.content.smilies import is_smiley_image, smiley_text

# Beyond this element depth the rest of a subtree is taken as plain text: no recursion
# blow-up on hostile nesting, and nobody reads structure 200 levels deep anyway.
MAX_ELEMENT_DEPTH = 120

_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_QUOTE_HEADER = re.compile(r"^(?P<author>.+?)\s+(?:发表于|發表於|posted on|posted at)\s+(?P<time>.+)$", re.I)
_ATTACHMENT_META = re.compile(
    r"\(?\s*(?P<size>[\d.,]+\s*[KMGT]?B(?:ytes)?)\s*(?:,\s*[^:：]*[:：]\s*(?P<n>\d+))?", re.I
)
_SKIPPED_TAGS = frozenset(
    {"script", "style", "head", "title", "input", "button", "select", "textarea", "noscript", "-comment"}
)
_BLOCK_TAGS = frozenset(
    {
        "div",
        "p",
        "center",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "figcaption",
        "address",
        "form",
        "fieldset",
        "details",
        "summary",
        "body",
        "html",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "li",
        "caption",
    }
)
_LEFTOVER_ENTITIES = {"quot": '"', "amp": "&", "lt": "<", "gt": ">", "apos": "'", "#39": "'", "#039": "'"}
_LEFTOVER_ENTITY = re.compile(r"&(quot|amp|lt|gt|apos|#0?39);", re.I)
# Elements whose only effect is one style flag, and which need no attribute look-up.
_SIMPLE_STYLES: dict[str, tuple[str, bool]] = {
    "strong": ("bold", True),
    "b": ("bold", True),
    "cite": ("italic", True),
    "var": ("italic", True),
    "u": ("underline", True),
    "ins": ("underline", True),
    "strike": ("strike", True),
    "s": ("strike", True),
    "del": ("strike", True),
    "code": ("code", True),
    "tt": ("code", True),
    "kbd": ("code", True),
    "samp": ("code", True),
}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PLACEHOLDER_IMAGES = ("none.gif", "loading.gif")
_LINE_BREAK = LineBreak()  # one for all: it holds nothing


def parse_post_html(html: str, base_url: str = "", *, smilies: Mapping[str, str] | None = None) -> Document:
    """Parse a post body (an untrusted HTML fragment) into a :class:`Document`.

    Relative URLs are resolved against ``base_url``; unsafe ones are dropped. ``smilies``
    maps smiley image URLs (or paths, or typing codes) to the text to show instead.
    """
    if "dzcode_td" in html:
        # The mobile renderer closes a row after every cell (``</td></tr><td>``); browsers
        # would then put each cell on its own row. Rejoin them into the author's rows.
        html = html.replace("</td></tr><td", "</td><td")
    tree = LexborHTMLParser(html)
    root = tree.body
    if root is None:
        return Document()
    with collector_paused():
        return Document(_Converter(base_url, smilies).blocks_of(root, PLAIN, 0))


def _code_block(code: str) -> CodeBlock:
    """Code with its language named when evident; the guesser's patterns load with the first
    code block, not with every post read."""
    from tui.content.languages import guess_language

    return CodeBlock(code, guess_language(code))


class _BlockBuilder:
    """Collects blocks, gathering loose inline content into paragraphs."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.inlines: list[Inline] = []

    def add_inline(self, inline: Inline) -> None:
        self.inlines.append(inline)

    def add_block(self, block: Block) -> None:
        self.flush()
        self.blocks.append(block)

    def flush(self) -> None:
        inlines = _tidy_inlines(self.inlines)
        self.inlines = []
        if inlines:
            self.blocks.append(Paragraph(inlines))

    def finish(self) -> list[Block]:
        self.flush()
        return self.blocks


def _tidy_inlines(inlines: list[Inline]) -> list[Inline]:
    """Merge adjacent same-style text, trim spaces at line edges, keep at most one blank line.

    The spaces HTML source formatting leaves at the start and end of each line go, and text
    left empty with them. Breaks at a paragraph's edges only space it from the blocks around
    it, and renderers already put one blank line between blocks, so those are dropped.
    """
    tidy: list[Inline] = []
    breaks_in_a_row = 0
    at_line_start = True
    text_start = 0  # where in ``tidy`` the line's text since its last break, smiley or image starts
    for inline in _merge_spans(inlines):
        kind = type(inline)
        if kind is TextSpan:
            text = inline.text
            if at_line_start:
                inline.text = text = text.lstrip(" ")
                at_line_start = not text
            if not text:
                continue
            breaks_in_a_row = 0
            tidy.append(inline)
            continue
        if kind is LineBreak:
            _rstrip_line(tidy, text_start)
            at_line_start = True
            breaks_in_a_row += 1
        else:
            at_line_start = False
            breaks_in_a_row = 0
        if breaks_in_a_row <= 2:
            tidy.append(inline)
        text_start = len(tidy)
    _rstrip_line(tidy, text_start)
    start, end = 0, len(tidy)
    while start < end and type(tidy[start]) is LineBreak:
        start += 1
    while end > start and type(tidy[end - 1]) is LineBreak:
        end -= 1
    return tidy[start:end] if start or end < len(tidy) else tidy


def _rstrip_line(inlines: list[Inline], start: int) -> None:
    """Strip spaces off the end of a line's text, ``inlines[start:]`` (text spans, none empty),
    dropping the spans left empty."""
    while len(inlines) > start:
        span = inlines[-1]
        text = span.text
        if text[-1] != " ":  # most lines: nothing to strip
            return
        span.text = text = text.rstrip(" ")
        if text:
            return
        inlines.pop()


def _merge_spans(inlines: list[Inline]) -> list[Inline]:
    """Adjacent text of the same style as one span (joined once: big posts have many pieces)."""
    merged: list[Inline] = []
    last: TextSpan | None = None  # the text span ending ``merged``, if it does
    joined: list[str] = []  # the texts to join into it, when there are more than its own
    for inline in inlines:
        if type(inline) is not TextSpan:
            if joined:
                merged[-1] = TextSpan("".join(joined), merged[-1].style)
                joined = []
            merged.append(inline)
            last = None
        elif last is not None and (inline.style is last.style or inline.style == last.style):
            if not joined:
                joined.append(last.text)
            joined.append(inline.text)
        else:
            if joined:
                merged[-1] = TextSpan("".join(joined), merged[-1].style)
                joined = []
            merged.append(inline)
            last = inline
    if joined:
        merged[-1] = TextSpan("".join(joined), merged[-1].style)
    return merged


class _Converter:
    def __init__(self, base_url: str, smilies: Mapping[str, str] | None) -> None:
        self.base_url = base_url
        self.smilies = smilies
        self.smileys: dict[str, Smiley] = {}

    # -- blocks ------------------------------------------------------------------------

    def blocks_of(self, node: LexborNode, style: InlineStyle, depth: int) -> list[Block]:
        builder = _BlockBuilder()
        self.fill(builder, node, style, depth)
        return builder.finish()

    def fill(self, builder: _BlockBuilder, node: LexborNode, style: InlineStyle, depth: int) -> None:
        """Convert ``node``'s children into ``builder``."""
        self.add_nodes(builder, node.iter(include_text=True), style, depth + 1)

    def add_nodes(
        self, builder: _BlockBuilder, nodes: Iterable[LexborNode], style: InlineStyle, depth: int
    ) -> None:
        """Convert ``nodes`` into ``builder``; text and line breaks, most of the nodes of a
        post, right here."""
        inlines = builder.inlines
        for node in nodes:
            tag = node.tag
            if tag == "-text":
                text = _text_of(node)
                if text == " " and (not inlines or inlines[-1] is _LINE_BREAK):
                    continue  # the HTML's line end after a <br>: trimmed from the line's start anyway
                if text is not None:
                    inlines.append(TextSpan(text, style))
            elif tag == "br":
                inlines.append(_LINE_BREAK)
            else:
                self.convert(builder, node, style, depth)
                inlines = builder.inlines  # a block flushed the paragraph: a new list

    def convert(self, builder: _BlockBuilder, node: LexborNode, style: InlineStyle, depth: int) -> None:
        """One node but text and line breaks (``add_nodes`` takes those) into ``builder``; the
        common cases (img, b/u/…) are tested first."""
        tag = node.tag
        if tag == "img":
            builder.add_inline(self.image(node))
            return
        if tag is None or tag in _SKIPPED_TAGS or tag.startswith("-"):
            return
        if depth > MAX_ELEMENT_DEPTH:
            text = _WHITESPACE.sub(" ", node.text(deep=True) or "")
            builder.add_inline(TextSpan(clean_text(text), style))
            return
        simple_style = _SIMPLE_STYLES.get(tag)
        if simple_style is not None:
            self.fill(builder, node, _styled(style, *simple_style), depth)
            return
        handler = _SPECIAL_BLOCKS.get(tag)
        if handler is not None:
            builder.add_block(handler(self, node, style, depth))
            return
        attributes = node.attributes
        classes = (attributes.get("class") or "").split()
        if tag == "div" and "blockcode" in classes:
            builder.add_block(self.code_block(node))
        elif tag == "div" and ("quote" in classes or "reply_wrap" in classes):
            inner = node.css_first("blockquote") if "quote" in classes else None
            builder.add_block(self.quote(inner or node, style, depth))
        elif tag == "div" and "locked" in classes:
            builder.add_block(_hidden_notice(node))
        elif tag == "div" and "showhide" in classes:
            builder.add_block(self.revealed_hidden(node, style, depth))
        elif tag == "i" and "pstatus" in classes:
            builder.add_block(EditNote(_node_text(node)))
        elif tag == "em" and ("onclick" in attributes or _follows_attachment(node)):
            return  # Discuz!'s "复制代码" (copy code) button, or attachment size already taken
        elif tag == "span" and (attributes.get("id") or "").startswith("attach_"):
            builder.add_block(self.attachment(node))
        elif tag == "form" and (attributes.get("id") == "poll" or node.css_first("div.pcht")):
            builder.add_block(_poll(node))
        elif tag in _HEADINGS:
            builder.flush()
            self.fill(builder, node, _styled(style, "bold", True), depth)
            builder.flush()
        elif tag in _BLOCK_TAGS:
            builder.flush()
            self.fill(builder, node, style, depth)
            builder.flush()
        else:
            self.fill(builder, node, self.inline_style(tag, node, style), depth)

    def code_block(self, node: LexborNode) -> CodeBlock:
        lines = [_verbatim(item.text(deep=True) or "") for item in node.css("li")]
        if not lines:
            text = "".join(
                child.text(deep=True) or "" for child in node.iter(include_text=True) if child.tag != "em"
            )
            lines = _verbatim(text).split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        code = clean_text("\n".join(lines))
        return _code_block(code)

    def preformatted(self, node: LexborNode, style: InlineStyle, depth: int) -> Block:
        code = clean_text(_verbatim(node.text(deep=True) or "").strip("\n"))
        return _code_block(code)

    def quote(self, node: LexborNode, style: InlineStyle, depth: int) -> Quote:
        """A quote: the optional "X 发表于 T" header line (often a findpost link), then the body."""
        children = list(node.iter(include_text=True))
        header_nodes: list[LexborNode] = []
        for child in children:
            if child.tag == "br":
                break
            header_nodes.append(child)
        header = clean_text(_WHITESPACE.sub(" ", "".join(n.text(deep=True) or "" for n in header_nodes)))
        header = header.replace("\xa0", " ").strip()
        match = _QUOTE_HEADER.match(header)
        link = next((a for n in header_nodes for a in _links_in(n) if "findpost" in a), "")
        quote = Quote()
        if match or link:
            quote.header = header
            if match:
                quote.author, quote.time = match["author"].strip(), match["time"].strip()
            quote.post_id, quote.thread_id = _findpost_ids(link)
            quote.url = resolve_url(_decode_amps(link), self.base_url) if link else ""
            body = children[len(header_nodes) + 1 :]
        else:
            body = children
        builder = _BlockBuilder()
        self.add_nodes(builder, body, style, depth + 1)
        quote.blocks = builder.finish()
        return quote

    def revealed_hidden(self, node: LexborNode, style: InlineStyle, depth: int) -> HiddenBlock:
        notice = ""
        body = []
        for child in node.iter(include_text=True):
            if child.tag == "h4" and not notice:
                notice = _node_text(child)
            else:
                body.append(child)
        builder = _BlockBuilder()
        self.add_nodes(builder, body, style, depth + 1)
        return HiddenBlock(notice, builder.finish(), locked=False)

    def list_block(self, node: LexborNode, style: InlineStyle, depth: int) -> ListBlock:
        ordered = node.tag == "ol" or (node.attributes.get("type") or "") in ("1", "a", "A", "i", "I")
        try:
            start = int(node.attributes.get("start") or 1)
        except ValueError:
            start = 1
        items = [
            self.blocks_of(child, style, depth + 1)
            for child in node.iter(include_text=False)
            if child.tag == "li"
        ]
        return ListBlock(items, ordered, start)

    def table(self, node: LexborNode, style: InlineStyle, depth: int) -> TableBlock:
        rows: list[list[list[Block]]] = []
        for row in _table_rows(node):
            cells = [
                self.blocks_of(cell, style, depth + 2)
                for cell in row.iter(include_text=False)
                if cell.tag in ("td", "th")
            ]
            if cells:
                rows.append(cells)
        return TableBlock(rows)

    def rule(self, node: LexborNode, style: InlineStyle, depth: int) -> Rule:
        return Rule()

    def attachment(self, node: LexborNode) -> AttachmentRef:
        """A web attachment: ``<span id="attach_N"><a>name</a></span><em>(size, 下载次数: n)</em>``."""
        link = node.css_first("a")
        name = _node_text(link) if link else _node_text(node)
        url = resolve_url(_decode_amps(link.attributes.get("href") or ""), self.base_url) if link else ""
        meta_node = node.next
        while meta_node is not None and meta_node.tag == "-text" and not (meta_node.text() or "").strip():
            meta_node = meta_node.next
        size, downloads = "", None
        if meta_node is not None and meta_node.tag == "em":
            match = _ATTACHMENT_META.search(_node_text(meta_node))
            if match:
                size = match["size"]
                downloads = int(match["n"]) if match["n"] else None
        return AttachmentRef(name, url, size, downloads)

    # -- inlines -----------------------------------------------------------------------

    def inline_style(self, tag: str, node: LexborNode, style: InlineStyle) -> InlineStyle:
        """The style inside an element that needs its attributes (links, fonts) or a class check."""
        if tag in ("em", "i"):
            return _styled(style, "italic", True)
        if tag == "a":
            href = _decode_amps(node.attributes.get("href") or "")
            return replace(style, link=resolve_url(href, self.base_url))
        if tag in ("font", "span"):
            return _font_style(node, style)
        return style

    def image(self, node: LexborNode) -> Inline:
        attributes = node.attributes
        src = attributes.get("src") or ""
        if is_smiley_image(src, attributes.get("smilieid")):
            smiley = self.smileys.get(src)
            if smiley is None:  # one per image: a post repeats the same few smilies
                text = clean_text(smiley_text(src, self.smilies))
                smiley = self.smileys[src] = Smiley(text, clean_text(src))
            return smiley
        # Lazy-loaded attachment images keep the real file in ``zoomfile``/``file``.
        if not src or posixpath.basename(src) in _PLACEHOLDER_IMAGES:
            src = attributes.get("zoomfile") or attributes.get("file") or src
        alt = clean_text(attributes.get("alt") or attributes.get("title") or "").strip()
        return ImageRef(
            url=resolve_url(src, self.base_url),
            alt=alt,
            filename=clean_text(_file_name(src) or alt),
            attachment_id=clean_text(attributes.get("aid") or attributes.get("attach") or ""),
        )


_SPECIAL_BLOCKS = {
    "ul": _Converter.list_block,
    "ol": _Converter.list_block,
    "table": _Converter.table,
    "hr": _Converter.rule,
    "pre": _Converter.preformatted,
    "blockquote": _Converter.quote,
}


@lru_cache(maxsize=512)
def _styled(style: InlineStyle, flag: str, value: bool) -> InlineStyle:
    """``style`` with one flag changed; cached, as posts repeat the same few combinations."""
    return replace(style, **{flag: value})


def _follows_attachment(node: LexborNode) -> bool:
    previous = node.prev
    while previous is not None and previous.tag == "-text" and not (previous.text() or "").strip():
        previous = previous.prev
    return previous is not None and (previous.attributes.get("id") or "").startswith("attach_")


def _font_style(node: LexborNode, style: InlineStyle) -> InlineStyle:
    """``<font color size>`` (and the colour of ``<span style>``) as an inline style."""
    attributes = node.attributes
    color = attributes.get("color") or ""
    css = attributes.get("style") or ""
    if not color and "color" in css:
        match = re.search(r"(?:^|;)\s*color\s*:\s*([^;]+)", css, re.I)
        color = match.group(1) if match else ""
    color = color.strip()
    if color:
        if color.lower() in ("#999999", "#999", "gray", "grey"):
            style = replace(style, dim=True)
        else:
            style = replace(style, color=_valid_color(color))
    size = (attributes.get("size") or "").strip()
    if size.isdigit():
        style = replace(style, size=min(int(size), 7))
    return style


def _valid_color(color: str) -> str:
    """A colour Rich understands (Discuz! passes author-typed names and #hex through), or ""."""
    from rich.color import Color, ColorParseError  # only posts with colours need Rich's colour table

    candidate = color.lower().replace(" ", "")
    if re.fullmatch(r"[0-9a-f]{6}", candidate):
        candidate = "#" + candidate
    try:
        Color.parse(candidate)
    except ColorParseError:
        return ""
    return candidate


def _hidden_notice(node: LexborNode) -> HiddenBlock:
    """A ``div.locked`` notice. "以下内容…" ("the following needs…") heads content already shown."""
    notice = _node_text(node)
    reply = "回复" in notice or "回覆" in notice or "reply" in notice.lower()
    revealed = notice.startswith(("以下内容", "以下內容"))
    return HiddenBlock(notice=notice, locked=not revealed, reply_to_see=reply and not revealed)


def _poll(node: LexborNode) -> PollBlock:
    summary_node = node.css_first("div.pinf")
    options = [_node_text(label) for label in node.css("label")]
    note_cells = [cell for cell in node.css("td[colspan]") if _node_text(cell)]
    return PollBlock(
        summary=_node_text(summary_node) if summary_node else "",
        options=[option for option in options if option],
        note=_node_text(note_cells[-1]) if note_cells else "",
    )


def _table_rows(table: LexborNode) -> list[LexborNode]:
    """The table's own rows (not those of tables nested in its cells)."""
    rows = []
    for child in table.iter(include_text=False):
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("tbody", "thead", "tfoot"):
            rows.extend(row for row in child.iter(include_text=False) if row.tag == "tr")
    return rows


def _links_in(node: LexborNode) -> list[str]:
    if node.tag == "a":
        return [node.attributes.get("href") or ""]
    if node.tag == "-text":
        return []
    return [anchor.attributes.get("href") or "" for anchor in node.css("a")]


def _decode_amps(url: str) -> str:
    """Undo Discuz!'s double escaping of ``&`` in links (``&amp;amp;`` seen in v4 quotes)."""
    while "&amp;" in url:
        url = url.replace("&amp;", "&")
    return url


def _findpost_ids(href: str) -> tuple[str, str]:
    """(pid, ptid) from a ``forum.php?mod=redirect&goto=findpost&pid=..&ptid=..`` link."""
    if not href:
        return "", ""
    try:
        query = _first_query_values(urlsplit(_decode_amps(href)).query)
    except ValueError:
        return "", ""
    post_id = query.get("pid", "")
    thread_id = query.get("ptid") or query.get("tid", "")
    return clean_text(post_id) if post_id.isdigit() else "", clean_text(
        thread_id
    ) if thread_id.isdigit() else ""


def _first_query_values(query: str) -> dict[str, str]:
    """Each name's first value in a query string, read as ``parse_qs`` reads it (names without
    a value skipped), without building the lists of all values it makes."""
    values: dict[str, str] = {}
    for pair in query.split("&"):
        name, equals, value = pair.partition("=")
        if equals and value:
            values.setdefault(unquote(name.replace("+", " ")), unquote(value.replace("+", " ")))
    return values


def _file_name(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:
        path = url
    return unquote(posixpath.basename(path))


def _node_text(node: LexborNode) -> str:
    return clean_text(_WHITESPACE.sub(" ", (node.text(deep=True) or "").replace("\xa0", " "))).strip()


def _text_of(node: LexborNode) -> str | None:
    """A text node's text as a reader sees it: runs of whitespace as one space, and clean;
    ``None`` when it has none (text made empty by cleaning still separates its neighbours)."""
    text = node.text_content or ""
    if not text.isprintable() or "  " in text:  # whitespace to collapse (or something to clean)
        # Most such text only holds single newlines (the HTML's own line ends): as spaces,
        # that is the whole collapse; runs, tabs and the rest take the regular expression.
        collapsed = text.replace("\n", " ")
        text = collapsed if collapsed.isprintable() and "  " not in collapsed else _WHITESPACE.sub(" ", text)
    if not text:
        return None
    if "&" in text:
        text = _undo_double_escape(text)
    return text if text.isprintable() else clean_text(text.replace("\xa0", " "))


def _undo_double_escape(text: str) -> str:
    """Decode HTML-special entities left over after parsing (v4 escapes text twice: ``&amp;quot;``).

    Only the five characters HTML escaping produces; code is left alone, being verbatim.
    """
    return _LEFTOVER_ENTITY.sub(lambda match: _LEFTOVER_ENTITIES[match[1].lower()], text)


def _verbatim(text: str) -> str:
    """Code text as written: non-breaking spaces (how Discuz! keeps indentation) become spaces."""
    return text.replace("\xa0", " ").replace("\r\n", "\n")
