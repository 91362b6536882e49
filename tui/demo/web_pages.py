"""The desktop reading pages (forum.php: the board list, a board's threads, a thread), shaped like X3.5's.

Each page is built from the same data the mobile API module answers with (its ``Variables``),
so a client reading the web pages sees exactly what an API client sees; only the wrapping is
the default template's: the header with the member menu or the quick log-in form, the
``#pt`` breadcrumb, ``div#category_N`` board tables, ``tbody#normalthread_N`` rows,
``div#post_N`` floors with ``#postmessage_N``, the ``div.pg`` pager and the forms (search,
quick reply, poll) with their hidden ``formhash``. Refusals are the ``showmessage`` page
(提示信息) with ``#messagetext``, plus ``#messagelogin`` when logging in would help.
"""

from __future__ import annotations

import html
import json
import math
import re
import sqlite3
from typing import Any

from tui.demo import members, mobile, ratelog
from tui.demo.dates import full_date, relative_date
from tui.demo.exchange import Request, Response
from tui.demo.mobile.envelope import Call
from tui.demo.mobile.forums import sticky_threads
from tui.demo.site import DemoSite, Visitor

POSTS_PER_PAGE = 10
THREADS_PER_PAGE = 20
FLOOR_NAMES = {1: "楼主", 2: "沙发", 3: "板凳", 4: "地板"}
_STICKY_TITLES = {1: "本版置顶主题", 2: "分类置顶主题", 3: "全局置顶主题"}
_NEW_MARK = ' class="new"'
_LOGIN_SLOT = '<div id="messagelogin"></div>'
_ROW_CLASS = ' class="fl_row"'
_LOGIN_FIRST = ("to_login", "viewperm_login_nopermission", "replyperm_login_nopermission", "postperm_login")
# What the desktop pages say for the message keys the API reports (zh-CN language pack wording).
MESSAGES = {
    "forum_nonexistence": "抱歉，指定的版块不存在",
    "thread_nonexistence": "抱歉，指定的主题不存在或已被删除或正在被审核",
    "viewperm_login_nopermission": "抱歉，您尚未登录，没有权限访问该版块",
    "replyperm_login_nopermission": "抱歉，您尚未登录，没有权限在该版块回帖",
    "postperm_login_nopermission_mobile": "抱歉，您尚未登录，没有权限在该版块发帖",
    "post_thread_closed": "抱歉，本主题已关闭，不再接受新内容",
    "post_flood_ctrl": "抱歉，您两次发表间隔少于 {flood} 秒，请稍候再发表",
    "post_message_tooshort": "抱歉，您的帖子小于 {minimum} 个字符的限制",
    "post_message_toolong": "抱歉，您的帖子超过 10000 个字符的限制",
    "post_sm_isnull": "抱歉，您尚未输入标题或内容",
    "post_subject_toolong": "抱歉，您的标题超过 80 个字符",
    "submit_seccode_invalid": "抱歉，验证码填写错误",
    "submit_secqaa_invalid": "抱歉，验证问答回答错误",
    "submit_invalid": "抱歉，您的请求来路不正确或表单验证串不符，无法提交",
    "undefined_action": "未定义操作",
    "to_login": "您需要先登录才能继续本操作",
    "thread_poll_succeed": "投票成功",
    "thread_poll_voted": "抱歉，您已经投过票了",
    "thread_poll_none": "抱歉，该主题没有投票",
    "thread_poll_invalid": "抱歉，请选择投票选项",
    "poll_overdue": "抱歉，投票已经结束",
    "poll_choose_most": "抱歉，您选择的选项超过了投票允许的数目",
    "post_reply_succeed": "非常感谢，回复发布成功，现在将转入主题页，请稍候……[ 点击这里转入主题列表 ]",
    "post_newthread_succeed": "非常感谢，您的主题已发布，现在将转入主题页，请稍候……[ 点击这里转入主题列表 ]",
    "post_edit_nopermission": "抱歉，您没有权限编辑他人发表的帖子",
    "post_edit_timelimit": "抱歉，您的帖子从发表到现在已超过 {edit_minutes} 分钟，不能再进行编辑",
    "post_nonexistence": "帖子不存在",
    "post_edit_succeed": "帖子编辑成功，现在将转入主题页，请稍候……[ 点击这里转入主题列表 ]",
}


def api_answer(
    site: DemoSite, request: Request, visitor: Visitor, module: str, version: int = 4
) -> tuple[dict[str, Any], str]:
    """(Variables, bare message key) of what the mobile API module would answer this request."""
    handler = mobile.MODULES[module][0]
    body = json.loads(handler(Call(site, request, visitor, version)).body)
    message = (body.get("Message") or {}).get("messageval", "")
    return body.get("Variables") or {}, message.split("//")[0]


def message_text(site: DemoSite, key: str) -> str:
    """The page's sentence for a message key (the key itself for one the demo never words)."""
    return MESSAGES.get(key, key).format(
        flood=site.settings.flood_seconds,
        minimum=site.settings.min_message_length,
        edit_minutes=site.settings.edit_minutes,
    )


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def _member_menu(site: DemoSite, visitor: Visitor, *, quick_login: bool) -> str:
    """The header's right side: who is logged in (with unread marks), or the quick log-in form."""
    if not visitor.uid and not quick_login:
        return ""
    if not visitor.uid:
        return (
            '<form method="post" autocomplete="off" id="lsform" action="member.php?mod=logging&amp;'
            'action=login&amp;loginsubmit=yes&amp;infloat=yes&amp;lssubmit=yes">'
            '<input type="text" name="username" id="ls_username" class="px vm" />'
            '<input type="password" name="password" id="ls_password" class="px vm" />'
            '<input type="hidden" name="quickforward" value="yes" /><input type="hidden" name="handlekey" '
            'value="ls" /></form>'
        )
    store = site.store
    prompts = store.value("SELECT COUNT(*) FROM notices WHERE uid = ? AND is_new = 1", visitor.uid)
    pms = store.value("SELECT COUNT(*) FROM pms WHERE to_uid = ? AND is_new = 1", visitor.uid)
    return (
        f'<div id="um"><p><strong class="vwmy"><a href="home.php?mod=space&amp;uid={visitor.uid}" '
        f'target="_blank" title="访问我的空间">{_escape(visitor.username)}</a></strong>'
        f'<span class="pipe">|</span><a href="home.php?mod=space&amp;do=pm" id="pm_ntc"'
        f'{_NEW_MARK if pms else ""}>消息</a><span class="pipe">|</span>'
        '<a href="home.php?mod=space&amp;do=notice" id="myprompt" class="a '
        f'showmenu{" new" if prompts else ""}">'
        f'提醒{f"({prompts})" if prompts else ""}</a><span class="pipe">|</span>'
        f'<a href="member.php?mod=logging&amp;action=logout&amp;formhash={visitor.formhash}">'
        "退出</a></p></div>"
    )


def layout(
    site: DemoSite,
    request: Request,
    visitor: Visitor,
    title: str,
    crumbs: str | None,
    content: str,
    *,
    quick_login: bool = True,
) -> Response:
    """A whole page in the default template's frame.

    ``crumbs`` follow 首页 » 论坛 in the ``#pt`` breadcrumb (None: a page without one, like a
    message); ``quick_login`` False leaves the header's log-in form off (the log-in page itself).
    """
    name = _escape(site.store.setting("sitename"))
    where = request.arg("mod") or "index"
    breadcrumb = (
        ""
        if crumbs is None
        else f'<div id="pt" class="bm cl"><div class="z"><a href="./" class="nvhm" title="首页">{name}</a>'
        f'<em>&raquo;</em><a href="forum.php">论坛</a>{crumbs}</div></div>\n'
    )
    body = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8" />\n'
        f"<title>{_escape(title)} - {name} - Powered by Discuz!</title>\n</head>\n"
        f'<body id="nv_forum" class="pg_{_escape(where)}">\n<div id="toptb" class="cl"><div class="wp"></div>'
        "</div>\n"
        f'<div id="hd"><div class="wp"><div class="hdc cl"><h2><a href="./" title="{name}">{name}</a></h2>'
        f"{_member_menu(site, visitor, quick_login=quick_login)}</div>\n"
        '<div id="scbar" class="cl"><form id="scbar_form" method="post" autocomplete="off" '
        'action="search.php?searchsubmit=yes" target="_blank"><input type="hidden" name="mod" '
        f'id="scbar_mod" value="search" /><input type="hidden" name="formhash" value="{visitor.formhash}" />'
        '<input type="hidden" name="srchtype" value="title" /><input type="hidden" name="srhfid" value="" />'
        f'<input type="hidden" name="srhlocality" value="forum::{_escape(where)}" />'
        '<input type="text" name="srchtxt" id="scbar_txt" value="请输入搜索内容" autocomplete="off" />'
        "</form></div></div></div>\n"
        f'<div id="wp" class="wp">\n{breadcrumb}{content}\n</div>\n'
        f'<div id="ft" class="wp cl"><div id="flk" class="y"><p><a href="archiver/">Archiver</a>'
        f'<span class="pipe">|</span><strong><a href="{_escape(request.base_url)}" target="_blank">{name}'
        f'</a></strong></p><p class="xs0">GMT+8, {full_date(site.now())}</p></div>'
        '<div id="frt"><p>Powered by <strong><a href="https://www.discuz.vip/" '
        'target="_blank">Discuz!</a></strong> <em>X3.5</em></p></div></div>\n</body>\n</html>\n'
    )
    return Response.html(body)


def message_page(site: DemoSite, request: Request, visitor: Visitor, key: str) -> Response:
    """The ``showmessage`` page for a refusal, with the log-in slot when logging in would help."""
    login = key.startswith(_LOGIN_FIRST) and not visitor.uid
    content = (
        '<div id="ct" class="wp cl w"><div class="nfl" id="main_message"><div class="f_c altw">'
        f'<div id="messagetext" class="{"alert_info" if login else "alert_error"}">'
        f"<p>{_escape(message_text(site, key))}</p></div>"
        f"{_LOGIN_SLOT if login else ''}</div></div></div>"
    )
    return layout(site, request, visitor, "提示信息", None, content)


def pager(link: str, page: int, pages: int) -> str:
    """The ``div.pg`` pager: first/previous, up to ten page links, the page box, next/last."""
    if pages <= 1:
        return ""
    first, last = max(1, min(page - 4, pages - 9)), min(pages, max(page + 5, 10))
    parts = []
    if first > 1:
        parts.append(f'<a href="{link}&amp;page=1" class="first">1 ...</a>')
    if page > 1:
        parts.append(f'<a href="{link}&amp;page={page - 1}" class="prev">&nbsp;&nbsp;</a>')
    for number in range(first, last + 1):
        parts.append(
            f"<strong>{number}</strong>"
            if number == page
            else f'<a href="{link}&amp;page={number}">{number}</a>'
        )
    if last < pages:
        parts.append(f'<a href="{link}&amp;page={pages}" class="last">... {pages}</a>')
    parts.append(
        f'<label><input type="text" name="custompage" class="px" size="2" title="输入页码，按回车快速跳转" '
        f'value="{page}" /><span title="共 {pages} 页"> / {pages} 页</span></label>'
    )
    if page < pages:
        parts.append(f'<a href="{link}&amp;page={page + 1}" class="nxt">下一页</a>')
    return f'<div class="pg">{"".join(parts)}</div>'


# ----- the board list -------------------------------------------------------------------------


def _last_post_cell(site: DemoSite, fid: int) -> str:
    latest = site.store.one("SELECT * FROM threads WHERE fid = ? ORDER BY lastpost DESC LIMIT 1", fid)
    if latest is None:
        return '<td class="fl_by"><div>从未</div></td>'
    subject = latest["subject"] if len(latest["subject"]) <= 20 else latest["subject"][:20] + " ..."
    return (
        f'<td class="fl_by"><div><a href="forum.php?mod=redirect&amp;tid={latest["tid"]}&amp;goto=lastpost'
        f'#lastpost" class="xi2">{_escape(subject)}</a> <cite><span title="{full_date(latest["lastpost"])}">'
        f'{relative_date(latest["lastpost"], site.now())}</span> <a href="home.php?mod=space&username='
        f'{_escape(latest["lastposter"])}">{_escape(latest["lastposter"])}</a></cite></div></td>'
    )


def _subforum_line(board: dict[str, Any]) -> str:
    """The index's line of a board's sub-boards, as a site with ``subforumsindex`` on shows it."""
    links = ", ".join(
        f'<a href="forum.php?mod=forumdisplay&fid={sub["fid"]}" >{_escape(sub["name"])}</a>'
        for sub in board.get("sublist") or []
    )
    return f"<p>子版块: {links}</p>" if links else ""


def _board_rows(site: DemoSite, boards: list[dict[str, Any]], *, subforums: bool = False) -> str:
    """The rows of a ``table.fl_tb``: icon, name (today's count), description, the sub-boards'
    line when ``subforums``, counts, last post."""
    rows = []
    for index, board in enumerate(boards):
        fid, name = board["fid"], _escape(board["name"])
        today = (
            f'<em class="xw0 xi1" title="今日"> ({board["todayposts"]})</em>'
            if board["todayposts"] != "0"
            else ""
        )
        rows.append(
            f'<tr{_ROW_CLASS if index else ""}><td class="fl_icn"><a href="forum.php?mod=forumdisplay'
            f'&fid={fid}" title="{name}"></a></td><td><h2><a href="forum.php?mod=forumdisplay&fid={fid}">'
            f"{name}"
            f'</a>{today}</h2><p class="xg2">{_escape(board.get("description", ""))}</p>'
            f"{_subforum_line(board) if subforums else ''}</td>"
            f'<td class="fl_i"><span class="xi2">{board["threads"]}</span><span class="xg1"> / '
            f"{board['posts']}</span></td>{_last_post_cell(site, int(fid))}</tr>"
        )
    table = "".join(rows) + '<tr class="fl_row"></tr>'
    return f'<table cellspacing="0" cellpadding="0" class="fl_tb">{table}</table>'


def forum_index(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    variables, _ = api_answer(site, request, visitor, "forumindex")
    boards = {board["fid"]: board for board in variables["forumlist"]}
    listed = site.settings.subforums_on_index
    groups = []
    for group in variables["catlist"]:
        gid = group["fid"]
        rows = _board_rows(site, [boards[fid] for fid in group["forums"] if fid in boards], subforums=listed)
        groups.append(
            f'<div class="bm bmw  cl"><div class="bm_h cl"><span class="o"><em id="category_{gid}_img" '
            f'class="tg_no" title="收起/展开"></em></span><h2><a href="forum.php?gid={gid}">'
            f'{_escape(group["name"])}</a></h2></div><div id="category_{gid}" class="bm_c">'
            f"{rows}</div></div>"
        )
    content = (
        f'<div id="ct" class="wp cl"><div class="mn"><div class="fl bm">{"".join(groups)}</div></div></div>'
    )
    return layout(site, request, visitor, "论坛", "", content)


# ----- a board's thread list --------------------------------------------------------------------


def _thread_row(site: DemoSite, row: dict[str, Any], fid: int) -> str:
    tid, sticky = row["tid"], int(row["displayorder"])
    thread = site.store.one("SELECT closed, highlight FROM threads WHERE tid = ?", int(tid))
    link = f"forum.php?mod=viewthread&amp;tid={tid}&amp;extra=page%3D1"
    closed = thread is not None and thread["closed"] == 1
    # The template's order: a closed thread's lock stands before a poll's or a pin's icon.
    titles = [_STICKY_TITLES.get(sticky, "置顶主题")] if sticky else []
    titles += ["关闭的主题"] if closed else []
    titles += ["投票"] if row["special"] == "1" else []
    title = " - ".join(titles or ["有新回复"])
    if closed:
        icon = "fico-lock fic6 fc-s"
    elif row["special"] == "1":
        icon = "fico-vote fic6 fc-l"
    elif sticky:
        icon = f"tpin tpin{sticky}"
    else:
        icon = "fico-thread fic6 fc-l"
    folder = "lock" if closed else "common" if sticky else "new"
    colour = ' style="color: #EE1B2E;"' if thread is not None and thread["highlight"] else ""
    marks = f'<span class="tbox tdigest">精华{row["digest"]}</span>' if row["digest"] != "0" else ""
    if row["attachment"] == "2":
        marks += '<i class="fico-image fic4 fc-p fnmr vm" title="图片附件"></i>'
    elif row["attachment"] == "1":
        marks += '<i class="fico-attachment fic4 fc-p fnmr vm" title="附件"></i>'
    kind = "stickthread" if sticky and fid else "normalthread"
    return (
        f'<tbody id="{kind}_{tid}"><tr><td class="icn"><a href="{link}" title="{title} - 新窗口打开" '
        f'target="_blank"><i class="{icon}"></i></a></td><th class="{folder}"> '
        f'<a href="{link}" onclick="atarget(this)" class="s xst"{colour}>{row["subject"]}</a>{marks}</th>'
        f'<td class="by"><cite><a href="home.php?mod=space&amp;uid={row["authorid"]}" c="1">'
        f"{_escape(row['author'])}</a></cite><em><span>{row['dateline']}</span></em></td>"
        f'<td class="num"><a href="{link}" class="xi2">{row["replies"]}</a><em>{row["views"]}</em></td>'
        f'<td class="by"><cite><a href="home.php?mod=space&username={_escape(row["lastposter"])}" c="1">'
        f'{_escape(row["lastposter"])}</a></cite><em><a href="forum.php?mod=redirect&tid={tid}&goto=lastpost'
        f'#lastpost">{row["lastpost"]}</a></em></td></tr></tbody>'
    )


def forum_display(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    variables, key = api_answer(site, request, visitor, "forumdisplay")
    if key:
        return message_page(site, request, visitor, key)
    forum, fid = variables["forum"], int(variables["forum"]["fid"])
    threads = int(forum["threadcount"])
    digest = " AND digest > 0" if request.arg("filter") == "digest" or request.int_arg("digest") else ""
    listed = len(sticky_threads(Call(site, request, visitor, 4), fid, digest)) + site.store.value(
        f"SELECT COUNT(*) FROM threads WHERE fid = ? AND displayorder = 0{digest}", fid
    )
    pages = max(math.ceil(listed / THREADS_PER_PAGE), 1)
    page = min(max(request.int_arg("page", 1), 1), pages)
    link = f"forum.php?mod=forumdisplay&fid={fid}"
    rows = variables["forum_threadlist"]
    stickies = [_thread_row(site, row, fid) for row in rows if row["displayorder"] != "0"]
    normal = [_thread_row(site, row, fid) for row in rows if row["displayorder"] == "0"]
    separator = (
        '<tbody id="separatorline"><tr class="ts"><td>&nbsp;</td><th>版块主题</th>'
        "<td>&nbsp;</td><td>&nbsp;</td>"
        "<td>&nbsp;</td></tr></tbody>"
    )
    subforums = ""
    if variables["sublist"]:
        subforums = (
            f'<div class="bm bmw fl"><div class="bm_h cl"><h2>子版块</h2></div><div id="subforum_{fid}" '
            f'class="bm_c">{_board_rows(site, variables["sublist"])}</div></div>'
        )
    new_thread = (
        '<a href="javascript:;" id="newspecial" onclick="showWindow(\'newthread\', '
        f'\'forum.php?mod=post&action=newthread&fid={fid}\')" title="发新帖" '
        'class="pgsbtn showmenu">发新帖</a>'
    )
    quick_thread = _quick_post(
        site,
        visitor,
        f"forum.php?mod=post&amp;action=newthread&amp;fid={fid}&amp;topicsubmit=yes&amp;infloat=yes"
        "&amp;handlekey=fastnewpost",
        new_thread=True,
    )
    content = (
        '<div id="ct" class="wp cl"><div class="mn"><div class="bm bml pbn"><div class="bm_h cl"><h1 '
        'class="xs2">'
        f'<a href="{link}">{_escape(forum["name"])}</a> <span class="xs1 xw0 i">主题: <strong class="xi1">'
        f"{threads}</strong></span></h1></div></div>{subforums}"
        f'<div id="pgt" class="bm bw0 pgs cl">{pager(link, page, pages)}{new_thread}</div>'
        '<div id="threadlist" class="tl bm bmw"><div class="bm_c"><form method="post" autocomplete="off" '
        f'name="moderate" id="moderate" action="forum.php?mod=topicadmin&amp;action=moderate&amp;fid={fid}'
        f'&amp;infloat=yes&amp;nopost=yes"><input type="hidden" name="formhash" value="{visitor.formhash}" />'
        f'<table summary="forum_{fid}" cellspacing="0" cellpadding="0" id="threadlisttableid">'
        f"{''.join(stickies)}{separator}{''.join(normal)}</table></form></div></div>"
        f'<div class="bm bw0 pgs cl">{pager(link, page, pages)}</div>{quick_thread}</div></div>'
    )
    crumbs = f' <em>&rsaquo;</em> <a href="{link}">{_escape(forum["name"])}</a>'
    title = forum["name"] + (f" - 第{page}页" if page > 1 else "")
    return layout(site, request, visitor, title, crumbs, content)


# ----- a thread page ------------------------------------------------------------------------------


def _author_card(site: DemoSite, pid: str, uid: int) -> str:
    """The left column of a floor: name, avatar, thread/post/credit counts and group title."""
    member = site.store.one("SELECT * FROM members WHERE uid = ?", uid)
    if member is None:
        return f'<div id="favatar{pid}" class="pls cl favatar"><div class="pi">游客</div></div>'
    threads = site.store.value("SELECT COUNT(*) FROM threads WHERE authorid = ?", uid)
    posts = site.store.value("SELECT COUNT(*) FROM posts WHERE authorid = ? AND first = 0", uid)
    space = f"home.php?mod=space&amp;uid={uid}"
    return (
        f'<div id="favatar{pid}" class="pls cl favatar"><div class="pi"><div class="authi"><a href="{space}" '
        f'target="_blank" class="xw1">{_escape(member["username"])}</a></div></div><div><div class="avatar">'
        f'<a href="{space}" class="avtm" target="_blank"><img '
        f'src="uc_server/avatar.php?uid={uid}&size=middle" '
        'class="user_avatar"></a></div></div><div class="tns xg2"><table cellspacing="0" cellpadding="0">'
        "<th><p>"
        f'<a href="{space}&amp;do=thread&amp;type=thread" class="xi2">{threads}</a></p>主题</th><th><p>'
        f'<a href="{space}&amp;do=thread&amp;type=reply" class="xi2">{posts}</a></p>回帖</th><td><p>'
        f'<a href="{space}&amp;do=profile" class="xi2">{member["credits"]}</a></p>积分</td></table></div>'
        f'<p><em><a href="home.php?mod=spacecp&amp;ac=usergroup&amp;gid={member["groupid"]}" target="_blank">'
        f"{members.GROUP_TITLES.get(member['groupid'], '注册会员')}</a></em></p></div>"
    )


_MOBILE_IMAGE = re.compile(r'(<br />\n)?<div class="img"><img src="([^"]*)" attach="(\d+)" /></div>')
_MOBILE_FILE = re.compile(
    r'<a href="[^"]*forum\.php\?mod=attachment&amp;aid=(\d+)" target="_blank">([^<]*)</a>'
)


def _desktop_message(post: dict[str, Any]) -> str:
    """The API's message as the desktop page shows it: its mobile-style images become the
    template's lazy ``img[aid][zoomfile]`` (the ones the API lists go to the list below), its
    file links the template's ``span#attach_N`` with size and download count."""
    listed = post.get("attachments") or {}

    def file(found: re.Match[str]) -> str:
        aid, name = found.group(1), found.group(2)
        facts = listed.get(aid)
        size = (
            f' <em class="xg1">({facts["attachsize"]}, 下载次数: {facts["downloads"]})</em>' if facts else ""
        )
        return (
            f'<span id="attach_{aid}"><a href="forum.php?mod=attachment&amp;aid={aid}" target="_blank">'
            f"{name}</a></span>{size}"
        )

    def image(found: re.Match[str]) -> str:
        breaks, url, aid = found.group(1) or "", found.group(2), found.group(3)
        if aid in listed:
            return ""
        return (
            f'{breaks}<ignore_js_op><img id="aimg_{aid}" aid="{aid}" src="static/image/common/none.gif" '
            f'zoomfile="{url}" file="{url}" class="zoom" inpost="1" /></ignore_js_op>'
        )

    return _MOBILE_FILE.sub(file, _MOBILE_IMAGE.sub(image, post["message"]))


def _attachment_list(post: dict[str, Any], message: str) -> str:
    """``div.pattl``: the files below a floor that its message does not show inline (images
    with ``zoomfile``, others as download links)."""
    items = []
    listed = post.get("attachments") or {}
    for aid, facts in listed.items():
        if f'id="attach_{aid}"' in message:
            continue
        name, size = _escape(facts["filename"]), f"{facts['attachsize']}, 下载次数: {facts['downloads']}"
        if facts["isimage"] == "1":
            file = f"data/attachment/forum/{_escape(facts['attachment'])}"
            items.append(
                f'<ignore_js_op><dl class="tattl attm"><dd><p class="mbn"><strong>{name}</strong> '
                f'<em class="xg1">({size})</em></p><div class="mbn savephotop"><img id="aimg_{aid}" '
                f'aid="{aid}" '
                f'src="static/image/common/none.gif" zoomfile="{file}" file="{file}" class="zoom" inpost="1" '
                f'alt="{name}" title="{name}" /></div></dd></dl></ignore_js_op>'
            )
        else:
            items.append(
                f'<ignore_js_op><dl class="tattl"><dd><p class="attnm"><a href="forum.php?mod=attachment&amp;'
                f'aid={aid}" id="aid{aid}" target="_blank">{name}</a></p><p>{size}</p></dd></dl>'
                "</ignore_js_op>"
            )
    return f'<div class="pattl">{"".join(items)}</div>' if items else ""


def _poll_form(site: DemoSite, visitor: Visitor, thread: sqlite3.Row, poll: dict[str, Any]) -> str:
    """The poll under the first floor: choices when the visitor may vote, results for members."""
    multiple = poll["multiple"] == "1"
    kind = "checkbox" if multiple else "radio"
    rows = []
    for index, option in enumerate(poll["polloptions"].values(), start=1):
        choice = (
            f'<input class="pr" type="{kind}" id="option_{index}" name="pollanswers[]" '
            f'value="{option["polloptionid"]}" />'
            if poll["allowvote"] == "1"
            else ""
        )
        result = f"<em>{float(option['percent']):.2f}%</em> ({option['votes']})" if visitor.uid else ""
        rows.append(
            f'<tr class="ptl"><td class="pslt">{choice}</td><td class="pvt"><label for="option_{index}">'
            f'{index}. &nbsp;{option["polloption"]}</label></td><td class="pvts">{result}</td></tr>'
        )
    heading = f"多选投票</strong>, 最多可选 {poll['maxchoices']} 项" if multiple else "单选投票</strong>"
    submit = (
        '<button class="pn" type="submit" name="pollsubmit" id="pollsubmit" value="true">'
        "<strong>提交</strong>"
        "</button>"
        if poll["allowvote"] == "1"
        else ""
    )
    return (
        f'<form id="poll" name="poll" method="post" autocomplete="off" action="forum.php?mod=misc&amp;'
        f'action=votepoll&amp;fid={thread["fid"]}&amp;tid={thread["tid"]}&amp;pollsubmit=yes&amp;quickforward=yes">'
        f'<input type="hidden" name="formhash" value="{visitor.formhash}" /><div class="pinf"><strong>'
        f"{heading}, "
        f"共有 {poll['voterscount']} 人参与投票</div>"
        '<div class="pcht"><table summary="poll panel" cellspacing="0" '
        f'cellpadding="0" width="100%">{"".join(rows)}</table></div>{submit}</form>'
    )


def shown_date(site: DemoSite, epoch: int) -> str:
    """A date as pages show it: recent ones relative, the full date in the span's title."""
    shown, full = relative_date(epoch, site.now()), full_date(epoch)
    return full if shown == full else f'<span title="{full}">{shown}</span>'


def _floor(
    site: DemoSite, visitor: Visitor, thread: sqlite3.Row, post: dict[str, Any], page: int, poll: str
) -> str:
    pid, number, tid = post["pid"], int(post["number"]), thread["tid"]
    shown = FLOOR_NAMES.get(number, f"<em>{number}</em><sup>#</sup>")
    message = _desktop_message(post)
    when = int(post["dbdateline"])
    return (
        f'<div id="post_{pid}" ><table id="pid{pid}" class="plhin" summary="pid{pid}" cellspacing="0" '
        'cellpadding="0"><tr><td class="pls" rowspan="2">'
        f"{_author_card(site, pid, int(post['authorid']))}</td>"
        f'<td class="plc"><div class="pi"><strong><a href="forum.php?mod=redirect&goto=findpost&ptid={tid}'
        f'&pid={pid}" id="postnum{pid}">{shown}</a></strong><div class="pti"><div class="authi">'
        f'<em id="authorposton{pid}">发表于 <span title="{full_date(when)}">'
        f'{relative_date(when, site.now())}</span></em><span class="pipe">|</span>'
        f'<a href="forum.php?mod=viewthread&amp;tid={tid}&amp;page=1&amp;authorid={post["authorid"]}" '
        'rel="nofollow">只看该作者</a>'
        '</div></div></div><div class="pct"><div class="pcb"><div class="t_fsz">'
        f'<table cellspacing="0" cellpadding="0"><tr><td class="t_f" id="postmessage_{pid}">{message}</td>'
        "</tr>"
        f"</table>{_attachment_list(post, message)}</div>{poll}{ratelog.floor_block(site, tid, int(pid))}"
        "</div></div></td></tr>"
        f'<tr><td class="plc plm"></td></tr><tr id="_postposition{pid}"></tr><tr><td class="pls"></td>'
        '<td class="plc" style="overflow:visible;"><div class="po hin"><div class="pob cl"><em><a '
        'class="fastre" '
        f'href="forum.php?mod=post&amp;action=reply&amp;fid={thread["fid"]}&amp;tid={tid}&amp;repquote={pid}'
        f'&amp;extra=&amp;page={page}" onclick="showWindow(\'reply\', this.href)">回复</a></em></div></div>'
        "</td></tr></table></div>"
    )


def _quick_post(
    site: DemoSite, visitor: Visitor, action: str, *, new_thread: bool, closed: bool = False
) -> str:
    """``form#fastpostform``: a text box for members (the closed sentence instead in a closed
    thread), a log-in prompt for guests; a board's form (a new thread) has a subject box, a
    thread's (a reply) a blank hidden subject."""
    if new_thread:
        subject = '<input type="text" id="subject" name="subject" class="px" value="" />'
    else:
        subject = '<input type="hidden" name="subject" value="  " />'
    if visitor.uid and closed:
        box = f'<div class="pt hm">{MESSAGES["post_thread_closed"]}</div>'
    elif visitor.uid:
        box = (
            '<textarea rows="6" cols="80" name="message" id="fastpostmessage" class="pt"></textarea>'
            f'<input type="hidden" name="posttime" id="posttime" value="{site.now()}" />'
        )
    else:
        box = (
            '<div class="pt hm">您需要登录后才可以发帖 <a href="member.php?mod=logging&amp;action=login" '
            'class="xi2">登录</a></div>'
        )
    return (
        f'<div id="f_pst" class="bm"><form method="post" autocomplete="off" id="fastpostform" '
        f'action="{action}">{subject}{box}<input type="hidden" name="formhash" value="{visitor.formhash}" />'
        f'<input type="hidden" name="usesig" value="{1 if visitor.uid else ""}" /></form></div>'
    )


def view_thread(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    variables, key = api_answer(site, request, visitor, "viewthread", version=1)
    if key:
        return message_page(site, request, visitor, key)
    thread = site.store.one("SELECT * FROM threads WHERE tid = ?", request.int_arg("tid"))
    forum = site.store.one("SELECT * FROM forums WHERE fid = ?", thread["fid"])
    author_id = request.int_arg("authorid")
    total = (
        site.store.value(
            "SELECT COUNT(*) FROM posts WHERE tid = ? AND authorid = ?", thread["tid"], author_id
        )
        if author_id
        else thread["replies"] + 1
    )
    pages = max(math.ceil(total / POSTS_PER_PAGE), 1)
    page = min(max(request.int_arg("page", 1), 1), pages)
    link = f"forum.php?mod=viewthread&tid={thread['tid']}&amp;extra="
    if author_id:
        link += f"&amp;authorid={author_id}"
    if request.arg("ordertype") == "1":
        link += "&amp;ordertype=1"
    poll = variables.get("special_poll")
    floors = "".join(
        _floor(
            site,
            visitor,
            thread,
            post,
            page,
            _poll_form(site, visitor, thread, poll) if poll and post["first"] == "1" else "",
        )
        for post in variables["postlist"]
    )
    reply = (
        '<a id="post_reply" onclick="showWindow(\'reply\', '
        f"'forum.php?mod=post&action=reply&fid={thread['fid']}"
        f'&tid={thread["tid"]}\')" href="javascript:;" title="回复">回复</a>'
        if visitor.uid and not thread["closed"]
        else ""
    )
    quick_reply = _quick_post(
        site,
        visitor,
        f"forum.php?mod=post&amp;action=reply&amp;fid={thread['fid']}&amp;tid={thread['tid']}&amp;extra="
        "&amp;replysubmit=yes&amp;infloat=yes&amp;handlekey=fastpost",
        new_thread=False,
        closed=bool(thread["closed"]),
    )
    lock = '&nbsp;<i class="fico-lock fc-s" title="关闭"></i>' if thread["closed"] == 1 else ""
    content = (
        '<div id="ct" class="wp cl"><div id="pgt" class="pgs mbm cl ">'
        f"{pager(link, page, pages)}{reply}</div>"
        '<div id="postlist" class="pl bm"><table cellspacing="0" cellpadding="0"><tr><td class="pls ptn pbn">'
        f'<div class="hm ptn"><span class="xg1">查看:</span> <span class="xi1">{thread["views"]}</span>'
        '<span class="pipe">|</span><span class="xg1">回复:</span> <span class="xi1">'
        f"{thread['replies']}</span>"
        '</div></td><td class="plc ptm pbn vwthd"><h1 class="ts"><span id="thread_subject">'
        f"{_escape(thread['subject'])}</span></h1><span class=\"xg1\">{lock}"
        f'<a href="forum.php?mod=viewthread&amp;tid={thread["tid"]}">[复制链接]</a></span>'
        f"</td></tr></table>{floors}</div>"
        f'<div class="pgs mtm mbm cl">{pager(link, page, pages)}</div>'
        f"{quick_reply}</div>"
    )
    crumbs = (
        f' <em>&rsaquo;</em> <a href="forum.php?mod=forumdisplay&amp;fid={forum["fid"]}">'
        f"{_escape(forum['name'])}</a>"
        f' <em>&rsaquo;</em> <a href="forum.php?mod=viewthread&amp;tid={thread["tid"]}">'
        f"{_escape(thread['subject'])}</a>"
    )
    title = thread["subject"] + (f" - 第{page}页" if page > 1 else "") + f" - {forum['name']}"
    return layout(site, request, visitor, title, crumbs, content)
