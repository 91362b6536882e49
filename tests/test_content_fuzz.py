"""Hostile and broken input never crashes the converter nor reaches the terminal raw.

``FORUM_TUI_FUZZ_EXAMPLES`` sets how many examples each test tries (300 by default; CI
runs 10000).
"""

from __future__ import annotations

import io
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console, JustifyMethod, OverflowMethod
from rich.style import Style
from rich.text import Text

from tests.content_helpers import rendered
from tui.content import clean_text, html_to_markdown, html_to_text, parse_post_html, render_document
from tui.content.wrap import WrappingText

EXAMPLES = int(os.environ.get("FORUM_TUI_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Anything a terminal could act on: C0 but tab/newline, DEL, C1, bidi controls, line separators.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# What Rich itself may emit on a colour terminal: SGR and OSC 8 hyperlinks with a clean URL.
RICH_OWN_ESCAPES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x00-\x1f\x7f-\x9f]*?\x1b\\")

NASTY = [
    "\x1b[31m",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x1b]8;;http://evil/\x1b\\",
    "\x1b]52;c;Y2xpcA==\x07",
    "\x1bP+q\x1b\\",
    "\x1b_apc\x1b\\",
    "\x1b^pm\x1b\\",
    "\x1bX sos",
    "\x1b",
    "\x1b[",
    "\x9b31m",
    "\x9d0;t\x9c",
    "\x90dcs",
    "\x85",
    "\x07",
    "\x08",
    "\x00",
    "\r",
    "\r\n",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u2028",
    "&#27;[31m",
    "&#x1b;",
    "&#155;",
    "&#x9b;",
    "&#0;",
    "&nbsp;",
    "&amp;",
    "&amp;amp;",
    "&lt;b&gt;",
    "&quot;",
    "&#xD800;",
    "&bogus;",
    "&",
    "<",
    ">",
    "你好，世界。",
    "１２３ＡＢＣ",
    "😆",
    "\ufffd",
    "[bold]x[/bold]",
    "[link=http://evil]y[/link]",
    ":smile:",
    "\t",
    "\n",
    " ",
    "\xa0",
]
TAGS = [
    "div",
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "strike",
    "font",
    "a",
    "img",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "th",
    "code",
    "pre",
    "hr",
    "span",
    "script",
    "h1",
    "ignore_js_op",
    "form",
    "label",
    "h4",
    "tbody",
    "x-unknown",
]
CLASSES = [
    "quote",
    "reply_wrap",
    "blockcode",
    "locked",
    "showhide",
    "pstatus",
    "dzcode_td",
    "img",
    "pcht",
    "xg1",
]
ATTRIBUTE_VALUES = [
    "javascript:alert(1)",
    "http://a.b/\x1b[31m",
    "forum.php?mod=redirect&amp;amp;goto=findpost&amp;amp;pid=5&amp;amp;ptid=1",
    "static/image/smiley/default/lol.gif",
    "static/image/common/none.gif",
    "data/attachment/forum/a b.jpg",
    "Red",
    "#ff0000",
    "7",
    "1",
    "attach_3",
    "poll",
    "http://[::1",
    "//evil",
    "mailto:a@b",
    "\u202e",
    "",
]

ATTRIBUTES = ["class", "href", "src", "color", "size", "id", "smilieid", "zoomfile", "alt", "style", "type"]
# Building a tree with st.recursive costs hypothesis ~10 ms an example; a flat soup of ready
# tag strings costs a tenth of that and nests just as deep, because the HTML parser nests
# whatever is left unclosed.
TAG_TOKENS = sorted(
    {f"<{tag}>" for tag in TAGS}
    | {f"</{tag}>" for tag in TAGS}
    | {f"</{tag}" for tag in TAGS}
    | {f'<{tag} class="{name}">' for tag in ("div", "i", "em", "span", "table", "td") for name in CLASSES}
    | {
        f"<{tag} {name}={quote}{value}{quote}>"
        for tag in ("a", "img", "font", "span", "ul", "form")
        for name in ATTRIBUTES
        for value in ATTRIBUTE_VALUES
        for quote in ('"', "'")
    }
)

text_piece = st.one_of(st.sampled_from(NASTY), st.text(max_size=8))
html_ish = st.lists(st.one_of(st.sampled_from(TAG_TOKENS), text_piece), max_size=40).map("".join)


def _assert_safe(output: str) -> None:
    assert not UNSAFE.search(output), repr(output)


@FUZZ
@given(html_ish)
def test_html_ish_input_converts_to_safe_text_markdown_and_terminal_output(html: str) -> None:
    _assert_safe(html_to_text(html, "http://127.0.0.1:8080/"))
    _assert_safe(html_to_markdown(html))
    console = Console(
        file=io.StringIO(), width=60, force_terminal=True, color_system="truecolor", record=True
    )
    console.print(render_document(parse_post_html(html, "http://127.0.0.1:8080/")))
    _assert_safe(console.export_text())  # what a colourless terminal or a file would get
    _assert_safe(RICH_OWN_ESCAPES.sub("", console.file.getvalue()))  # only Rich's own escapes


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_decoded_with_replacement_never_break_anything(raw: bytes) -> None:
    html = raw.decode("utf-8", errors="replace")
    _assert_safe(html_to_text(html))
    _assert_safe(rendered(render_document(parse_post_html(html)), 40))


@FUZZ
@given(st.lists(text_piece, max_size=10).map("".join))
def test_clean_text_leaves_nothing_a_terminal_would_act_on(text: str) -> None:
    cleaned = clean_text(text)
    _assert_safe(cleaned)
    assert clean_text(cleaned) == cleaned
    if not UNSAFE.search(text):
        assert cleaned == text  # safe text passes through untouched


def test_clean_text_removes_whole_sequences_not_just_the_escape_byte() -> None:
    assert clean_text("a\x1b[31mred\x1b[0m b") == "ared b"
    assert clean_text("x\x1b]0;title\x07y\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\") == "xylink"
    assert clean_text("tab\tnew\nline\r\nend\rover") == "tab\tnew\nline\nend\nover"
    assert clean_text("\u202eevil\u202c txt\x9b2J") == "evil txt"
    assert clean_text("你好，世界！😆") == "你好，世界！😆"


_RUN_TEXT = st.text(alphabet=st.sampled_from(list("ab cd,。终于可以「」（）\n  wide字x")), max_size=60)
_RUN_STYLE = st.sampled_from(["", "bold", "italic", "red", "link https://example.com/"])


@FUZZ
@given(runs=st.lists(st.tuples(_RUN_TEXT, _RUN_STYLE), max_size=12), width=st.integers(2, 30))
def test_wrapping_a_whole_paragraph_at_once_matches_wrapping_it_line_by_line(
    runs: list[tuple[str, str]], width: int
) -> None:
    """The one-pass wrap (what long posts are laid out with) cuts the rows and keeps each style
    exactly where wrapping each line on its own does."""
    text = WrappingText()
    for piece, style in runs:
        text.append(piece, Style.parse(style) if style else None)
    console = Console(file=io.StringIO(), width=80)
    one_pass = text.wrap(console, width)
    by_line = text._wrap_line_by_line(console, width, "default", "fold", 8)
    assert [(row.plain, row.spans) for row in one_pass] == [(row.plain, row.spans) for row in by_line]


@FUZZ
@given(
    runs=st.lists(
        st.tuples(_RUN_TEXT | st.sampled_from(["\u3000\u3000", "❤\ufe0f", "\xa0 "]), _RUN_STYLE), max_size=12
    ),
    overlay=st.none() | st.tuples(st.integers(0, 80), st.integers(0, 80) | st.just(10_000), _RUN_STYLE),
    width=st.integers(1, 30),
    base=st.sampled_from(["", "dim", Style(bold=True)]),
    end=st.sampled_from(["\n", ""]),
    justify=st.sampled_from([None, "left"]),
    no_wrap=st.booleans(),
    overflow=st.sampled_from([None, "ellipsis", "crop"]),
)
def test_drawing_wrapped_text_gives_the_segments_rich_text_gives(
    runs: list[tuple[str, str]],
    overlay: tuple[int, int, str] | None,
    width: int,
    base: str | Style,
    end: str,
    justify: JustifyMethod | None,
    no_wrap: bool,
    overflow: OverflowMethod | None,
) -> None:
    """Paragraphs, code and table cells are drawn without Rich's per-row texts; what reaches
    the screen is the same: the same rows, cut into the same segments with the same styles."""
    text = WrappingText(style=base, end=end, no_wrap=no_wrap, overflow=overflow)
    for piece, style in runs:
        text.append(piece, Style.parse(style) if style else None)
    if overlay is not None:  # a span across the others (to the end: as Syntax's background)
        text.stylize(overlay[2] or "underline", overlay[0], overlay[1])
    console = Console(file=io.StringIO(), width=width)
    options = console.options.update(width=width, justify=justify)
    drawn = [(segment.text, segment.style) for segment in text.__rich_console__(console, options)]
    by_rich = [(segment.text, segment.style) for segment in Text.__rich_console__(text, console, options)]
    assert drawn == by_rich
