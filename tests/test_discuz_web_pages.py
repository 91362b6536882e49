"""Parser tests over the real desktop-page captures (X3.5 UTF-8 and X3.4 GBK): ``tui.discuz.web.pages``."""

from __future__ import annotations

import inspect
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, GBK_FIXTURES
from tui import errors
from tui.content import html_to_text
from tui.discuz.charset import decode_page
from tui.discuz.session import DiscuzSession
from tui.discuz.web import pages
from tui.discuz.web.session import WebPages

WEB_CAPTURES = sorted(
    path
    for root in (FIXTURES, GBK_FIXTURES)
    for path in (root / "web").iterdir()
    if path.suffix in (".html", ".xml")
)


def _text(path: Path) -> str:
    meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    content_type = next((v for k, v in meta["response"]["headers"] if k.lower() == "content-type"), "")
    return decode_page(path.read_bytes(), content_type)


def _doc(name: str, root: Path = FIXTURES) -> pages.LexborHTMLParser:
    return pages.document(_text(root / "web" / name))


@pytest.mark.parametrize("path", WEB_CAPTURES, ids=lambda path: f"{path.parent.parent.name}/{path.name}")
def test_every_web_capture_reads_without_error(path: Path) -> None:
    """Every reader copes with every page: the right data from its own page, nothing from others."""
    page = _text(path)
    if path.suffix == ".xml":
        outcome = pages.ajax_outcome(page)
        assert outcome.succeeded == (pages.text(pages.document(pages.ajax_html(page)).text()) == "")
        return
    doc = pages.document(page)
    if not page.strip():
        assert not pages.is_discuz_page(doc)  # the empty body of a redirect
        return
    assert pages.is_discuz_page(doc)
    index, threads = pages.board_index(doc), pages.thread_list(doc, "1")
    thread = pages.thread_page(doc, "1", "http://127.0.0.1/")
    content = not pages.message(doc)  # a 提示信息 page stands in for what was asked
    assert bool(index.groups) == (content and path.name.startswith("forum_index"))
    assert bool(threads.threads) == (content and path.name.startswith("forumdisplay"))
    assert bool(thread.posts) == (content and path.name.startswith("viewthread"))
    assert content == (pages.message_error(doc) is None)


def test_board_index_groups_and_counts() -> None:
    index = pages.board_index(_doc("forum_index_guest.html"))
    assert [(group.id, group.name) for group in index.groups] == [
        ("1", "Discuz! 站务"),
        ("3", "技术交流"),
        ("4", "生活休闲 Life & Fun"),
    ]
    python = index.find("5")
    assert python is not None and python.name == "Python 编程" and python.parent_id == "3"
    assert (python.threads, python.posts) == (10, 30)
    assert python.description.startswith("Python 语言学习与交流")
    assert python.last_post is not None and python.last_post.text == "2026-11-26 03:47"
    assert index.find("10") is None  # members only: a guest's index leaves it out
    assert index.user is not None and index.user.is_guest


def test_board_index_as_member_knows_the_user_and_formhash() -> None:
    doc = _doc("forum_index_user5.html")
    user = pages.current_user(doc)
    assert (user.uid, user.username, user.unread_notices) == ("6", "user5", 7)
    assert pages.formhash(doc) == "48f3fb67"
    assert pages.board_index(doc).find("10") is not None


def test_gbk_board_index() -> None:
    index = pages.board_index(_doc("forum_index_guest.html", GBK_FIXTURES))
    boards = [(board.id, board.name, board.today_posts) for board in index.groups[0].boards]
    assert boards == [("2", "灌水区 Chat", 25), ("36", "技术讨论 Tech", 8)]


def test_thread_list_marks_and_counts() -> None:
    threads = pages.thread_list(_doc("forumdisplay_fid5_guest.html"), "5")
    by_id = {thread.id: thread for thread in threads.threads}
    assert list(by_id) == ["2", "25", "27", "9", "8", "7", "6", "5"]
    assert (by_id["2"].sticky, by_id["25"].sticky, by_id["27"].sticky) == (3, 1, 0)
    assert by_id["27"].poll and not by_id["5"].poll
    assert by_id["5"].digest == 1 and by_id["6"].digest == 0
    assert (by_id["5"].replies, by_id["5"].views) == (4, 6)
    assert (by_id["5"].author, by_id["5"].author_id, by_id["5"].last_poster) == ("user1", "2", "user4")
    assert by_id["27"].last_reply is not None and by_id["27"].last_reply.text == "2026-11-28 18:58"
    assert by_id["27"].is_new and not by_id["2"].is_new
    assert threads.board.name == "Python 编程"
    assert [(board.id, board.name) for board in threads.subboards] == [
        ("11", "Django & Flask 框架"),
        ("12", "数据科学 Data Science"),
    ]
    assert (threads.page, threads.pages) == (1, 1)


def test_sub_boards_on_a_boards_page_and_on_the_index() -> None:
    """A board's page lists its sub-boards as rows like the index's (counts, description, last
    post); an index with ``subforumsindex`` on names them in a line under their parent's name."""
    threads = pages.thread_list(_doc("forumdisplay_fid5_guest.html"), "5")
    django = threads.subboards[0]
    assert (django.parent_id, django.threads, django.posts) == ("5", 2, 4)
    assert django.description.startswith("Web 框架")
    assert django.last_post is not None and django.last_post.text == "2026-11-11 06:45"
    assert django.last_post.exact is not None  # a plain date is followed by who posted, not part of it
    page = _text(FIXTURES / "web" / "forum_index_guest.html")
    line = (
        '<p>子版块: <a href="forum.php?mod=forumdisplay&fid=11" >Django & Flask 框架</a>, '
        '<a href="forum.php?mod=forumdisplay&fid=12" >数据科学 Data Science</a></p>'
        '<p>版主: <span class="xi2"><a href="home.php?mod=space&username=admin" class="notabs">'
        "admin</a></span></p>"
    )
    with_line, found = re.subn(r'(Everything Python\.</p>)', rf"\1{line}", page, count=1)
    assert found == 1
    plain = pages.board_index(pages.document(page))
    assert not any(board.subboards for group in plain.groups for board in group.boards)
    python = pages.board_index(pages.document(with_line)).find("5")
    assert python is not None
    assert [(sub.id, sub.name, sub.parent_id) for sub in python.subboards] == [
        ("11", "Django & Flask 框架", "5"),
        ("12", "数据科学 Data Science", "5"),
    ]


def test_thread_list_second_page_knows_the_page_count() -> None:
    threads = pages.thread_list(_doc("forumdisplay_fid8_page2_guest.html"), "8", 2)
    assert (threads.page, threads.pages) == (2, 2)
    assert [thread.id for thread in threads.threads] == ["31", "30"]


def test_thread_list_image_mark_and_gbk_rows() -> None:
    members = pages.thread_list(_doc("forumdisplay_fid10_user5.html"), "10")
    assert next(thread for thread in members.threads if thread.id == "29").has_image
    gbk = pages.thread_list(_doc("forumdisplay_fid2_guest.html", GBK_FIXTURES), "2")
    assert [(thread.id, thread.author, thread.replies) for thread in gbk.threads] == [("1", "张三", 24)]


def test_thread_last_page_floors_authors_and_quote() -> None:
    page = pages.thread_page(_doc("viewthread_tid1_p13_guest.html"), "1", "http://127.0.0.1:8080/", page=13)
    assert (page.page, page.pages, page.page_size) == (13, 13, 10)
    assert [post.floor for post in page.posts] == [121, 122, 123, 124, 125, 126]
    assert (
        page.thread.subject == "【水楼】每日打卡签到楼 Daily check-in thread" and page.thread.board_id == "8"
    )
    last = page.posts[-1]
    assert (last.id, last.author.name, last.author.id, last.author.group) == ("154", "user1", "2", "注册会员")
    assert (last.author.threads, last.author.posts, last.author.credits) == (9, 32, 104)
    assert last.time.text == "2026-11-28 07:44:22"
    shown = html_to_text(last.html, last.base_url)
    assert "user5 发表于 2026-11-28 18:53" in shown and "第 126 楼" in shown
    assert "goto=findpost&amp;pid=153" in last.html


def test_times_are_exact_in_the_forums_time_zone() -> None:
    """The footer's "GMT+8" makes the shown dates exact; a day-only date stays text."""
    page = pages.thread_page(_doc("viewthread_tid1_p13_guest.html"), "1", "http://127.0.0.1:8080/", page=13)
    assert page.time_zone == timezone(timedelta(hours=8))
    last = page.posts[-1].time
    assert last.exact == datetime(2026, 11, 27, 23, 44, 22, tzinfo=UTC)
    old = pages.thread_page(_doc("viewthread_tid5_guest.html"), "5", "http://h/").posts[0].time
    assert old.text == "2026-9-27 16:40:49" and old.exact == datetime(2026, 9, 27, 8, 40, 49, tzinfo=UTC)
    threads = pages.thread_list(_doc("forumdisplay_fid5_guest.html"), "5").threads
    newest = next(thread for thread in threads if thread.id == "27")
    assert newest.last_reply is not None and newest.last_reply.exact == datetime(
        2026, 11, 28, 10, 58, tzinfo=UTC
    )
    assert newest.created is not None and newest.created.exact is None  # "2026-11-26": no time of day
    assert pages.forum_zone(pages.document("<div id='ft'><p class='xs0'>GMT-5:30, x</p></div>")) == timezone(
        -timedelta(hours=5, minutes=30)
    )


def test_thread_first_page_named_floors_code_and_counts() -> None:
    page = pages.thread_page(_doc("viewthread_tid5_guest.html"), "5", "http://127.0.0.1:8080/")
    assert [post.floor for post in page.posts] == [1, 2, 3, 4, 5]
    assert page.posts[0].is_first and not page.posts[1].is_first
    assert (page.thread.views, page.thread.replies, page.pages) == (6, 4, 1)
    assert "def max[T](args: list[T]) -> T:" in html_to_text(page.posts[0].html, page.posts[0].base_url)


def test_a_closed_thread_is_known_by_the_lock_beside_its_subject() -> None:
    """The default template puts ``i.fico-lock`` in the subject's ``span.xg1`` for a closed thread
    (``forum_thread.closed == 1``); no captured thread page, all open, has one."""
    for path in (root / "web" / name for root in (FIXTURES, GBK_FIXTURES) for name in _viewthreads(root)):
        assert not pages.thread_page(pages.document(_text(path)), "1", "http://h/").thread.closed, path.name
    page = _text(FIXTURES / "web" / "viewthread_tid5_guest.html")
    lock = '&nbsp;<i class="fico-lock fc-s" title="关闭"></i>'
    closed, found = re.subn(r'(</h1>\s*<span class="xg1">)', rf"\1{lock}", page, count=1)
    assert found == 1
    assert pages.thread_page(pages.document(closed), "5", "http://h/").thread.closed


def _viewthreads(root: Path) -> list[str]:
    return sorted(path.name for path in (root / "web").glob("viewthread_*.html"))


def test_thread_page_counts_pages_from_the_pager() -> None:
    page = pages.thread_page(_doc("viewthread_tid1_p2_guest.html"), "1", "http://127.0.0.1:8080/", page=2)
    assert (page.page, page.pages, page.page_size) == (2, 13, 10)
    assert page.posts[0].floor == 11


def test_attachments_listed_below_a_floor() -> None:
    doc = pages.document(
        '<div id="postlist"><div id="post_7"><td class="t_f" id="postmessage_7">see below</td>'
        '<div class="pattl"><ignore_js_op><dl class="tattl"><dd><p class="attnm"><a href="forum.php?mod='
        'attachment&amp;aid=M3w5" id="aid3" target="_blank">notes.zip</a></p></dd></dl></ignore_js_op>'
        '<img id="aimg_4" aid="4" src="static/image/common/none.gif" zoomfile="data/attachment/forum/a.png" '
        'file="data/attachment/forum/a.png" alt="a.png" /></div></div></div>'
    )
    post = pages.thread_page(doc, "1", "http://h/").posts[0]
    assert [(item.id, item.name, item.is_image, item.url) for item in post.attachments] == [
        ("4", "a.png", True, "http://h/data/attachment/forum/a.png"),
        ("3", "notes.zip", False, "http://h/forum.php?mod=attachment&aid=M3w5"),
    ]
    assert "notes.zip" in post.html and "a.png" in post.html


def test_thread_page_poll() -> None:
    page = pages.thread_page(_doc("viewthread_tid27_poll_guest.html"), "27", "http://127.0.0.1:8080/")
    assert page.poll is not None
    assert [option.text for option in page.poll.options][:2] == ["Python 3.8 或更早", "Python 3.10"]
    assert page.poll.voters == 5 and not page.poll.can_vote and not page.poll.multiple


def test_thread_page_as_member_and_gbk_floors() -> None:
    member = pages.thread_page(_doc("viewthread_tid1_p1_user5.html"), "1", "http://127.0.0.1:8080/")
    assert member.user is not None and member.user.username == "user5"
    assert member.pages == 13 and member.thread.replies == 125
    gbk = pages.thread_page(_doc("viewthread_tid2_guest.html", GBK_FIXTURES), "2", "http://127.0.0.1:8081/")
    assert [post.floor for post in gbk.posts] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert gbk.posts[0].author.name == "李四" and gbk.thread.board_id == "36"
    assert "&#128512;" in html_to_text(gbk.posts[6].html, gbk.posts[6].base_url)


def test_rewritten_thread_page_reads_the_same() -> None:
    plain = pages.thread_page(_doc("viewthread_tid2_guest.html", GBK_FIXTURES), "2", "http://h/")
    rewritten = pages.thread_page(_doc("viewthread_tid2_rewrite_guest.html", GBK_FIXTURES), "2", "http://h/")
    assert [post.id for post in rewritten.posts] == [post.id for post in plain.posts]


def test_message_pages_become_typed_errors() -> None:
    members_only = pages.message_error(_doc("forumdisplay_fid10_guest.html"))
    assert isinstance(members_only, errors.LoginRequiredError)
    assert "没有权限访问该版块" in str(members_only)
    missing = pages.message_error(_doc("forumdisplay_fid999_guest.html"))
    assert isinstance(missing, errors.NotFoundError) and "版块不存在" in str(missing)
    assert pages.message_error(_doc("forum_index_guest.html")) is None


def test_login_forms() -> None:
    form = pages.login_form(_doc("login_form.html"))
    assert form is not None and "loginsubmit=yes" in form.action and "loginhash=LhFM2" in form.action
    assert form.value("formhash") == "fbdfdc0a" and not form.seccode_id
    captcha = pages.login_form(_doc("login_form_captcha_on.html"))
    assert captcha is not None and captcha.seccode_id == "cStxnDbB"
    inajax = _text(FIXTURES / "web" / "login_form_inajax.xml")
    popup = pages.login_form(pages.document(pages.ajax_html(inajax)))
    assert popup is not None and popup.value("formhash") == "fbdfdc0a"
    gbk = pages.login_form(_doc("login_form_guest.html", GBK_FIXTURES))
    assert gbk is not None and "loginhash=LgTCt" in gbk.action


def test_post_forms() -> None:
    reply = pages.post_form(_doc("post_form_reply_user2.html"))
    assert reply is not None
    assert reply.action == "forum.php?mod=post&action=reply&fid=8&tid=3&extra=&replysubmit=yes"
    assert (reply.value("formhash"), reply.value("posttime")) == ("af4f6f71", "1795947385")
    new = pages.post_form(_doc("post_form_newthread_fid6_user2.html"))
    assert new is not None and new.action.endswith("topicsubmit=yes") and new.value("formhash") == "af4f6f71"
    quick = pages.post_form(_doc("viewthread_tid1_p1_user5.html"))
    assert quick is not None and "replysubmit=yes" in quick.action and quick.value("formhash") == "48f3fb67"
    gbk = pages.post_form(_doc("post_form_reply_tid2_zhangsan.html", GBK_FIXTURES))
    assert gbk is not None and gbk.value("formhash") == "e82e4821"


@pytest.mark.parametrize(
    ("name", "succeeded", "said"),
    [
        ("login_post_wrong_password.xml", False, "登录失败，您还可以尝试 4 次"),
        ("login_post_success.xml", True, ""),
        ("reply_post_closed_user2.xml", False, "抱歉，本主题已关闭，不再接受新内容"),
        ("reply_post_success_user2.xml", True, ""),
        ("newthread_post_success_user2.xml", True, ""),
    ],
)
def test_ajax_answers(name: str, succeeded: bool, said: str) -> None:
    outcome = pages.ajax_outcome(_text(FIXTURES / "web" / name))
    assert (outcome.succeeded, outcome.message) == (succeeded, said)


def test_the_verification_question_comes_from_the_script_that_fills_its_slot() -> None:
    """misc.php?mod=secqaa&action=update answers a script whose string between the template's
    ``sectplcode[2]`` and ``sectplcode[3]`` is the question (HTML, quotes escaped)."""
    script = (
        "if($('secqaa_qSAb1')) {\n\tvar sectplcode = Array('<br />',': ','<br />','');\n"
        "\tvar string = '<input name=\"secqaahash\" type=\"hidden\" value=\"qSAb1\" />' + sectplcode[0] + "
        "'验证问答' + sectplcode[1] + '<input name=\"secanswer\" />' + sectplcode[2] + "
        "'<b>It\\'s</b> 3 &amp; 4: 和是多少？' + sectplcode[3];\n\t$('secqaa_qSAb1').innerHTML = string;\n}"
    )
    assert pages.secqaa_question(script) == "It's 3 & 4: 和是多少？"
    assert pages.secqaa_question("Access Denied") == ""
    form = pages.post_form(pages.document(
        '<form id="postform" action="forum.php?mod=post"><span id="secqaa_qSAb1"></span>'
        '<span id="seccode_cSAb1"></span></form>'
    ))
    assert form is not None and (form.secqaa_id, form.seccode_id) == ("qSAb1", "cSAb1")


def test_ajax_error_words_become_typed_errors() -> None:
    closed = pages.ajax_outcome(_text(FIXTURES / "web" / "reply_post_closed_user2.xml"))
    assert isinstance(pages.error_for_text(closed.message), errors.ThreadClosedError)


def test_ajax_success_call_gives_the_new_post() -> None:
    """The success script the captures emptied (quoted in their notes), as a real forum sends it."""
    reply = pages.ajax_outcome(
        '<root><![CDATA[<script type="text/javascript" reload="1">succeedhandle_fastpost('
        "'forum.php?mod=viewthread&tid=3&pid=183&page=1&extra=#pid183', '非常感谢，回复发布成功', "
        "{'fid':'8','tid':'3','pid':'183','from':'','sechash':''});</script>]]></root>"
    )
    assert reply.succeeded and (reply.id_of("tid"), reply.id_of("pid")) == ("3", "183")
    new = pages.ajax_outcome(
        "<root><![CDATA[<script>succeedhandle_postform('thread-32-1-1.html', '主题已发布', "
        "{'fid':'6','tid':'32','pid':'184','coverimg':'','sechash':''});</script>]]></root>"
    )
    assert (new.id_of("tid"), new.id_of("pid")) == ("32", "184")
    rewritten_only = pages.ajax_outcome(
        "<root><![CDATA[<script>succeedhandle_x('thread-32-1-1.html', '');</script>]]></root>"
    )
    assert rewritten_only.id_of("tid") == "32"


def test_rewritten_links_in_pages_resolve() -> None:
    """forum-8-2.html and thread-1-13-1.html links name their board and thread like plain ones."""
    doc = pages.document(
        '<div id="category_4"><table><tr><td><h2><a href="forum-8-1.html">灌水</a></h2></td></tr>'
        "</table></div>"
        '<table id="threadlisttableid"><tbody id="normalthread_1"><tr><th><a href="thread-1-13-1.html" '
        'class="s xst">水楼</a></th></tr></tbody></table>'
    )
    assert pages.board_index(doc).find("8") is not None
    assert [thread.id for thread in pages.thread_list(doc, "8").threads] == ["1"]


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("抱歉，本主题已关闭，不再接受新内容", errors.ThreadClosedError),
        ("抱歉，您尚未登录，没有权限在该版块回帖", errors.LoginRequiredError),
        ("抱歉，指定的主题不存在或已被删除或正在被审核", errors.NotFoundError),
        ("抱歉，验证码填写错误", errors.CaptchaWrongError),
        ("抱歉，验证问答回答错误", errors.CaptchaWrongError),
        ("抱歉，您两次发表间隔少于 15 秒，请稍候再发表", errors.FloodControlError),
        ("抱歉，您的帖子小于 10 个字符的限制", errors.MessageTooShortError),
        ("抱歉，您的帖子超过 10000 个字符的限制", errors.MessageTooLongError),
        ("抱歉，您尚未输入标题或内容", errors.SubjectRequiredError),
        ("抱歉，您没有权限访问该版块", errors.PermissionDeniedError),
        ("Something else entirely", errors.ForumError),
    ],
)
def test_forum_sentences_become_typed_errors(said: str, kind: type[errors.ForumError]) -> None:
    error = pages.error_for_text(said)
    assert type(error) is kind and str(error) == said


def test_flood_sentence_keeps_the_wait() -> None:
    error = pages.error_for_text("抱歉，您两次发表间隔少于 15 秒，请稍候再发表")
    assert isinstance(error, errors.FloodControlError) and error.seconds == 15


def test_web_pages_take_every_call_the_session_hands_them() -> None:
    """Each session method that switches to the web pages finds one there taking the same arguments."""
    delegated = {
        name: method.__wrapped__
        for name, method in vars(DiscuzSession).items()
        if getattr(getattr(method, "__code__", None), "co_qualname", "").startswith("_or_web_pages.")
    }
    assert {"board_index", "thread_page", "login", "reply", "new_thread", "send_pm"} <= set(delegated)

    def shape(method: object) -> list[tuple[str, object, object]]:
        parameters = inspect.signature(method).parameters.values()  # type: ignore[arg-type]
        return [(parameter.name, parameter.kind, parameter.default) for parameter in parameters]

    for name, method in delegated.items():
        assert shape(getattr(WebPages, name)) == shape(method), name
