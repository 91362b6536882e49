"""The account's own things over real Discuz! X3.5 captures: notifications (API and web page),
the web search (form, redirect, results, paging, refusals), favourites removal and profiles."""

from __future__ import annotations

import json

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import FIXTURES
from tests.test_discuz_session import SITE, at, form_of, replayed
from tui import errors
from tui.discuz import parse, web_notices, web_rating, web_search
from tui.discuz.session import DiscuzSession
from tui.discuz.web import pages as web_pages
from tui.model import NoticeKind, SearchQuery

SEARCH_FORM = f"GET {SITE}search.php?mod=forum"
SEARCH_POST = f"POST {SITE}search.php?mod=forum"


def variables(name: str) -> dict:
    return json.loads((FIXTURES / "mobile" / name).read_text(encoding="utf-8"))["Variables"]


def page(name: str) -> str:
    return (FIXTURES / "web" / name).read_text(encoding="utf-8")


def results_url(search_id: str, page_number: int = 1) -> str:
    paged = f"&page={page_number}" if page_number > 1 else ""
    return (
        f"GET {SITE}search.php?mod=forum&searchid={search_id}&orderby=lastpost&ascdesc=desc"
        f"&searchsubmit=yes{paged}"
    )


# ----- notifications ------------------------------------------------------------------------------


def test_notices_name_who_what_and_the_floor() -> None:
    notices = parse.notices(variables("v4_mynotelist_user2.json"))
    assert notices.total == 2
    first = notices.items[0]
    assert first.unread and first.kind is NoticeKind.REPLY
    assert (first.actor, first.actor_id, first.thread_id, first.post_id) == ("user1", "2", "3", "182")
    assert first.subject == "周末去哪儿玩？Weekend plans"
    assert first.text == "user1 回复了您的帖子 周末去哪儿玩？Weekend plans"  # no trailing "查看" link
    assert first.time is not None and first.time.exact is not None


def test_notices_tell_quotes_and_system_notices_apart() -> None:
    notices = parse.notices(variables("v4_mynotelist_user1.json")).items
    kinds = {notice.id: notice.kind for notice in notices}
    assert kinds["40"] is NoticeKind.QUOTE and kinds["49"] is NoticeKind.REPLY
    system = next(notice for notice in notices if notice.kind is NoticeKind.SYSTEM)
    assert system.text == "您的用户组升级为 注册会员"
    assert (system.thread_id, system.post_id, system.actor_id) == ("", "", "")


def test_unread_notices_come_first() -> None:
    data = variables("v4_mynotelist_user1.json")
    data["list"][-1]["new"] = "1"
    assert parse.notices(data).items[0].id == data["list"][-1]["id"]


def test_web_notice_page_gives_the_same_notices() -> None:
    notices = web_notices.notices(page("notice_user2.html")).items
    assert [notice.id for notice in notices] == ["16", "6"]
    first = notices[0]
    assert (first.thread_id, first.post_id, first.actor, first.actor_id) == ("3", "182", "user1", "2")
    assert first.kind is NoticeKind.REPLY and not first.unread  # the API read had marked them read
    assert first.subject == "周末去哪儿玩？Weekend plans"
    assert first.time is not None and first.time.text == "2026-11-29 18:16"


def test_a_notice_linking_post_zero_opens_its_thread_from_the_top() -> None:
    """A notice whose link says pid=0 (no post) names no floor, so the thread opens at its start."""
    data = variables("v4_mynotelist_user2.json")
    row = data["list"][0]
    row["note"] = row["note"].replace("pid=182", "pid=0")
    row["notevar"] = {key: value for key, value in row["notevar"].items() if key != "pid"}
    first = parse.notices(data).items[0]
    assert (first.thread_id, first.post_id) == ("3", "")


def test_malformed_notices_do_not_raise() -> None:
    odd = parse.notices({"list": [None, {"note": "<a", "notevar": "x", "dateline": "soon"}, "x"]}).items
    assert len(odd) == 1 and (odd[0].thread_id, odd[0].post_id, odd[0].time) == ("", "", None)
    assert web_notices.notices("<dl notice=1><dd class=ntc_body>").items == []


async def test_notifications_through_the_api_mark_counts() -> None:
    session, _ = replayed([], aliases={"mobile/v4_mynotelist_user2.json": at("module=mynotelist")})
    notices = await session.notifications()
    assert [notice.post_id for notice in notices.items] == ["182", "146"]
    assert session.user.username == "user2" and session.user.unread_notices == 0


async def test_guest_notifications_say_log_in() -> None:
    session, _ = replayed([], aliases={"mobile/v4_mypm_guest.json": at("module=mynotelist")})
    with pytest.raises(errors.LoginRequiredError, match="Log in to see your notifications"):
        await session.notifications()


async def test_notifications_fall_back_to_the_web_page_when_the_api_is_off() -> None:
    session, _ = replayed(
        [],
        aliases={
            "mobile/v4_forumindex_plugin_disabled.html": at("module=mynotelist"),
            "web/notice_user2.html": f"GET {SITE}home.php?mod=space&do=notice",
        },
    )
    notices = await session.notifications()
    assert [notice.post_id for notice in notices.items] == ["182", "146"]


# ----- search -------------------------------------------------------------------------------------


def test_search_form_gives_formhash_and_full_text_permission() -> None:
    form = web_search.search_form(page("search_form_user2.html"))
    assert form == web_search.SearchForm(formhash="af4f6f71", action="search.php?mod=forum", full_text=False)
    assert web_search.search_form(page("search_flood_user2.html")) is None


def test_search_results_have_subject_board_author_counts_and_snippet() -> None:
    found = web_search.results(page("search_result_user2.html"), SITE)
    assert (found.page, found.pages, found.total) == (1, 1, 2)
    first = found.items[0]
    assert (first.thread_id, first.subject) == ("3", "周末去哪儿玩？Weekend plans")  # highlight tags gone
    assert (first.board, first.board_id, first.author, first.author_id) == (
        "Off-topic 闲聊",
        "8",
        "user2",
        "3",
    )
    assert (first.replies, first.views) == (3, 13)
    assert first.snippet == "这个周末天气不错，大家有什么安排？爬山、看电影还是宅家写代码？"
    assert first.time is not None and first.time.text == "2026-11-29 17:46"
    assert first.post_id == ""


def test_search_result_pages_know_where_they_are() -> None:
    first = web_search.results(page("search_result_paged_p1_user2.html"), SITE)
    last = web_search.results(page("search_result_paged_p2_user2.html"), SITE)
    assert (first.page, first.pages, first.total, len(first.items)) == (1, 2, 23, 20)
    assert (last.page, last.pages, len(last.items)) == (2, 2, 3)
    author_only = web_search.results(page("search_result_author_user2.html"), SITE)
    assert author_only.total == 4 and {hit.author for hit in author_only.items} == {"小明同学"}


def test_empty_and_refused_searches() -> None:
    empty = page("search_no_result_user2.html")
    assert web_search.is_result_page(empty) and web_search.results(empty, SITE).items == []
    assert web_search.message(page("search_flood_user2.html")) == "抱歉，您在 10 秒内只能进行一次搜索"
    assert not web_search.is_result_page(page("search_invalid_searchid_guest.html"))
    assert not web_search.is_result_page(page("search_form_adv_user2.html"))


def test_a_result_linking_a_floor_opens_there() -> None:
    html = page("search_result_user2.html").replace(
        "forum.php?mod=viewthread&amp;tid=3&amp;highlight=Weekend",
        "forum.php?mod=redirect&amp;goto=findpost&amp;ptid=3&amp;pid=182&amp;highlight=Weekend",
    )
    assert web_search.results(html, SITE).items[0].post_id == "182"


async def test_search_sends_the_form_and_follows_its_search_id() -> None:
    session, replay = replayed(
        [],
        aliases={
            "web/search_form_user2.html": SEARCH_FORM,
            "web/search_submit_user2.html": SEARCH_POST,
            "web/search_result_user2.html": results_url("1"),
        },
    )
    found = await session.search(SearchQuery(text="Weekend", board_id="8"))
    assert [hit.thread_id for hit in found.items] == ["3", "20"]
    posted = next(request for request in replay.requests if request.method == "POST")
    assert form_of(posted) == {
        "formhash": "af4f6f71",
        "srchtxt": "Weekend",
        "searchsubmit": "yes",
        "srchfid[]": "8",
    }


async def test_later_pages_reuse_the_search() -> None:
    session, replay = replayed(
        [],
        aliases={
            "web/search_form_user2.html": SEARCH_FORM,
            "web/search_get_submit_user2.html": SEARCH_POST,
            "web/search_result_paged_p1_user2.html": results_url("4"),
            "web/search_result_paged_p2_user2.html": results_url("4", 2),
        },
    )
    query = SearchQuery(board_id="8")
    assert (await session.search(query)).pages == 2
    second = await session.search(query, 2)
    assert (second.page, len(second.items)) == (2, 3)
    assert sum(request.method == "POST" for request in replay.requests) == 1


async def test_search_flood_control_says_how_long_to_wait() -> None:
    session, _ = replayed(
        [], aliases={"web/search_form_user2.html": SEARCH_FORM, "web/search_flood_user2.html": SEARCH_POST}
    )
    with pytest.raises(errors.FloodControlError) as raised:
        await session.search(SearchQuery(text="Python"))
    assert raised.value.seconds == 10 and "10 seconds" in str(raised.value)


async def test_an_expired_search_is_sent_again_once() -> None:
    session, replay = replayed(
        [],
        aliases={
            "web/search_form_user2.html": SEARCH_FORM,
            "web/search_submit_user2.html": SEARCH_POST,
            "web/search_invalid_searchid_guest.html": results_url("1"),
        },
    )
    with pytest.raises(errors.NotFoundError, match="expired"):
        await session.search(SearchQuery(text="Weekend"))
    assert sum(request.method == "POST" for request in replay.requests) == 2


async def test_a_guest_refused_search_says_log_in() -> None:
    refusal = '<div id="messagetext" class="alert_error"><p>您需要先登录才能继续本操作</p></div>'
    answer = httpx.MockTransport(lambda request: httpx.Response(200, text=refusal))
    session = DiscuzSession(SITE, transport=answer)
    with pytest.raises(errors.LoginRequiredError, match="Log in to search"):
        await session.search(SearchQuery(text="Weekend"))


# ----- favourites and profiles --------------------------------------------------------------------


async def test_removing_a_favourite_names_the_thread() -> None:
    """favthread fixes the favourite's type to threads, so ``op=delete`` finds it by the thread id:
    no favourite id, no reading of the favourites list first (no capture holds a delete answer;
    the success is sendpm's captured ``do_success``, the same key spacecp_favorite answers)."""
    session, replay = replayed(
        [],
        aliases={
            "mobile/v4_forumindex_user1.json": at("module=forumindex"),
            "mobile/v4_sendpm_success.json": at("module=favthread&op=delete&id=5", "POST"),
        },
    )
    await session.remove_favourite_thread("5")
    assert not any("myfavthread" in str(request.url) for request in replay.requests)
    [posted] = [request for request in replay.requests if request.method == "POST"]
    assert form_of(posted)["deletesubmit"] == "true" and form_of(posted)["formhash"] == "3d251e7c"


async def test_removing_a_favourite_that_is_not_there_says_so() -> None:
    missing = {
        "Version": "4",
        "Variables": {"member_uid": "2", "member_username": "user1", "formhash": "3d251e7c"},
        "Message": {"messageval": "favorite_does_not_exist", "messagestr": "mobile:favorite_does_not_exist"},
    }
    answer = httpx.MockTransport(lambda request: httpx.Response(200, json=missing))
    with pytest.raises(errors.NotFoundError):
        await DiscuzSession(SITE, transport=answer).remove_favourite_thread("999")


def test_profile_has_the_sites_credit_columns_and_signature() -> None:
    profile = parse.profile(variables("v4_profile_self_user1.json"))
    assert profile.credit_columns == [("威望", 0), ("金钱", 58), ("贡献", 0)]
    assert "Life is short" in profile.signature_html


def test_favourite_boards_read_myfavforum() -> None:
    assert parse.favourite_boards(variables("v4_myfavforum_user1.json")).items == []
    data = variables("v4_myfavthread_user1.json")  # the same list shape, with boards in it
    data["list"][0].update(idtype="fid", id="5", title="Python 编程")
    assert [(board.id, board.name) for board in parse.favourite_boards(data).items] == [("5", "Python 编程")]


# No capture holds a rate form or a rating list (the captured threads have empty
# post_rate_div blocks), so these pages are written after what X3.5's default templates draw:
# forum/rate.htm (each credit's row carries a hidden pick list of scores; an empty reason
# preset is a line of dashes; the reason is a text box), forum/rate_view.htm (column names in
# a thead row of td cells; recent times relative, the full date in a span's title) and
# viewthread_node_body.htm (the rating table under a rated floor).
RATE_FORM = (
    '<div class="tm_c" id="floatlayout_topicadmin"><h3 class="flb"><em id="return_rate">评分</em></h3>'
    '<form id="rateform" method="post" autocomplete="off" '
    'action="forum.php?mod=misc&action=rate&ratesubmit=yes&infloat=yes">'
    '<input type="hidden" name="formhash" value="af4f6f71" /><input type="hidden" name="tid" value="3" />'
    '<input type="hidden" name="pid" value="131" /><input type="hidden" name="referer" value="" />'
    '<input type="hidden" name="handlekey" value="rate"><div class="c"><table class="dt mbm">'
    '<tr><th>&nbsp;</th><th width="65">&nbsp;</th><th width="65">评分区间</th>'
    '<th width="55">今日剩余</th></tr>'
    '<tr><td> 金钱</td><td><input type="text" name="score2" id="score2" class="px z" value="0" />'
    '<a href="javascript:;" class="dpbtn">^</a><ul id="scoreoption2" style="display:none"><li>+5</li>'
    "<li>+4</li><li>-4</li><li>-5</li></ul></td><td>-5 ~ 5</td><td>30</td></tr></table>"
    '<div class="tpclg"><h4>可选评分理由:</h4><table class="reason_slct"><tr><td>'
    '<ul id="reasonselect" class="reasonselect pt"><li>很给力!</li><li>--------</li><li>淡定</li></ul>'
    "</td></tr>"
    '<tr><td><input type="text" name="reason" id="reason" class="px" /></td></tr></table></div></div>'
    '<p class="o pns"><input type="checkbox" name="sendreasonpm" id="sendreasonpm" class="pc" />'
    '<button name="ratesubmit" type="submit" value="true" class="pn pnc"><span>确定</span></button></p>'
    "</form></div>"
)


def test_rate_form_names_credits_ranges_left_today_and_presets() -> None:
    form = web_rating.rate_form(f"<root>{RATE_FORM}</root>")
    assert form is not None and form.action == "forum.php?mod=misc&action=rate&ratesubmit=yes&infloat=yes"
    assert [
        (credit.id, credit.name, credit.minimum, credit.maximum, credit.left_today) for credit in form.credits
    ] == [("2", "金钱", -5, 5, 30)]
    assert form.reasons == ["很给力!", "淡定"]  # the dashes only separate presets
    assert ("pid", "131") in form.hidden and ("handlekey", "rate") in form.hidden
    assert web_rating.rate_form("<p>抱歉，您不能对同一个帖子重复评分</p>") is None


def test_rating_list_reads_who_what_and_why() -> None:
    page = (
        '<div class="f_c"><h3 class="flb"><em>查看全部评分</em></h3><div class="c floatwrap">'
        '<table class="list"><thead><tr><td>积分</td><td>用户名</td><td>时间</td><td>理由</td></tr></thead>'
        '<tr><td>金钱 +5 </td><td><a href="home.php?mod=space&amp;uid=2">user1</a></td>'
        '<td><span title="2026-11-29 12:00">3&nbsp;小时前</span></td><td>很给力!</td></tr>'
        '<tr><td>威望 -1 </td><td><a href="home.php?mod=space&amp;uid=3">user2</a></td>'
        "<td>2026-11-20 08:05</td><td></td></tr><tr><td>odd</td></tr></table></div></div>"
    )
    found = web_rating.ratings(page)
    shown = [(rating.credit, rating.amount, rating.user, rating.user_id, rating.reason) for rating in found]
    assert shown == [
        ("金钱", 5, "user1", "2", "很给力!"),
        ("威望", -1, "user2", "3", ""),
    ]
    times = [rating.time.text if rating.time else "" for rating in found]
    assert times == ["2026-11-29 12:00", "2026-11-20 08:05"]
    assert web_rating.ratings("<table class=list><tr><td>x") == []


RATED_FLOOR = (
    '<div id="post_131"><div class="pcb"><td class="t_f" id="postmessage_131">正文</td>'
    '<h3 class="psth xs1"><span class="icon_ring vm"></span>评分</h3><dl id="ratelog_131" class="rate">'
    '<dd style="margin:0"><div id="post_rate_131"></div><table class="ratl"><tr>'
    '<th class="xw1" width="120"><a href="forum.php?mod=misc&action=viewratings&tid=3&pid=131"> 参与人数 '
    '<span class="xi1">2</span></a></th>'
    '<th class="xw1" width="80">威望 <i><span class="xi1">-1</span></i></th>'
    '<th class="xw1" width="80">金钱 <i><span class="xi1">+5</span></i></th>'
    '<th><a href="javascript:;" class="y xi2 op">收起</a><i class="txt_h">理由</i></th></tr>'
    '<tbody class="ratl_l"><tr id="rate_131_3"><td><a href="home.php?mod=space&uid=3" target="_blank">'
    '<img src="avatar.php?uid=3" /></a> <a href="home.php?mod=space&uid=3" target="_blank">user2</a></td>'
    '<td class="xg1">-1</td><td class="xg1"></td><td class="xg1">山寨</td></tr>'
    '<tr id="rate_131_2"><td><a href="home.php?mod=space&uid=2" target="_blank">user1</a></td>'
    '<td class="xg1"></td><td class="xi1"> + 5</td><td class="xg1">很给力!</td></tr></tbody></table>'
    "</dd></dl></div></div>"
)


def test_the_rating_table_under_a_floor_gives_each_raters_credits_and_reason() -> None:
    block = LexborHTMLParser(RATED_FLOOR).css_first("#post_131")
    assert block is not None
    given = web_rating.floor_ratings(block, "131")
    shown = [(rating.user, rating.user_id, rating.credit, rating.amount, rating.reason) for rating in given]
    assert shown == [
        ("user2", "3", "威望", -1, "山寨"),
        ("user1", "2", "金钱", 5, "很给力!"),
    ]
    unrated = LexborHTMLParser('<div id="post_7"><div id="post_rate_div_7"></div></div>').css_first("#post_7")
    assert unrated is not None and web_rating.floor_ratings(unrated, "7") == []


def test_an_edit_form_sends_its_ticked_boxes_like_a_browser() -> None:
    """X3.5's edit form ticks "use my signature" (and, on a first floor, the thread's own
    options) as the post has them; a browser sends those back, disabled boxes it does not."""
    edit_page = (
        '<form method="post" autocomplete="off" id="postform" '
        'action="forum.php?mod=post&amp;action=edit&amp;extra=&amp;editsubmit=yes"><div id="ct">'
        '<input type="hidden" name="formhash" id="formhash" value="af4f6f71" />'
        '<input type="hidden" name="tid" value="3" /><input type="hidden" name="pid" value="131" />'
        '<input type="checkbox" name="rushreply" value="1" disabled="disabled" checked="checked" />'
        '<input type="checkbox" name="ordertype" id="ordertype" class="pc" value="1" />'
        '<input type="checkbox" name="usesig" id="usesig" class="pc" value="1" checked="checked" />'
        '<textarea name="message" id="e_textarea">正文</textarea></div></form>'
    )
    form = web_pages.post_form(web_pages.document(edit_page))
    assert form is not None and form.action == "forum.php?mod=post&action=edit&extra=&editsubmit=yes"
    assert form.hidden == [("formhash", "af4f6f71"), ("tid", "3"), ("pid", "131"), ("usesig", "1")]


def test_a_refused_rate_form_is_read_from_its_message_box() -> None:
    """A GET with ``inajax`` draws the refusal in a box between a title and a button."""
    answer = (
        '<?xml version="1.0" encoding="utf-8"?>\n<root><![CDATA[<h3 class="flb"><em>提示信息</em><span>'
        '<a href="javascript:;" class="flbc" title="关闭">关闭</a></span></h3><div class="c altw">'
        '<div class="alert_error">抱歉，24 小时评分数超过限制<script type="text/javascript" reload="1">'
        "</script></div></div><p class=\"o pns\"><button type=\"button\" class=\"pn pnc\" id=\"closebtn\">"
        "<strong>确定</strong></button></p>]]></root>"
    )
    outcome = web_pages.ajax_outcome(answer)
    assert not outcome.succeeded and outcome.message == "抱歉，24 小时评分数超过限制"
