"""Ratings (评分) in the demo: the rate form, its AJAX submit and a floor's rating list, shaped
like X3.5's ``forum.php?mod=misc&action=rate|viewratings`` (``form#rateform``, ``table.list``).

As on Discuz!, the form only comes as an AJAX answer (``inajax=1``); guests' group may not
rate; members may rate other members' floors once each, within each credit's range, up to a
total per credit over the last 24 hours. Refusals use the site's own message keys and words.
"""

from __future__ import annotations

import html
import sqlite3

from tui.demo import ratelog
from tui.demo.exchange import Request, Response
from tui.demo.members import GROUP_TITLES
from tui.demo.site import DemoSite, Visitor
from tui.demo.web_pages import shown_date
from tui.demo.web_posting import ajax_answer, js_string, refusal, script

REASONS = ("很给力!", "神马都是浮云", "", "赞一个!", "山寨", "淡定")  # "" draws Discuz!'s separator line
_DAY = 86400
_SAID = {
    "undefined_action": "未定义操作",
    "group_nopermission": "抱歉，您所在的用户组({group})无法进行此操作",
    "rate_post_error": "帖子不存在或不能被推送",
    "thread_rate_member_invalid": "抱歉，您不能给自己发表的帖子评分",
    "thread_rate_duplicate": "抱歉，您不能对同一个帖子重复评分",
    "thread_rate_range_invalid": "请输入正确的分值",
    "thread_rate_ctrl": "抱歉，24 小时评分数超过限制",
    "thread_rate_log_nonexistence": "抱歉，指定帖子在近一年内没有评分记录",
    "submit_invalid": "抱歉，您的请求来路不正确或表单验证串不符，无法提交",
    "thread_rate_succeed": "感谢您的参与，现在将转入评分前页面",
}


def _left(site: DemoSite, uid: int, credit: int) -> int:
    """What the member may still give of a credit: its 24-hour total less what they gave."""
    used = site.store.value(
        "SELECT COALESCE(SUM(ABS(score)), 0) FROM ratings WHERE uid = ? AND credit = ? AND dateline >= ?",
        uid,
        credit,
        site.now() - _DAY,
    )
    return ratelog.CREDITS[credit][3] - int(used or 0)


def _handler_call(kind: str, handlekey: str, arguments: str) -> str:
    """The page's call of the form's ``succeedhandle_``/``errorhandle_`` function, if it has one."""
    name = f"{kind}_{handlekey}"
    return script(f"if(typeof {name}=='function') {{{name}({arguments});}}")


def _message(site: DemoSite, visitor: Visitor, request: Request, key: str) -> Response:
    """A refusal as the AJAX message box (a GET) or the bare words (a POST), with ``errorhandle_``."""
    said = _SAID[key].format(group=GROUP_TITLES.get(visitor.groupid, ""))
    handlekey = request.arg("handlekey")
    if request.method == "POST":
        return refusal(said, handlekey)
    call = _handler_call("errorhandle", handlekey, f"{js_string(said)}, {{}}")
    return ajax_answer(
        '<h3 class="flb"><em>提示信息</em><span><a href="javascript:;" class="flbc" title="关闭">关闭</a>'
        f'</span></h3><div class="c altw"><div class="alert_error">{html.escape(said)}{call}</div></div>'
        '<p class="o pns"><button type="button" class="pn pnc" id="closebtn"><strong>确定</strong>'
        "</button></p>"
    )


def _problem(site: DemoSite, request: Request, visitor: Visitor, post: sqlite3.Row | None) -> str:
    """The first check Discuz! fails, in its order: AJAX only, a rating group, the post, not
    one's own, not twice."""
    if request.arg("inajax") != "1":
        return "undefined_action"
    if not visitor.uid:
        return "group_nopermission"
    if post is None:
        return "rate_post_error"
    if post["authorid"] == visitor.uid:
        return "thread_rate_member_invalid"
    if site.store.one("SELECT 1 FROM ratings WHERE pid = ? AND uid = ?", post["pid"], visitor.uid):
        return "thread_rate_duplicate"
    return ""


def _options(least: int, most: int) -> str:
    """The pick list beside a score box: from the most to the least, without zero."""
    step = max(abs(-(-(most - least) // 10)), 1)
    return "".join(
        f"<li>{vote:+d}</li>" if vote > 0 else f"<li>{vote}</li>"
        for vote in range(most, least - 1, -step)
        if vote
    )


def _form(site: DemoSite, request: Request, visitor: Visitor, post: sqlite3.Row) -> Response:
    rows = ""
    for credit, (name, least, most, _) in ratelog.CREDITS.items():
        left = _left(site, visitor.uid, credit)
        rows += (
            f'<tr><td> {name}</td><td><input type="text" name="score{credit}" id="score{credit}" '
            'class="px z" value="0" style="width: 25px;" /><a href="javascript:;" class="dpbtn">^</a>'
            f'<ul id="scoreoption{credit}" style="display:none">'
            f"{_options(max(least, -left), min(most, left))}</ul></td>"
            f"<td>{least} ~ {most}</td><td>{left}</td></tr>"
        )
    reasons = "".join(f"<li>{html.escape(reason) or '--------'}</li>" for reason in REASONS)
    referer = f"forum.php?mod=viewthread&amp;tid={post['tid']}&amp;page=0#pid{post['pid']}"
    handle = '<input type="hidden" name="handlekey" value="rate">' if request.arg("infloat") else ""
    return ajax_answer(
        '<div class="tm_c" id="floatlayout_topicadmin"><h3 class="flb"><em id="return_rate">评分</em>'
        '<span><a href="javascript:;" class="flbc" title="关闭">关闭</a></span></h3>'
        '<form id="rateform" method="post" autocomplete="off" '
        'action="forum.php?mod=misc&action=rate&ratesubmit=yes&infloat=yes">'
        f'<input type="hidden" name="formhash" value="{visitor.formhash}" />'
        f'<input type="hidden" name="tid" value="{post["tid"]}" />'
        f'<input type="hidden" name="pid" value="{post["pid"]}" />'
        f'<input type="hidden" name="referer" value="{referer}" />{handle}'
        '<div class="c"><table cellspacing="0" cellpadding="0" class="dt mbm"><tr><th>&nbsp;</th>'
        '<th width="65">&nbsp;</th><th width="65">评分区间</th><th width="55">今日剩余</th></tr>'
        f'{rows}</table><div class="tpclg"><h4>可选评分理由:</h4><table cellspacing="0" cellpadding="0" '
        f'class="reason_slct"><tr><td><ul id="reasonselect" class="reasonselect pt">{reasons}</ul></td></tr>'
        '<tr><td><input type="text" name="reason" id="reason" class="px" /></td></tr></table></div></div>'
        '<p class="o pns"><label for="sendreasonpm"><input type="checkbox" name="sendreasonpm" '
        'id="sendreasonpm" class="pc" />通知作者</label><button name="ratesubmit" type="submit" '
        'value="true" class="pn pnc"><span>确定</span></button></p></form></div>'
    )


def _save(site: DemoSite, request: Request, visitor: Visitor, post: sqlite3.Row) -> Response:
    """``ratesubmit``: a POST with the formhash; each non-zero score within what is left and
    within its range, at least one of them."""
    if request.method != "POST" or request.arg("formhash") != visitor.formhash:
        return _message(site, visitor, request, "submit_invalid")
    given: dict[int, int] = {}
    for credit, (_, least, most, _) in ratelog.CREDITS.items():
        score = request.int_arg(f"score{credit}")
        if not score:
            continue
        if abs(score) > _left(site, visitor.uid, credit):
            return _message(site, visitor, request, "thread_rate_ctrl")
        if not least <= score <= most:
            return _message(site, visitor, request, "thread_rate_range_invalid")
        given[credit] = score
    if not given:
        return _message(site, visitor, request, "thread_rate_range_invalid")
    for credit, score in given.items():
        site.store.run(
            "INSERT INTO ratings(pid, uid, username, credit, score, reason, dateline)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            post["pid"],
            visitor.uid,
            visitor.username,
            credit,
            score,
            request.arg("reason").strip()[:40],
            site.now(),
        )
    back = js_string(request.arg("referer").replace("'", "%27"))  # how Discuz! quotes a forward URL
    said = js_string(_SAID["thread_rate_succeed"])
    return ajax_answer(_handler_call("succeedhandle", request.arg("handlekey"), f"{back}, {said}, {{}}"))


def rate(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """forum.php?mod=misc&action=rate (AJAX only): the form, or its submit (``ratesubmit``)."""
    ratelog.rows(site, 0)  # a data folder from before ratings gets the table
    post = site.store.one(
        "SELECT * FROM posts WHERE pid = ? AND tid = ?", request.int_arg("pid"), request.int_arg("tid")
    )
    problem = _problem(site, request, visitor, post)
    if problem:
        return _message(site, visitor, request, problem)
    assert post is not None
    if request.arg("ratesubmit"):
        return _save(site, request, visitor, post)
    return _form(site, request, visitor, post)


def view_ratings(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """forum.php?mod=misc&action=viewratings: everyone's ratings of one floor, or the message
    that there are none."""
    post = site.store.one(
        "SELECT pid FROM posts WHERE pid = ? AND tid = ?", request.int_arg("pid"), request.int_arg("tid")
    )
    given = ratelog.rows(site, post["pid"]) if post else []
    if not given:
        return _message(site, visitor, request, "thread_rate_log_nonexistence")
    totals: dict[int, int] = {}
    listed = ""
    for row in given:
        totals[row["credit"]] = totals.get(row["credit"], 0) + row["score"]
        listed += (
            f"<tr><td>{ratelog.CREDITS[row['credit']][0]} {row['score']:+d} </td>"
            f'<td><a href="home.php?mod=space&amp;uid={row["uid"]}">{html.escape(row["username"])}</a></td>'
            f"<td>{shown_date(site, row['dateline'])}</td><td>{html.escape(row['reason'])}</td></tr>"
        )
    summed = "".join(
        f"&nbsp;{ratelog.CREDITS[credit][0]} {total:+d}  &nbsp;" for credit, total in sorted(totals.items())
    )
    return ajax_answer(
        '<div class="f_c"><h3 class="flb"><em id="return_">查看全部评分</em><span></span></h3>'
        '<div class="c floatwrap"><table class="list" cellspacing="0" cellpadding="0"><thead><tr>'
        f"<td>积分</td><td>用户名</td><td>时间</td><td>理由</td></tr></thead>{listed}</table></div></div>"
        f'<div class="o pns">总计:{summed}</div>'
    )
