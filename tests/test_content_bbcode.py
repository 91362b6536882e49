"""How stored BBCode becomes the HTML each API version sends (the demo forum and the preview)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tui.content.bbcode import AttachmentRef, RenderContext, plain_text, render

SITE = "http://127.0.0.1:8080/"
V4 = RenderContext(SITE)
V1 = RenderContext(SITE, flavor="v1")


def test_text_is_escaped_before_tags_become_markup() -> None:
    html = render('<script>alert("x")</script> [b]bold[/b] & more', V4)
    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<strong>bold</strong> &amp; more" in html


@given(st.text(alphabet=st.characters(blacklist_characters="[]"), max_size=200))
def test_plain_text_never_yields_markup_of_its_own(text: str) -> None:
    html = render(text, V1)
    assert re.sub(r"<br />|<img [^>]*/>", "", html).count("<") == 0


def test_quotes_by_flavour_and_the_findpost_link() -> None:
    message = (
        "[quote][size=2][url=forum.php?mod=redirect&goto=findpost&pid=5&ptid=5]"
        "[color=#999999]user1 发表于 2026-11-28 18:53[/color][/url][/size]\nearlier words[/quote]\nreply"
    )
    v4 = render(message, V4)
    assert v4.startswith('<div class="reply_wrap"><a href="http://127.0.0.1:8080/forum.php?mod=redirect')
    assert "&amp;amp;goto=findpost" in v4  # the real v4 renderer escapes twice
    assert "<font size" not in v4
    v1 = render(message, V1)
    assert v1.startswith('<div class="quote"><blockquote><font size="2"><a href=')
    assert 'pid=5&amp;ptid=5" target="_blank">' in v1
    assert render(message, RenderContext(SITE, quirks=False)).count("&amp;amp;") == 0


def test_nested_quotes_close_in_order() -> None:
    html = render("[quote]outer [quote]inner[/quote] tail[/quote]", V1)
    assert html.count("<blockquote>") == 2 and html.index("inner") < html.index("tail")


def test_code_blocks_v1_keeps_v4_drops_unless_quirks_off() -> None:
    message = "before\n[code]if a < b:\n    print('[b]not bold[/b]')[/code]after"
    v1 = render(message, V1)
    assert '<div class="blockcode">' in v1 and "if a &lt; b:" in v1
    assert "[b]not bold[/b]" in v1 and "<strong>" not in v1  # no BBCode inside code
    assert "print" not in render(message, V4)
    assert "blockcode" in render(message, RenderContext(SITE, quirks=False))


def test_smilies_absolute_in_v4_relative_in_v1_and_not_inside_urls() -> None:
    assert render("hi :)", V4) == f'hi <img src="{SITE}static/image/smiley/default/smile.gif" />'
    assert 'src="static/image/smiley/default/smile.gif" smilieid="1"' in render("hi :)", V1)
    assert render("see http://example.com/:D", V4) == "see http://example.com/:D"


def test_lists_tables_colours() -> None:
    html = render("[list=1][*]one[*]two[/list][color=Red]red[/color]", V4)
    assert '<ul type="1" class="litype_1"><li>one<li>two</ul>' in html
    assert '<font color="Red">red</font>' in html
    table = render("[table][tr][td]a[/td][td]b[/td][/tr][/table]", V4)
    assert table == (
        '<table class="dzcode_table" cellspacing="0" ><tr><td class="dzcode_td">a</td>'
        '<td class="dzcode_td">b</td></tr></table>'
    )


def test_hide_blocks_follow_the_viewer() -> None:
    message = "[hide]secret[/hide][hide=50]rich[/hide]"
    guest = render(message, V4)
    assert "secret" not in guest and "rich" not in guest and "游客" in guest
    replied = render(
        message, RenderContext(SITE, viewer_name="user2", viewer_replied=True, viewer_credits=60)
    )
    assert "secret" in replied and "rich" in replied
    poor = render(message, RenderContext(SITE, viewer_name="user3", viewer_replied=True, viewer_credits=30))
    assert "secret" in poor and "rich" not in poor and "您当前积分为 30" in poor


def test_attachments_inline_images_and_file_links() -> None:
    files = {
        1: AttachmentRef(1, "sunset.png", True, "demo/sunset.png"),
        3: AttachmentRef(3, "a.zip", False, "z"),
    }
    message = "[attachimg]1[/attachimg] [attach]3[/attach]"
    v4 = render(message, RenderContext(SITE, attachments=files))
    v1 = render(message, RenderContext(SITE, flavor="v1", attachments=files))
    assert "sunset" not in v4 and "mod=attachment&amp;aid=3" in v4
    assert f'<img src="{SITE}data/attachment/forum/demo/sunset.png" attach="1" />' in v1


def test_plain_text_excerpt_strips_tags_quotes_and_code() -> None:
    text = plain_text("[quote]old[/quote][b]new[/b] words [code]x = 1[/code]" + "长" * 400, limit=20)
    assert text.startswith("new words") and text.endswith(" ...") and "old" not in text
