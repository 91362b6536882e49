"""The demo's web search (``search.php?mod=forum``) and notification page (``home.php?mod=space&do=notice``),
shaped like the real X3.5 pages in the captures.

Search works as Discuz! does: the form (GET, or a POST with the formhash) creates a search id
and answers 302 to its result page; an identical search while its results are kept reuses the
id; a different search by the same member (a guest: the same IP) within ``search_seconds``
gets the "only one search every N seconds" message page. Members may search post bodies too
(a ``srchtype=fulltext`` box on the form); guests search titles only, like the captured group.
"""

from __future__ import annotations

import html
import math
import sqlite3
from urllib.parse import quote

from tui.content import bbcode
from tui.demo.dates import full_date, relative_date
from tui.demo.exchange import Request, Response
from tui.demo.site import DemoSite, Visitor
from tui.demo.web import _message_page, _page

RESULTS_PER_PAGE = 20
MAX_RESULTS = 500
KEEP_SECONDS = 3600  # how long a search id stays valid
SEARCH_SECONDS = 10  # searchctrl: one new search per member (or guest IP) this often
_SEARCHES = """CREATE TABLE IF NOT EXISTS searches(
    searchid INTEGER PRIMARY KEY, owner TEXT NOT NULL, criteria TEXT NOT NULL, keywords TEXT NOT NULL,
    tids TEXT NOT NULL, dateline INTEGER NOT NULL)"""


def _owner(request: Request, visitor: Visitor) -> str:
    return f"uid:{visitor.uid}" if visitor.uid else f"ip:{request.ip}"


def _form(visitor: Visitor, text: str = "") -> str:
    full_text = (
        '<label><input type="checkbox" name="srchtype" value="fulltext" /> 全文</label>'
        if visitor.uid
        else ""
    )
    return (
        '<div id="ct" class="cl w"><div class="mw">'
        '<form class="searchform" method="post" autocomplete="off" action="search.php?mod=forum">'
        f'<input type="hidden" name="formhash" value="{visitor.formhash}" />'
        '<input type="text" id="scform_srchtxt" name="srchtxt" size="45" maxlength="40" '
        f'value="{html.escape(text)}" />'
        f'{full_text}<input type="hidden" name="searchsubmit" value="yes" />'
        '<button type="submit" id="scform_submit" class="schbtn"><strong>搜索</strong></button></form>'
    )


def _boards(request: Request) -> list[str]:
    """``srchfid[]`` from the advanced form, or one ``srchfid`` from a link."""
    return sorted(
        fid for fid in [*request.form.get("srchfid[]", []), request.arg("srchfid")] if fid.isdigit()
    )


def _matching_threads(site: DemoSite, request: Request, visitor: Visitor) -> list[int]:
    """Thread ids the search finds, newest last reply first, as the site's default order."""
    words = request.arg("srchtxt").strip()
    conditions, params = ["1 = 1"], []
    if words:
        pattern = f"%{words}%"
        if visitor.uid and request.arg("srchtype") == "fulltext":
            conditions.append("(t.subject LIKE ? OR t.tid IN (SELECT tid FROM posts WHERE message LIKE ?))")
            params += [pattern, pattern]
        else:
            conditions.append("t.subject LIKE ?")
            params.append(pattern)
    if author := request.arg("srchuname").strip():
        conditions.append("t.tid IN (SELECT tid FROM posts WHERE author = ?)")
        params.append(author)
    boards = [int(fid) for fid in _boards(request)]
    if boards:
        conditions.append(f"t.fid IN ({','.join('?' * len(boards))})")
        params += boards
    if since := request.int_arg("srchfrom"):
        conditions.append("t.lastpost >= ?")
        params.append(site.now() - since)
    rows = site.store.all(
        "SELECT t.tid FROM threads t JOIN forums f ON f.fid = t.fid WHERE "
        + " AND ".join(conditions)
        + ("" if visitor.uid else " AND f.members_only = 0")
        + f" ORDER BY t.lastpost DESC, t.tid DESC LIMIT {MAX_RESULTS}",
        *params,
    )
    return [row["tid"] for row in rows]


def _criteria(request: Request) -> str:
    parts = (request.arg("srchtxt").strip(), request.arg("srchuname").strip(), request.arg("srchtype"))
    return "\x1f".join([*parts, ",".join(_boards(request)), request.arg("srchfrom")])


def _start(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    owner, criteria, now = _owner(request, visitor), _criteria(request), site.now()
    if not criteria.strip("\x1f"):
        return _message_page("请输入搜索关键字")
    kept = site.store.one(
        "SELECT searchid FROM searches WHERE owner = ? AND criteria = ? AND dateline > ?",
        owner,
        criteria,
        now - KEEP_SECONDS,
    )
    if kept is None:
        last = site.store.value("SELECT MAX(dateline) FROM searches WHERE owner = ?", owner)
        if isinstance(last, int) and now - last < SEARCH_SECONDS:
            return _message_page(f"抱歉，您在 {SEARCH_SECONDS} 秒内只能进行一次搜索")
        tids = _matching_threads(site, request, visitor)
        search_id = site.store.run(
            "INSERT INTO searches(owner, criteria, keywords, tids, dateline) VALUES (?, ?, ?, ?, ?)",
            owner,
            criteria,
            request.arg("srchtxt").strip(),
            ",".join(map(str, tids)),
            now,
        )
    else:
        search_id = kept["searchid"]
    location = (
        f"search.php?mod=forum&searchid={search_id}&orderby=lastpost&ascdesc=desc&searchsubmit=yes"
        f"&kw={quote(request.arg('srchtxt').strip())}"
    )
    return Response(302, b"", "text/html; charset=utf-8", [("Location", location)])


def _highlight(text: str, keywords: str) -> str:
    escaped = html.escape(text)
    if not keywords:
        return escaped
    return escaped.replace(
        html.escape(keywords), f'<strong><font color="#ff0000">{html.escape(keywords)}</font></strong>'
    )


def _result_item(site: DemoSite, thread: sqlite3.Row, keywords: str) -> str:
    first = site.store.value("SELECT message FROM posts WHERE tid = ? AND first = 1", thread["tid"])
    link = f"forum.php?mod=viewthread&amp;tid={thread['tid']}&amp;highlight={html.escape(quote(keywords))}"
    return (
        f'<li class="pbw" id="{thread["tid"]}">\n<h3 class="xs3">\n<a href="{link}" target="_blank" >'
        f"{_highlight(thread['subject'], keywords)}</a>\n</h3>\n"
        f'<p class="xg1">{thread["replies"]} 个回复 - {thread["views"]} 次查看</p>\n'
        f"<p>{_highlight(bbcode.plain_text(str(first or ''), 200), keywords)}</p>\n"
        f"<p>\n<span>{full_date(thread['dateline'])}</span>\n -\n<span>\n"
        f'<a href="home.php?mod=space&amp;uid={thread["authorid"]}" target="_blank">'
        f"{html.escape(thread['author'])}</a>\n</span>\n -\n"
        f'<span><a href="forum-{thread["fid"]}-1.html" target="_blank" class="xi1">'
        f"{html.escape(thread['forum'])}</a></span>\n</p>\n</li>"
    )


def _pager(search_id: int, page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    base = (
        f"search.php?mod=forum&searchid={search_id}&orderby=lastpost&ascdesc=desc&searchsubmit=yes&amp;page="
    )
    links = [f'<a href="{base}{page - 1}" class="prev">&nbsp;&nbsp;</a>'] if page > 1 else []
    for number in range(1, pages + 1):
        links.append(
            f"<strong>{number}</strong>" if number == page else f'<a href="{base}{number}">{number}</a>'
        )
    links.append(f'<label><span title="共 {pages} 页"> / {pages} 页</span></label>')
    if page < pages:
        links.append(f'<a href="{base}{page + 1}" class="nxt">下一页</a>')
    return f'<div class="pgs cl mbm"><div class="pg">{"".join(links)}</div></div>'


def _results(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    search = site.store.one(
        "SELECT * FROM searches WHERE searchid = ? AND dateline > ?",
        request.int_arg("searchid"),
        site.now() - KEEP_SECONDS,
    )
    if search is None:
        return _message_page("抱歉，您指定的搜索不存在或已过期")
    tids = [int(tid) for tid in search["tids"].split(",") if tid]
    pages = max(math.ceil(len(tids) / RESULTS_PER_PAGE), 1)
    page = min(max(request.int_arg("page", 1), 1), pages)
    shown = tids[(page - 1) * RESULTS_PER_PAGE : page * RESULTS_PER_PAGE]
    keywords = search["keywords"]
    rows = {
        row["tid"]: row
        for row in site.store.all(
            f"SELECT t.*, f.name AS forum FROM threads t JOIN forums f ON f.fid = t.fid"
            f" WHERE t.tid IN ({','.join('?' * len(shown))})",
            *shown,
        )
    }
    heading = (
        f'结果: <em>找到 “<span class="emfont">{html.escape(keywords)}</span>” 相关内容 {len(tids)} 个</em>'
        if keywords
        else f"结果: <em>找到相关主题 {len(tids)} 个</em>"
    )
    items = "\n".join(_result_item(site, rows[tid], keywords) for tid in shown if tid in rows)
    listing = (
        f'<div class="slst mtw" id="threadlist" ><ul>{items}</ul></div>'
        if items
        else '<p class="emp xs2 xg2">对不起，没有找到匹配结果。</p>'
    )
    body = (
        f"{_form(visitor, keywords)}"
        f'<div class="tl"><div class="sttl mbn"><h2>{heading}</h2></div>{listing}'
        f"{_pager(search['searchid'], page, pages)}</div></div></div>"
    )
    return _page("搜索", body)


def search(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """``search.php?mod=forum``: the form, a new search, or a page of a search's results."""
    site.store.run(_SEARCHES)
    if request.arg("mod", "forum") != "forum":
        return _message_page("抱歉，此搜索功能未开放")
    if request.arg("searchid"):
        return _results(site, request, visitor)
    if request.arg("searchsubmit") == "yes":
        return _start(site, request, visitor)
    return _page("搜索", _form(visitor) + "</div></div>")


def _notice_item(row: sqlite3.Row, now: int) -> str:
    link = f"forum.php?mod=redirect&goto=findpost&ptid={row['tid']}&pid={row['pid']}"
    bold = "color:#000;font-weight:bold;" if row["is_new"] else ""
    author = html.escape(row["author"])
    verb = html.escape(row["note"].removeprefix(row["author"]).removesuffix(row["subject"]).strip())
    return (
        f'<dl class="cl "  notice="{row["id"]}" id="notice_{row["id"]}">\n<dt>\n'
        '<a class="d b" href="home.php?mod=spacecp&amp;ac=common&amp;op=ignore'
        f'&amp;authorid={row["authorid"]}&amp;type={row["type"]}&amp;handlekey=noticeignore" '
        'title="屏蔽">屏蔽</a>\n'
        f'<span class="xg1 xw0"><span title="{full_date(row["dateline"])}">'
        f"{relative_date(row['dateline'], now)}</span></span>\n</dt>\n"
        f'<dd class="ntc_body" style="{bold}">\n'
        f'<a href="home.php?mod=space&uid={row["authorid"]}">{author}</a> '
        f'{verb} <a href="{link}" target="_blank">{html.escape(row["subject"])}</a> &nbsp; '
        f'<a href="{link}" target="_blank" class="lit">查看</a></dd>\n</dl>'
    )


def notice_page(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """``home.php?mod=space&do=notice``: the member's notices, which reading marks read."""
    if not visitor.uid:
        return _message_page("抱歉，您尚未登录，无法进行此操作")
    rows = site.store.all("SELECT * FROM notices WHERE uid = ? ORDER BY dateline DESC, id DESC", visitor.uid)
    site.store.run("UPDATE notices SET is_new = 0 WHERE uid = ?", visitor.uid)
    items = "\n".join(_notice_item(row, site.now()) for row in rows)
    return _page(visitor.username, f'<div class="xld xlda"><div class="nts">{items}</div></div>')
