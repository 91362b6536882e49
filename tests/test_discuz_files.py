"""Attachment file names as forums send them in Content-Disposition, and a post's links."""

from __future__ import annotations

from tui.content import parse_post_html
from tui.discuz.files import disposition_name


def test_file_names_from_content_disposition() -> None:
    assert disposition_name("attachment; filename*=UTF-8''%E7%AC%94%E8%AE%B0.zip", "utf-8") == "笔记.zip"
    gbk_raw = "笔记.zip".encode("gbk").decode("latin-1")  # httpx hands header bytes over as latin-1
    assert disposition_name(f'attachment; filename="{gbk_raw}"', "gbk") == "笔记.zip"
    assert disposition_name('attachment; filename="notes%20v2.txt"', "utf-8") == "notes v2.txt"
    assert disposition_name("inline", "utf-8") == ""


def test_a_posts_links_in_reading_order_with_their_text() -> None:
    html = (
        'see <a href="forum.php?mod=viewthread&amp;tid=5">the <b>Python</b> thread</a>, '
        '<a href="https://example.com/x">ex</a> and <a href="https://example.com/x">again</a>'
        '<blockquote><a href="forum.php?mod=redirect&amp;goto=findpost&amp;pid=3&amp;ptid=1">'
        "user 发表于 2026-1-1</a><br />quoted</blockquote>"
    )
    links = parse_post_html(html, "http://bbs.example.com/").links
    assert links == [
        ("the Python thread", "http://bbs.example.com/forum.php?mod=viewthread&tid=5"),
        ("ex", "https://example.com/x"),
        ("user 发表于 2026-1-1", "http://bbs.example.com/forum.php?mod=redirect&goto=findpost&pid=3&ptid=1"),
    ]
