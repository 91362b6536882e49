"""How posts look in the terminal: CJK layout, links, code, images, quotes, safety."""

from __future__ import annotations

import gc
import io
import re
import subprocess
import sys

from rich.cells import cell_len
from rich.console import Console, JustifyMethod, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from tests.conftest import ROOT
from tests.content_helpers import SITE, capture_messages, rendered
from tui.content import document_to_text, parse_post_html, render_document

_SGR = re.compile(r"\x1b\[[0-9;]*m")


def _lines(html: str, width: int = 80, *, images: bool = True) -> list[str]:
    output = rendered(render_document(parse_post_html(html, SITE), images=images), width)
    return [line.rstrip() for line in output.rstrip("\n").split("\n")]


def test_cjk_text_fills_lines_measured_in_cells() -> None:
    html = "整理了一份 Python 学习资料，回复本帖即可查看下载地址。终于可以在 f-string 里随便用引号了！" * 3
    lines = _lines(html, 24)
    assert all(cell_len(line) <= 24 for line in lines)
    # Breaking between CJK characters fills lines instead of leaving them half empty.
    assert sum(cell_len(line) >= 20 for line in lines) >= len(lines) - 2
    assert "".join(lines).replace(" ", "") == html.replace(" ", "")


def test_full_width_punctuation_is_kept_and_never_starts_a_line() -> None:
    html = "你好，世界。这是一个测试！「引号」（括号）还有更多的文字，以及标点。" * 4
    for width in range(10, 30):
        lines = _lines(html, width)
        assert not any(line[:1] in "，。！」）、" for line in lines), width
        assert not any(line.endswith(("「", "（")) for line in lines), width
    assert "，" in "".join(_lines(html, 20)) and "。" in "".join(_lines(html, 20))


def test_latin_words_are_not_broken() -> None:
    html = "Concurrency is not parallelism, said Rob Pike in a famous talk about Go."
    words = set(html.split())
    for width in range(14, 40):
        assert set(" ".join(_lines(html, width)).split()) == words, width


def test_links_are_osc8_hyperlinks() -> None:
    html = capture_messages("v4_viewthread_tid2_welcome.json")["2"]
    output = rendered(render_document(parse_post_html(html, SITE)), terminal=True)
    assert re.search(r"\x1b]8;[^;]*;https://www\.discuz\.vip/\x1b\\", output)
    assert re.search(r"\x1b]8;[^;]*;http://127\.0\.0\.1:8080/forum\.php\x1b\\", output)


def test_code_is_cropped_with_a_mark_never_wrapped() -> None:
    html = capture_messages("v1_viewthread_tid5.json")["5"]
    lines = _lines(html, 40)
    code_line = next(line for line in lines if "sys.version_info(major" in line)
    assert code_line.endswith("… │")
    assert not any(line.startswith("│ =3, minor") or "releaselevel" in line for line in lines)
    assert "│     def push(self, item: T) -> None: ... │" in _lines(html, 44)


def test_code_is_highlighted_only_when_the_language_is_evident() -> None:
    html = capture_messages("v1_viewthread_tid5.json")["5"]
    lines = _lines(html, 80)
    titles = [line for line in lines if line.startswith("┌")]
    assert [re.sub(r"[┌─┐ ]", "", title) for title in titles] == ["pycon", "", "python"]
    colored = rendered(render_document(parse_post_html(html, SITE)), terminal=True).split("\n")
    inside_borders = {_SGR.sub("", line): line.split("│")[1] for line in colored if line.count("│") >= 2}
    python_line = next(raw for plain, raw in inside_borders.items() if "def max[T]" in plain)
    plain_line = next(raw for plain, raw in inside_borders.items() if "songs = [" in plain)
    coloured_token = re.compile(r"\x1b\[(?!0m)[0-9;]+m[^\s\x1b]")
    assert coloured_token.search(python_line) and not coloured_token.search(plain_line)


HIGHLIGHTER_PROBE = """
import io, sys
from rich.console import Console
from tui.content import parse_post_html, render_document

def draw_and_tell(html):
    Console(file=io.StringIO(), width=80).print(render_document(parse_post_html(html, "http://x/")))
    print(any(name.split(".")[0] == "pygments" or name == "rich.syntax" for name in sys.modules))

draw_and_tell("plain words, a <b>bold</b> one")
draw_and_tell(sys.stdin.read())
"""


def test_the_highlighter_loads_with_the_first_code_block_drawn() -> None:
    """Reading posts without code costs no memory for Pygments and its lexers' tables."""
    with_code = capture_messages("v1_viewthread_tid5.json")["5"]
    result = subprocess.run(
        [sys.executable, "-c", HIGHLIGHTER_PROBE],
        input=with_code, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_image_placeholder_links_the_file_unless_saving_data() -> None:
    html = capture_messages("v4_viewthread_tid29_user1.json")["29"]
    doc = parse_post_html(html, SITE)
    url = doc.images[0].url
    with_images = rendered(render_document(doc), terminal=True)
    saver = rendered(render_document(doc, images=False), terminal=True)
    assert "[image: 185346ta33gwe3djnkadx3.png]" in with_images and url in with_images
    assert "[image: 185346ta33gwe3djnkadx3.png]" in saver and url not in saver
    assert "\x1b]8;" not in saver


def test_quotes_have_a_left_bar_and_their_header() -> None:
    lines = _lines(capture_messages("v4_viewthread_tid5_code.json")["203"], 60)
    assert lines[:2] == ["▌ user1 发表于 2026-11-28 18:53", "▌ 整理了一下 Python 3.12 的主要变化，欢迎补充："]
    assert lines[-1] == "同意！PEP 695 的语法比 TypeVar 简洁多了。"


def test_deep_quotes_are_capped_in_width() -> None:
    html = "".join('<div class="quote"><blockquote>level<br />' for _ in range(300)) + "core"
    lines = _lines(html, 40)
    assert max(line.count("▌") for line in lines) <= 5
    assert any("deeper quotes not shown" in line for line in lines)


def test_table_columns_align_with_cjk() -> None:
    lines = _lines(capture_messages("v4_viewthread_tid13_table.json")["13"], 60)
    rows = [line for line in lines if line.startswith("│")]
    bar_columns = {tuple(cell_len(row[: m.start()]) for m in re.finditer("│", row)) for row in rows}
    assert len(rows) == 3 and len(bar_columns) == 1
    assert "│ 上手难度 │ 低    │ 中       │" in rows


def test_a_table_draws_what_a_rich_table_draws() -> None:
    """Tables draw their cells straight into lines; the result is Rich's own table, to the
    segment: ragged rows, empty and multi-line cells, CJK, a quote and a list in a cell,
    cramped widths where columns shrink and wrap, and a table cell's justification."""
    html = (
        "<table><tr><td><b>对比项</b></td><td>Vue 3</td><td>React, a longer cell that wraps</td></tr>"
        "<tr><td>上手难度上手难度上手难度</td><td></td></tr>"
        '<tr><td><div class="quote"><blockquote>quoted 引用<br />two</blockquote></div></td>'
        "<td><ul><li>one</li><li>two 二</li></ul></td><td>a<br />b<br /><br />c</td></tr>"
        "<tr><td><a href='/x'>link</a> tail</td><td>z</td><td>&nbsp;</td></tr></table>"
    )
    table = render_document(parse_post_html(html, SITE)).renderables[0]
    rich_table = Table(box=table.box, show_header=False, show_lines=True, border_style=table.border_style)
    for column in table.columns:
        rich_table.add_column(overflow=column.overflow)
    for row in zip(*(column.cells for column in table.columns), strict=True):
        rich_table.add_row(*row)
    for width in (3, 9, 14, 23, 40, 80):
        for justify in (None, "left"):
            assert _segments(table, width, justify) == _segments(rich_table, width, justify)


def test_a_table_styled_or_aligned_apart_measures_and_draws_what_a_rich_table_does() -> None:
    """Row and column styles, a middle-aligned column or no box do not change what a column
    measures, so columns are measured the quick way; they are drawn Rich's own way."""
    html = (
        "<table><tr><td>对比项</td><td>React, a longer cell that wraps</td></tr>"
        "<tr><td>z</td><td></td></tr></table>"
    )
    drawn = render_document(parse_post_html(html, SITE)).renderables[0]
    cells = drawn.columns
    for looks in ({"box": None}, {"row_styles": ["bold", ""]}, {"style": "red"}):
        tables = [kind(show_header=False, show_lines=True, **looks) for kind in (type(drawn), Table)]
        for table in tables:
            table.add_column(overflow="fold", vertical="middle", style="italic")
            table.add_column(overflow="fold")
            for row in zip(*(column.cells for column in cells), strict=True):
                table.add_row(*row)
        for width in (5, 14, 40):
            console = Console(file=io.StringIO(), width=width)
            assert Measurement.get(console, console.options, tables[0]) == Measurement.get(
                console, console.options, tables[1]
            )
            assert _segments(tables[0], width, None) == _segments(tables[1], width, None)


def _segments(renderable: RenderableType, width: int, justify: JustifyMethod | None) -> list[Segment]:
    console = Console(file=io.StringIO(), width=width, color_system="truecolor", force_terminal=True)
    return list(console.render(renderable, console.options.update(justify=justify)))


def test_a_long_post_is_read_and_laid_out_without_the_cycle_collector_walking_the_heap() -> None:
    """A post's objects make no reference cycles: collections while it is parsed, laid out or
    written as text would only walk the app's heap, so each step pauses the collector (which
    then looks once at what the step kept). It runs again afterwards, and stays paused when
    start-up has paused it."""
    html = (
        '<p>打卡 check-in <b>bold</b> <a href="/t">link</a></p>'
        '<div class="quote"><blockquote>q</blockquote></div>'
    )
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    console = Console(file=io.StringIO(), width=80)
    was_enabled = gc.isenabled()
    gc.enable()
    gc.callbacks.append(count)
    try:
        doc = parse_post_html(html * 3000, SITE)
        drawn = list(render_document(doc).__rich_console__(console, console.options))
        text = document_to_text(doc)
        assert len(collections) <= 3 and gc.isenabled()
        gc.disable()
        parse_post_html(html, SITE)
        assert not gc.isenabled()
    finally:
        gc.callbacks.remove(count)
        if was_enabled:
            gc.enable()
    assert len(drawn) > 3000 and text.count("打卡 check-in bold link") == 3000


def test_rich_markup_in_content_stays_literal() -> None:
    html = "[bold red]not bold[/bold red] [link=http://evil]x[/link] :smile:"
    output = rendered(render_document(parse_post_html(html)), terminal=True)
    assert "[bold red]not bold[/bold red] [link=http://evil]x[/link] :smile:" in output
    assert "evil\x1b" not in output and "\x1b[1" not in output


def test_a_post_drawn_again_is_laid_out_anew_for_another_width() -> None:
    """A post keeps its last drawing for the next draw, but only at the same width."""
    html = "终于可以在这里随便用引号了，" * 12 + '<div class="quote"><blockquote>quoted words ' * 2
    doc = parse_post_html(html, SITE)
    post = render_document(doc)
    console = Console(file=io.StringIO(), width=100, color_system=None)

    def drawn(width: int) -> str:
        console.file = io.StringIO()
        console.print(post, width=width)
        return console.file.getvalue()

    assert [drawn(80), drawn(40), drawn(40), drawn(80)] == [
        rendered(render_document(doc), width) for width in (80, 40, 40, 80)
    ]


def test_a_code_box_draws_what_a_rich_panel_draws() -> None:
    """Code boxes draw their frame once per width and their text the fast way; the result is
    Rich's panel around Rich's own highlighted text, to the cell, in a table cell too."""
    html = (
        '<div class="blockcode"><ol><li>def greet(name: str) -&gt; str:</li>'
        "<li>    return f'你好，{name}' + 'x' * 120</li><li></li><li>print(greet('世界'))</li></ol></div>"
        '<div class="blockcode"><ol><li>plain text, no language</li></ol></div>'
    )
    for box in render_document(parse_post_html(html, SITE)).renderables:
        if box.language:
            code = Syntax(box.text.plain, box.language, theme="ansi_dark", background_color="default")
            rich_text = code.highlight(box.text.plain)
            rich_text.rstrip()
        else:
            rich_text = Text(box.text.plain)
        rich_text.no_wrap, rich_text.overflow = True, "ellipsis"
        for width in (8, 23, 60, 100):
            for justify in (None, "left"):  # a table cell's
                assert _drawn(box, width, justify) == _drawn(box.panel(rich_text), width, justify)


def _drawn(renderable: RenderableType, width: int, justify: JustifyMethod | None) -> str:
    console = Console(file=io.StringIO(), width=width, color_system="truecolor", force_terminal=True)
    console.print(renderable, justify=justify)
    return console.file.getvalue()


def test_paragraphs_indented_with_ideographic_spaces_lose_nothing_when_wrapped() -> None:
    """Chinese paragraphs often start with two full-width spaces; each takes two cells."""
    text = "一二三四五六七八九十" * 3
    lines = _lines(f"\u3000\u3000{text}<br />\u3000\u3000{text}", 12)
    assert "".join(lines).replace("\u3000", "") == text * 2
    assert max(map(cell_len, lines)) <= 12
