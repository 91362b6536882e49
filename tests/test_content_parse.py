"""What a reader gets from real Discuz! post bodies: structure, quotes, code, tables, hide."""

from __future__ import annotations

import json
import re

from rich.cells import cell_len
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import load_capture
from tests.content_helpers import SITE, capture_messages
from tui.content import (
    AttachmentRef,
    CodeBlock,
    Document,
    EditNote,
    HiddenBlock,
    ListBlock,
    Paragraph,
    PollBlock,
    Smiley,
    TableBlock,
    TextSpan,
    document_to_text,
    html_to_markdown,
    html_to_text,
    parse_post_html,
    with_attachments,
)


def _cell_texts(table: TableBlock) -> list[list[str]]:
    return [[document_to_text(Document(cell)) for cell in row] for row in table.rows]


def _inlines(doc: Document) -> list:
    return [inline for block in doc.blocks if isinstance(block, Paragraph) for inline in block.inlines]


def test_v1_code_blocks_are_kept_verbatim_with_indentation() -> None:
    doc = parse_post_html(capture_messages("v1_viewthread_tid5.json")["5"], SITE)
    codes = [block for block in doc.blocks if isinstance(block, CodeBlock)]
    assert [code.text.split("\n")[0] for code in codes] == [
        ">>> import sys",
        'songs = ["Take me back to Eden", "Alkaline", "Ascensionism"]',
        "def max[T](args: list[T]) -> T:",
    ]
    assert codes[2].text == (
        "def max[T](args: list[T]) -> T:\n    ...\n\n"
        "class Stack[T]:\n    def push(self, item: T) -> None: ..."
    )
    assert codes[2].language == "python"
    text = html_to_text(capture_messages("v1_viewthread_tid5.json")["5"], SITE)
    assert "class Stack[T]:\n    def push(self, item: T) -> None: ..." in text
    assert "复制代码" not in text  # the web "copy code" button is not content


def test_v4_drops_code_blocks_and_nothing_is_invented() -> None:
    doc = parse_post_html(capture_messages("v4_viewthread_tid5_code.json")["5"], SITE)
    assert not [block for block in doc.blocks if isinstance(block, CodeBlock)]
    assert "1. 更好的错误提示" in document_to_text(doc)


def test_quote_with_author_header_but_no_link() -> None:
    doc = parse_post_html(capture_messages("v4_viewthread_tid6_quotes.json")["206"], SITE)
    (quote,) = doc.quotes
    assert (quote.author, quote.time, quote.post_id) == ("user1", "刚刚", "")
    assert document_to_text(doc) == (
        "> user1 发表于 刚刚\n> IO 密集用 asyncio，CPU 密集用 multiprocessing……\n\n学到了，谢谢！"
    )


def test_manual_quote_without_header_keeps_its_text() -> None:
    doc = parse_post_html(capture_messages("v4_viewthread_tid6_quotes.json")["6"], SITE)
    (quote,) = doc.quotes
    assert quote.header == ""
    assert "> Concurrency is not parallelism. — Rob Pike" in document_to_text(doc)


def test_quoted_post_and_thread_ids_from_findpost_links() -> None:
    cases = [
        ("v4_viewthread_tid1_p3_user1.json", "54", ("53", "1", "小明同学")),  # &amp;amp; in v4
        ("v4_viewthread_tid7_english.json", "204", ("165", "7", "user1")),
        ("v1_viewthread_tid5.json", "203", ("5", "5", "user1")),  # &amp; in v1
    ]
    for capture, pid, (quoted_pid, quoted_tid, author) in cases:
        (quote,) = parse_post_html(capture_messages(capture)[pid], SITE).quotes
        assert (quote.post_id, quote.thread_id, quote.author) == (quoted_pid, quoted_tid, author)
        assert quote.url == (f"{SITE}forum.php?mod=redirect&goto=findpost&pid={quoted_pid}&ptid={quoted_tid}")


def test_nested_quotes_keep_each_header_and_post_id() -> None:
    inner = (
        '<div class="quote"><blockquote><a href="forum.php?mod=redirect&amp;goto=findpost&amp;pid=7&amp;'
        'ptid=3"><font color="#999999">小明 发表于 2026-11-27 10:00</font></a><br />第一层</blockquote></div>'
    )
    outer = (
        '<div class="quote"><blockquote><font size="2"><a href="forum.php?mod=redirect&amp;goto=findpost&amp;'
        f'pid=9&amp;ptid=3"><font color="#999999">user2 发表于 2026-11-28 09:00</font></a></font><br />'
        f"{inner}第二层</blockquote></div><br />回复正文"
    )
    doc = parse_post_html(outer, SITE)
    assert [(q.author, q.post_id, q.thread_id) for q in doc.quotes] == [
        ("user2", "9", "3"),
        ("小明", "7", "3"),
    ]
    assert document_to_text(doc) == (
        "> user2 发表于 2026-11-28 09:00\n"
        "> > 小明 发表于 2026-11-27 10:00\n> > 第一层\n>\n> 第二层\n\n回复正文"
    )


def test_table_cells_line_up_in_rows() -> None:
    doc = parse_post_html(capture_messages("v4_viewthread_tid13_table.json")["13"], SITE)
    (table,) = [block for block in doc.blocks if isinstance(block, TableBlock)]
    assert _cell_texts(table) == [
        ["对比项", "Vue 3", "React"],
        ["上手难度", "低", "中"],
        ["生态", "丰富", "非常丰富"],
    ]
    lines = document_to_text(doc).split("\n")
    table_lines = [line for line in lines if " | " in line]
    # Column separators fall at the same terminal column in every row, CJK counting double.
    positions = {
        tuple(cell_len(line[: m.start()]) for m in re.finditer(r" \| ", line)) for line in table_lines
    }
    assert len(table_lines) == 3 and len(positions) == 1


def test_hide_as_guest_says_reply_to_see() -> None:
    doc = parse_post_html(capture_messages("v4_viewthread_tid25_hide_guest.json")["25"], SITE)
    hidden = [block for block in doc.blocks if isinstance(block, HiddenBlock)]
    assert [(h.locked, h.reply_to_see) for h in hidden] == [(True, True), (True, False)]
    text = document_to_text(doc)
    assert "[hidden content — reply to see]" in text
    assert "replyreload" not in text  # the inline script is not content


def test_hide_revealed_to_a_user_who_replied() -> None:
    text = html_to_text(capture_messages("v4_viewthread_tid25_hide_user2_replied.json")["25"], SITE)
    assert "下载地址：http://127.0.0.1:8080/data/download/python-notes.zip" in text
    assert "提取码：dz35" in text
    assert "reply to see" not in text


def test_credit_hide_that_is_shown_is_not_called_locked() -> None:
    doc = parse_post_html(capture_messages("v4_viewthread_tid25_hide_user1_not_replied.json")["25"], SITE)
    hidden = [block for block in doc.blocks if isinstance(block, HiddenBlock)]
    assert [(h.locked, h.reply_to_see) for h in hidden] == [(True, True), (False, False)]


def test_v1_image_post_shows_smiley_as_text_and_no_broken_image() -> None:
    # The guest capture of tid 28 carries no inline image (the [attachimg] needs a login);
    # what is there must read cleanly: the smiley as text, no image link at all.
    doc = parse_post_html(capture_messages("v1_viewthread_tid28_image.json")["28"], SITE)
    assert doc.images == []
    assert (
        document_to_text(doc) == "周末在西湖边拍的日落，手机直出，没有后期 🙂\n\nShot on a phone, no editing."
    )


def test_inline_image_placeholder_names_the_file() -> None:
    doc = parse_post_html(capture_messages("v4_viewthread_tid29_user1.json")["29"], SITE)
    (image,) = doc.images
    assert image.filename == "185346ta33gwe3djnkadx3.png"
    assert image.url == f"{SITE}data/attachment/forum/202611/28/185346ta33gwe3djnkadx3.png"
    assert f"[image: 185346ta33gwe3djnkadx3.png] <{image.url}>" in document_to_text(doc)


def test_web_attachment_image_uses_the_real_file_not_the_lazy_placeholder() -> None:
    html = (
        '<ignore_js_op><img id="aimg_1" aid="1" src="static/image/common/none.gif" '
        'zoomfile="data/attachment/forum/202611/28/sunset.jpg" '
        'file="data/attachment/forum/202611/28/sunset.jpg" '
        'class="zoom" alt="west-lake.jpg" title="west-lake.jpg" /></ignore_js_op>'
    )
    (image,) = parse_post_html(html, SITE).images
    assert (image.filename, image.alt, image.attachment_id) == ("sunset.jpg", "west-lake.jpg", "1")
    assert image.url == f"{SITE}data/attachment/forum/202611/28/sunset.jpg"


def test_attachment_line_has_name_size_and_downloads() -> None:
    html = (
        '<span style="white-space: nowrap" id="attach_3">'
        '<img src="static/image/filetype/zip.gif" class="vm" />'
        ' <a href="forum.php?mod=attachment&amp;aid=M3w0OWIz" target="_blank">client-notes.zip</a></span>'
        '<em class="xg1">(229 Bytes, 下载次数: 4)</em>'
    )
    doc = parse_post_html(html, SITE)
    assert doc.attachments == [
        AttachmentRef("client-notes.zip", f"{SITE}forum.php?mod=attachment&aid=M3w0OWIz", "229 Bytes", 4)
    ]
    assert document_to_text(doc).startswith("[attachment: client-notes.zip, 229 Bytes, 4 downloads]")


def test_smilies_in_every_capture_become_text() -> None:
    seen = 0
    for capture in (
        "v2_viewthread_tid1_p2.json",
        "v4_viewthread_tid1_p1.json",
        "v4_viewthread_tid2_welcome.json",
    ):
        for html in capture_messages(capture).values():
            doc = parse_post_html(html, SITE)
            text = document_to_text(doc)
            assert "smiley" not in text and ".gif" not in text and "[image" not in text
            seen += sum(isinstance(inline, Smiley) for inline in _inlines(doc))
    assert seen >= 10
    assert html_to_text('我 <img src="static/image/smiley/default/lol.gif" smilieid="12" />') == "我 😆"
    assert html_to_text('<img src="http://x/static/image/smiley/coolmonkey/01.gif" />') == ":coolmonkey-01:"


def test_site_smiley_table_wins_over_the_builtin_one() -> None:
    html = (
        '<img src="http://x/static/image/smiley/default/lol.gif" />'
        '<img src="http://x/static/image/smiley/qq/q1.gif" />'
    )
    doc = parse_post_html(
        html, smilies={"static/image/smiley/qq/q1.gif": "(wave)", "static/image/smiley/default/lol.gif": "XD"}
    )
    assert document_to_text(doc) == "XD(wave)"


def test_lists_ordered_and_not() -> None:
    welcome = parse_post_html(capture_messages("v4_viewthread_tid2_welcome.json")["2"], SITE)
    checkin = parse_post_html(capture_messages("v4_viewthread_tid1_p1.json")["1"], SITE)
    (ordered,) = [b for b in welcome.blocks if isinstance(b, ListBlock)]
    (bullets,) = [b for b in checkin.blocks if isinstance(b, ListBlock)]
    assert (ordered.ordered, len(ordered.items), bullets.ordered, len(bullets.items)) == (True, 4, False, 3)
    assert "1. 禁止发布广告与违法内容 / No spam or illegal content\n2. 提问前请先搜索" in document_to_text(
        welcome
    )
    assert "- 每天一帖\n- 文明发言 / Be nice" in document_to_text(checkin)


def test_edit_note_rule_preformatted_and_inline_code() -> None:
    html = (
        '<i class="pstatus"> 本帖最后由 admin 于 2026-11-28 18:53 编辑 </i><br />\n<br />'
        "Use <code>pip&nbsp;install</code> first<hr /><pre>  a = 1\n    b = 2</pre>"
    )
    doc = parse_post_html(html)
    assert (
        isinstance(doc.blocks[0], EditNote)
        and doc.blocks[0].text == "本帖最后由 admin 于 2026-11-28 18:53 编辑"
    )
    assert html_to_text(html) == (
        "(本帖最后由 admin 于 2026-11-28 18:53 编辑)\n\nUse pip install first\n\n"
        + "─" * 20
        + "\n\n```\n  a = 1\n    b = 2\n```"
    )
    assert "Use `pip install` first" in html_to_markdown(html)


def test_web_poll_form_lists_options() -> None:
    _, body = load_capture("web/viewthread_tid27_poll_guest.html")
    form = LexborHTMLParser(body.decode()).css_first("form#poll")
    (poll,) = [b for b in parse_post_html(form.html, SITE).blocks if isinstance(b, PollBlock)]
    assert poll.summary == "单选投票, 共有 5 人参与投票"
    assert poll.options[0] == "1. Python 3.8 或更早" and len(poll.options) == 5
    assert poll.note == "您所在的用户组没有投票权限"


def test_relative_links_become_absolute_and_unsafe_ones_are_not_links() -> None:
    html = '<a href="forum.php?mod=viewthread&amp;tid=1">here</a> <a href="javascript:alert(1)">evil</a> <a href="http://a/\x1b[31m">esc</a>'
    doc = parse_post_html(html, SITE)
    links = [inline.style.link for inline in _inlines(doc) if isinstance(inline, TextSpan)]
    assert f"{SITE}forum.php?mod=viewthread&tid=1" in links
    assert all("javascript" not in link and "\x1b" not in link for link in links)
    assert html_to_text(html, SITE) == f"here <{SITE}forum.php?mod=viewthread&tid=1> evil esc"


def test_entities_are_decoded_once_and_v4_double_escapes_undone() -> None:
    assert html_to_text("a&nbsp;&amp;&nbsp;b &lt;tag&gt; &#20320;") == "a & b <tag> 你"
    text = html_to_text(capture_messages("v4_viewthread_tid7_english.json")["7"])
    assert 'I get strings like "\\u4f60\\u597d" from an API.' in text


def test_markdown_has_fences_quotes_tables_links_and_escapes() -> None:
    code = html_to_markdown(capture_messages("v1_viewthread_tid5.json")["5"], SITE)
    assert "```python\ndef max[T](args: list[T]) -> T:" in code
    assert "[What's New In Python 3.12](<https://docs.python.org/3/whatsnew/3.12.html>)" in code
    table = html_to_markdown(capture_messages("v4_viewthread_tid13_table.json")["13"], SITE)
    assert "| **对比项** | **Vue 3** | **React** |\n| ---------- | --------- | --------- |\n" in table
    assert "| 生态       | 丰富      | 非常丰富  |" in table
    quote = html_to_markdown(capture_messages("v4_viewthread_tid6_quotes.json")["206"], SITE)
    assert quote.startswith("> *user1 发表于 刚刚*\n> IO 密集用 asyncio")
    assert html_to_markdown("1. not a list *not bold* [x](y)") == "1\\. not a list \\*not bold\\* \\[x\\](y)"


def test_deep_nesting_is_survived_and_summarised() -> None:
    html = "".join('<div class="quote"><blockquote>level<br />' for _ in range(600)) + "core"
    doc = parse_post_html(html)
    text = document_to_text(doc)
    assert "deeper quotes not shown" in text
    assert max(len(line) - len(line.lstrip("> ")) for line in text.split("\n")) <= 2 * 5


def test_huge_post_is_parsed_whole() -> None:
    paragraph = "打卡 check-in <b>bold</b> &amp; <img src='static/image/smiley/default/lol.gif' /><br />\n"
    html = paragraph * (1_000_000 // len(paragraph))
    text = document_to_text(parse_post_html(html))
    assert text == "\n".join(["打卡 check-in bold & 😆"] * html.count("打卡"))  # nothing dropped or merged
    assert text.count("打卡 check-in bold & 😆") == html.count("打卡")


def test_engine_attachments_are_listed_once_with_size_and_downloads() -> None:
    from tui.model import Attachment

    _, body = load_capture("mobile/v4_viewthread_tid29_user1.json")
    (post,) = json.loads(body)["Variables"]["postlist"]
    raw = post["attachments"]["3"]
    attachment = Attachment(
        id=raw["aid"],
        name=raw["filename"],
        url=f"forum.php?mod=attachment&aid={raw['aidencode']}",
        size=raw["attachsize"],
        downloads=int(raw["downloads"]),
    )
    doc = with_attachments(parse_post_html(post["message"], SITE), [attachment, attachment], SITE)
    text = document_to_text(doc)
    assert text.count("[attachment: client-notes.zip, 229 Bytes, 0 downloads]") == 1
    assert f"<{SITE}forum.php?mod=attachment&aid=M3w0OWIzOTlmZXwxNzk1ODYzNTk1fDJ8Mjk%3D>" in text


def test_revealed_hide_block_is_labelled_and_kept_together() -> None:
    html = (
        '<div class="showhide"><h4>本帖隐藏的内容</h4>下载地址：http://x/a.zip<br />'
        "提取码：<strong>dz35</strong></div>后文"
    )
    (hidden,) = [block for block in parse_post_html(html).blocks if isinstance(block, HiddenBlock)]
    assert (hidden.locked, hidden.notice) == (False, "本帖隐藏的内容")
    assert html_to_text(html) == (
        "[hidden content, shown to you: 本帖隐藏的内容]\n│ 下载地址：http://x/a.zip\n│ 提取码：dz35\n\n后文"
    )
