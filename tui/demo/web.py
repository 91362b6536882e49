"""The desktop pages a client reads: findpost redirects, the AJAX web log-in, files and images."""

from __future__ import annotations

import base64
import html
import math
import re
from urllib.parse import quote

from tui.content.bbcode import SMILEY_NAMES
from tui.demo.exchange import Request, Response
from tui.demo.images import gradient_png, smiley_png
from tui.demo.site import DemoSite, Visitor

DESKTOP_PPP = 10
_WEB_MESSAGES = {
    "login_strike": "密码错误次数过多，请 15 分钟后重新登录",
    "submit_seccode_invalid": "验证码填写错误",
    "profile_passwd_illegal": "请输入用户名和密码",
    "login_question_empty": "请选择安全提问以及填写正确的答案",
}
_SMILEY = smiley_png()


def _xml(text: str) -> Response:
    body = f'<?xml version="1.0" encoding="utf-8"?>\n<root><![CDATA[{text}]]></root>'
    response = Response(200, body.encode(), "text/xml; charset=utf-8")
    response.headers += [("Expires", "-1"), ("Cache-Control", "no-store, private, max-age=0")]
    return response


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


def _seccode_block(site: DemoSite) -> str:
    """The captcha placeholder a log-in form carries when the site checks a captcha there."""
    return f'<span id="seccode_c{site.new_sechash()}"></span>'


def web_login(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """member.php?mod=logging&action=login: the form (GET) or the AJAX submit (POST)."""
    if request.method != "POST" or request.arg("loginsubmit") != "yes":
        form = (
            f'<form method="post" name="login" '
            f'action="member.php?mod=logging&amp;action=login&amp;loginsubmit=yes'
            f'&amp;inajax=1"><input type="hidden" name="formhash" value="{visitor.formhash}" />'
            '<input name="username" /><input type="password" name="password" />'
            '<select name="questionid"><option value="0">安全提问</option></select><input name="answer" />'
            f"{_seccode_block(site) if site.settings.login_captcha else ''}</form>"
        )
        return _xml(form) if request.arg("inajax") else _page("登录", form)
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
        return _xml(
            f'{text}<script type="text/javascript" reload="1">errorhandle_login(\'{text}\', {{}});</script>'
        )
    member_visitor = site.make_visitor(visitor.saltkey, visitor.fresh_saltkey, outcome.member)
    name = html.escape(member_visitor.username)
    response = _xml(
        f'<script type="text/javascript" reload="1">succeedhandle_login(\'./\', '
        f"'欢迎您回来，{name}', {{'username':'{name}','uid':'{member_visitor.uid}'}});</script>"
    )
    response.cookies.extend(site.login_cookies(member_visitor))
    return response


def web_logout(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    if request.arg("formhash") != visitor.formhash:
        return _message_page("您当前的访问请求当中含有非法字符，已经被系统拒绝")
    response = _message_page("您已退出站点，现在将以游客身份转入退出前页面")
    response.cookies.extend(site.logout_cookies())
    return response


def forum_page(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """Minimal desktop pages: enough for a title, the formhash and links back to the API."""
    mod = request.arg("mod")
    if mod == "viewthread":
        thread = site.store.one("SELECT subject FROM threads WHERE tid = ?", request.int_arg("tid"))
        if thread is None:
            return _message_page("抱歉，指定的主题不存在或已被删除或正在被审核")
        return _page(thread["subject"], f'<input type="hidden" name="formhash" value="{visitor.formhash}" />')
    if mod == "forumdisplay":
        forum = site.store.one("SELECT name FROM forums WHERE fid = ?", request.int_arg("fid"))
        return _page(forum["name"], "") if forum else _message_page("抱歉，指定的版块不存在")
    return _page("论坛", f'<input type="hidden" name="formhash" value="{visitor.formhash}" />')


def dispatch(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    path, mod = request.path, request.arg("mod")
    if path == "/forum.php":
        if mod == "redirect" and request.arg("goto") == "findpost":
            return findpost(site, request)
        if mod == "redirect" and request.arg("goto") == "lastpost":
            return lastpost(site, request)
        if mod == "attachment":
            return attachment(site, request, visitor)
        return forum_page(site, request, visitor)
    if path == "/member.php" and mod == "logging":
        if request.arg("action") == "login":
            return web_login(site, request, visitor)
        if request.arg("action") == "logout":
            return web_logout(site, request, visitor)
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
