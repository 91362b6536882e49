"""Ratings (评分) in the demo: the rate form, its AJAX submit and a floor's rating list, shaped
like X3.5's ``forum.php?mod=misc&action=rate|viewratings`` (``form#rateform``, ``table.list``).

Members may rate other members' floors once each, within each credit's range, up to a daily
total per credit; guests, one's own floors and second ratings are refused in the site's words.
"""

from __future__ import annotations

import html
import sqlite3

from tui.demo.dates import full_date, today_start
from tui.demo.exchange import Request, Response
from tui.demo.site import DemoSite, Visitor
from tui.demo.web_posting import ajax_answer, refusal, script

# credit id → (name, least, most, daily total)
CREDITS = {1: ("威望", -1, 1, 5), 2: ("金钱", -5, 5, 30)}
REASONS = ("很给力!", "神马都是浮云", "赞一个!", "山寨", "淡定")
_RATINGS = """CREATE TABLE IF NOT EXISTS ratings(
    pid INTEGER NOT NULL, uid INTEGER NOT NULL, username TEXT NOT NULL, credit INTEGER NOT NULL,
    score INTEGER NOT NULL, reason TEXT NOT NULL, dateline INTEGER NOT NULL)"""
_SAID = {
    "to_login": "抱歉，您尚未登录，无法进行此操作",
    "post_nonexistence": "抱歉，指定的帖子不存在或已被删除",
    "rate_self": "抱歉，您不能给自己发表的帖子评分",
    "rate_repeat": "抱歉，您不能对同一个帖子重复评分",
    "rate_none": "抱歉，您没有选择评分分值",
    "rate_range": "抱歉，您的评分超过了允许的范围",
    "rate_daily": "抱歉，您今天的{credit}评分额度不足",
    "submit_invalid": "抱歉，您的请求来路不正确或表单验证串不符，无法提交",
}


def _left_today(site: DemoSite, uid: int, credit: int) -> int:
    used = site.store.value(
        "SELECT COALESCE(SUM(ABS(score)), 0) FROM ratings WHERE uid = ? AND credit = ? AND dateline >= ?",
        uid,
        credit,
        today_start(site.now()),
    )
    return CREDITS[credit][3] - int(used or 0)


def _problem(site: DemoSite, visitor: Visitor, post: sqlite3.Row | None) -> str:
    if not visitor.uid:
        return "to_login"
    if post is None:
        return "post_nonexistence"
    if post["authorid"] == visitor.uid:
        return "rate_self"
    if site.store.one("SELECT 1 FROM ratings WHERE pid = ? AND uid = ?", post["pid"], visitor.uid):
        return "rate_repeat"
    return ""


def _form(site: DemoSite, visitor: Visitor, post: sqlite3.Row) -> Response:
    rows = "".join(
        f'<tr><td>{name}</td><td><input type="text" name="score{credit}" id="score{credit}" class="px z" '
        f'value="0" /></td><td>{least} ~ {most}</td><td>{_left_today(site, visitor.uid, credit)}</td></tr>'
        for credit, (name, least, most, _) in CREDITS.items()
    )
    reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in REASONS)
    return ajax_answer(
        '<h3 class="flb"><em id="return_rate">评分</em></h3>'
        '<form id="rateform" method="post" autocomplete="off" '
        'action="forum.php?mod=misc&amp;action=rate&amp;ratesubmit=yes&amp;infloat=yes">'
        f'<input type="hidden" name="formhash" value="{visitor.formhash}" />'
        f'<input type="hidden" name="tid" value="{post["tid"]}" /><input type="hidden" name="pid" '
        f'value="{post["pid"]}" /><input type="hidden" name="referer" value="" />'
        '<input type="hidden" name="handlekey" value="rate" />'
        '<table cellspacing="0" cellpadding="0" class="dt mbm"><tr><th>&nbsp;</th><th>&nbsp;</th>'
        f"<th>评分区间</th><th>今日剩余</th></tr>{rows}</table>"
        '<textarea name="reason" id="reason" class="pt" rows="4"></textarea>'
        f'<ul id="reasonselect" class="reasonselect pbn">{reasons}</ul></form>'
    )


def _save(site: DemoSite, request: Request, visitor: Visitor, post: sqlite3.Row) -> Response:
    if request.arg("formhash") != visitor.formhash:
        return refusal(_SAID["submit_invalid"])
    scores = {credit: request.int_arg(f"score{credit}") for credit in CREDITS}
    if not any(scores.values()):
        return refusal(_SAID["rate_none"])
    for credit, score in scores.items():
        name, least, most, _ = CREDITS[credit]
        if not least <= score <= most:
            return refusal(_SAID["rate_range"])
        if abs(score) > _left_today(site, visitor.uid, credit):
            return refusal(_SAID["rate_daily"].format(credit=name))
    for credit, score in scores.items():
        if score:
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
    return ajax_answer(script("succeedhandle_rate('', '感谢您的参与，现在将转入评分前页面', {});"))


def rate(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """forum.php?mod=misc&action=rate: the form (GET) or its submit (POST, ratesubmit=yes)."""
    site.store.run(_RATINGS)
    post = site.store.one(
        "SELECT * FROM posts WHERE pid = ? AND tid = ?", request.int_arg("pid"), request.int_arg("tid")
    )
    problem = _problem(site, visitor, post)
    if problem:
        return refusal(_SAID[problem])
    assert post is not None
    if request.method == "POST" and request.arg("ratesubmit") == "yes":
        return _save(site, request, visitor, post)
    return _form(site, visitor, post)


def view_ratings(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """forum.php?mod=misc&action=viewratings: everyone's ratings of one floor."""
    site.store.run(_RATINGS)
    rows = site.store.all(
        "SELECT * FROM ratings WHERE pid = ? ORDER BY dateline, rowid", request.int_arg("pid")
    )
    listed = "".join(
        f"<tr><td>{CREDITS[row['credit']][0]} {row['score']:+d}</td>"
        f'<td><a href="home.php?mod=space&amp;uid={row["uid"]}">{html.escape(row["username"])}</a></td>'
        f"<td>{full_date(row['dateline'])}</td><td>{html.escape(row['reason'])}</td></tr>"
        for row in rows
    )
    return ajax_answer(
        '<h3 class="flb"><em>查看全部评分</em></h3><table class="list" cellspacing="0" cellpadding="0">'
        f"<tr><th>积分</th><th>用户名</th><th>时间</th><th>理由</th></tr>{listed}</table>"
    )
