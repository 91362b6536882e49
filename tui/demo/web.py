"""The desktop pages a client reads: findpost redirects, the AJAX web log-in, files and images."""

from __future__ import annotations

import base64
import html
import math
import re
import secrets
from urllib.parse import quote, urlsplit

from tui.content.bbcode import SMILEY_NAMES
from tui.demo import web_pages
from tui.demo.exchange import Request, Response
from tui.demo.images import gradient_png, smiley_png, text_png
from tui.demo.site import CAPTCHA_ANSWER, SECQAA_QUESTION, DemoSite, Visitor
from tui.demo.web_posting import ajax_answer, js_string

DESKTOP_PPP = 10
_WEB_MESSAGES = {
    "login_strike": "密码错误次数过多，请 15 分钟后重新登录",
    "submit_seccode_invalid": "验证码填写错误",
    "profile_passwd_illegal": "请输入用户名和密码",
    "login_question_empty": "请选择安全提问以及填写正确的答案",
}
_SMILEY = smiley_png()


def _page(title: str, body: str, status: int = 200) -> Response:
    return Response.html(
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8" '
        f"/><title>{html.escape(title)} - Powered by Discuz!"
        f"</title></head><body>{body}</body></html>\n",
        status,
    )


def _message_page(text: str, status: int = 200) -> Response:
    return _page("提示信息", f'<div id="messagetext"><p>{html.escape(text)}</p></div>', status)


def findpost(site: DemoSite, request: Request) -> Response:
    """301 to the page holding a post, like forum.php?mod=redirect&goto=findpost."""
    post = site.store.one("SELECT tid, position FROM posts WHERE pid = ?", request.int_arg("pid"))
    if post is None:
        return _message_page("抱歉，指定的帖子不存在或已被删除", 404)
    page = math.ceil(post["position"] / DESKTOP_PPP)
    location = f"forum.php?mod=viewthread&tid={post['tid']}&page={page}#pid{request.int_arg('pid')}"
    return Response(301, b"", "text/html; charset=utf-8", [("Location", location)])


def lastpost(site: DemoSite, request: Request) -> Response:
    thread = site.store.one("SELECT tid, maxposition FROM threads WHERE tid = ?", request.int_arg("tid"))
    if thread is None:
        return _message_page("抱歉，指定的主题不存在或已被删除", 404)
    last = site.store.one("SELECT pid FROM posts WHERE tid = ? ORDER BY position DESC LIMIT 1", thread["tid"])
    page = max(math.ceil(thread["maxposition"] / DESKTOP_PPP), 1)
    location = f"forum.php?mod=viewthread&tid={thread['tid']}&page={page}#pid{last['pid']}"
    return Response(301, b"", "text/html; charset=utf-8", [("Location", location)])


def _attachment_id(value: str) -> int:
    """An aid as a plain number or Discuz's base64 'aid|hash|time|uid|tid' form."""
    if value.isdigit():
        return int(value)
    try:
        return int(base64.b64decode(value + "==").decode().split("|")[0])
    except ValueError:
        return 0


def attachment(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    row = site.store.one(
        "SELECT a.*, f.members_only FROM attachments a JOIN threads t ON t.tid = a.tid"
        " JOIN forums f ON f.fid = t.fid WHERE a.aid = ?",
        _attachment_id(request.arg("aid")),
    )
    if row is None:
        return _message_page("抱歉，指定的附件不存在", 404)
    if row["members_only"] and not visitor.uid:
        return _message_page("抱歉，您需要登录后才能下载附件")
    site.store.run("UPDATE attachments SET downloads = downloads + 1 WHERE aid = ?", row["aid"])
    kind = "image/png" if row["isimage"] else "application/octet-stream"
    disposition = (
        f"attachment; filename=\"{quote(row['filename'])}\"; filename*=UTF-8''{quote(row['filename'])}"
    )
    return Response(200, row["data"], kind, [("Content-Disposition", disposition)])


def attachment_file(site: DemoSite, path: str) -> Response:
    row = site.store.one("SELECT data, isimage FROM attachments WHERE path = ?", path)
    if row is None:
        return Response(404, b"Not Found", "text/plain")
    return Response(200, row["data"], "image/png" if row["isimage"] else "application/octet-stream")


def _login_form(site: DemoSite, request: Request, visitor: Visitor) -> str:
    """``form[name=login]`` as X3.5 draws it: hidden formhash and referer, the question, the
    "stay logged in" box and, while the log-in captcha rule is on, the ``span#seccode_<id>`` slot."""
    loginhash = "L" + secrets.token_hex(2)
    handle = "&amp;handlekey=login" if request.arg("inajax") else ""
    captcha = f'<span id="seccode_{site.new_sechash()}"></span>' if site.settings.login_captcha else ""
    questions = "".join(f'<option value="{number}">{number}</option>' for number in range(8))
    return (
        f'<form method="post" autocomplete="off" name="login" id="loginform_{loginhash}" class="cl" '
        f'action="member.php?mod=logging&amp;action=login&amp;loginsubmit=yes{handle}&amp;loginhash={loginhash}">'
        f'<input type="hidden" name="formhash" value="{visitor.formhash}" />'
        f'<input type="hidden" name="referer" value="{html.escape(request.base_url)}./" />'
        '<select name="loginfield"><option value="username">用户名</option>'
        '<option value="email">Email</option></select>'
        '<input type="text" name="username" autocomplete="off" size="30" class="px p_fre" value="" />'
        '<input type="password" name="password" size="30" class="px p_fre" />'
        f'<select name="questionid">{questions}</select>'
        f'<input type="text" name="answer" autocomplete="off" size="30" class="px p_fre" />{captcha}'
        '<input type="checkbox" class="pc" name="cookietime" value="2592000" /></form>'
    )


def web_login(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """member.php?mod=logging&action=login: the form (GET) or the AJAX submit (POST)."""
    if request.method != "POST" or request.arg("loginsubmit") != "yes":
        form = _login_form(site, request, visitor)
        if request.arg("inajax"):
            return ajax_answer(form)
        content = f'<div id="ct" class="ptm wp w cl"><div class="mn">{form}</div></div>'
        return web_pages.layout(site, request, visitor, "登录", None, content, quick_login=False)
    outcome = site.attempt_login(request, visitor)
    if outcome.member is None:
        if outcome.messageval == "login_invalid":
            text = (
                f"登录失败，您还可以尝试 {outcome.attempts_left} 次"
                if outcome.attempts_left
                else _WEB_MESSAGES["login_strike"]
            )
        else:
            text = _WEB_MESSAGES.get(outcome.messageval, outcome.messageval)
        return ajax_answer(
            f'{text}<script type="text/javascript" reload="1">errorhandle_login(\'{text}\', {{}});</script>'
        )
    member_visitor = site.make_visitor(visitor.saltkey, visitor.fresh_saltkey, outcome.member)
    name = html.escape(member_visitor.username)
    response = ajax_answer(
        f'<script type="text/javascript" reload="1">succeedhandle_login(\'./\', '
        f"'欢迎您回来，{name}', {{'username':'{name}','uid':'{member_visitor.uid}'}});</script>"
    )
    response.cookies.extend(site.login_cookies(member_visitor))
    return response


def captcha_image(request: Request) -> Response:
    """misc.php?mod=seccode: the captcha picture, refused without a Referer like the real one."""
    if not request.headers.get("referer"):
        return Response.html("Access Denied")
    return Response(200, text_png(CAPTCHA_ANSWER), "image/png")


def secqaa_script(site: DemoSite, request: Request) -> Response:
    """misc.php?mod=secqaa&action=update: a script that fills the form's ``span#secqaa_<idhash>``
    with an answer box and the question (the string between ``sectplcode[2]`` and ``[3]``), and
    makes the question for that slot; refused without a Referer from this host, as the real one.
    It answers in the site's charset without naming it."""
    referer, idhash = request.headers.get("referer", ""), request.arg("idhash")
    if urlsplit(referer).netloc != request.headers.get("host") or not re.fullmatch(r"\w+", idhash):
        return Response.html("Access Denied")
    site.issue_sechash(idhash)
    slot = f"secqaa_{idhash}"
    box = (
        f'<input name="secqaahash" type="hidden" value="{idhash}" /><input name="secanswer" '
        f'id="secqaaverify_{idhash}" type="text" autocomplete="off" class="txt px vm" />'
    )
    script = (
        f"if($('{slot}')) {{\n\tvar sectplcode = Array('<br />', ': ', '<br />', '');\n"
        f"\tvar string = {js_string(box)} + sectplcode[0] + '验证问答' + sectplcode[1] + sectplcode[2] + "
        f"{js_string(SECQAA_QUESTION)} + sectplcode[3];\n\t$('{slot}').innerHTML = string;\n}}\n"
    )
    return Response(200, script.encode(site.settings.charset, "xmlcharrefreplace"), "application/javascript")


def web_logout(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    if request.arg("formhash") != visitor.formhash:
        return _message_page("您当前的访问请求当中含有非法字符，已经被系统拒绝")
    response = _message_page("您已退出站点，现在将以游客身份转入退出前页面")
    response.cookies.extend(site.logout_cookies())
    return response


def dispatch(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    path, mod = request.path, request.arg("mod")
    if path == "/forum.php":
        if mod == "redirect" and request.arg("goto") == "findpost":
            return findpost(site, request)
        if mod == "redirect" and request.arg("goto") == "lastpost":
            return lastpost(site, request)
        if mod == "attachment":
            return attachment(site, request, visitor)
    if path == "/member.php" and mod == "logging":
        if request.arg("action") == "login":
            return web_login(site, request, visitor)
        if request.arg("action") == "logout":
            return web_logout(site, request, visitor)
    if path == "/misc.php" and mod == "seccode":
        return captcha_image(request)
    if path == "/misc.php" and mod == "secqaa" and request.arg("action") == "update":
        return secqaa_script(site, request)
    if path in ("/", "/index.php"):
        return Response(301, b"", "text/html; charset=utf-8", [("Location", "forum.php")])
    if path.startswith("/data/attachment/forum/"):
        return attachment_file(site, path.removeprefix("/data/attachment/forum/"))
    smiley = re.fullmatch(r"/static/image/smiley/default/(\w+)\.gif", path)
    if smiley and smiley.group(1) in SMILEY_NAMES:
        return Response(200, _SMILEY, "image/png", [("Cache-Control", "max-age=86400")])
    if path == "/uc_server/avatar.php":
        shade = (request.int_arg("uid") * 47) % 200
        return Response(200, gradient_png(48, 48, (shade, 120, 200 - shade), (30, 30, 60)), "image/png")
    return Response(404, b"404 Not Found", "text/html; charset=utf-8")
