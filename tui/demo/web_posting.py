"""The desktop post forms (forum.php?mod=post&action=reply|newthread) and their AJAX submits.

A GET shows ``form#postform`` with the hidden ``formhash`` and ``posttime`` (a quote reply adds
``reppid``); a POST with ``inajax=1`` answers XML whose CDATA holds either the error sentence
and an ``errorhandle_`` call, or a ``succeedhandle_`` call naming the new post, as X3.5 does.
The checks are the mobile API's own (``sendreply``/``newthread`` run on the same request), plus
the form token a web form must always repeat.
"""

from __future__ import annotations

import html

from tui.demo.exchange import Request, Response
from tui.demo.mobile.envelope import Call
from tui.demo.mobile.posting import quote_block
from tui.demo.site import DemoSite, Visitor
from tui.demo.web_pages import api_answer, layout, message_page, message_text

_EDITOR_SWITCHES = ("htmlon", "parseurloff", "smileyoff", "bbcodeoff", "imgcontent")


def ajax_answer(text: str) -> Response:
    """An ``inajax=1`` answer: XML with the HTML in CDATA, never cached."""
    body = f'<?xml version="1.0" encoding="utf-8"?>\n<root><![CDATA[{text}]]></root>'
    response = Response(200, body.encode(), "text/xml; charset=utf-8")
    response.headers += [("Expires", "-1"), ("Cache-Control", "no-store, private, max-age=0")]
    return response


def script(call: str) -> str:
    return f'<script type="text/javascript" reload="1">{call}</script>'


def js_string(text: str) -> str:
    """A JavaScript single-quoted string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def refusal(text: str, handlekey: str = "postform") -> Response:
    """A refused AJAX POST: the words, and the form's ``errorhandle_`` call with them."""
    return ajax_answer(html.escape(text) + script(f"errorhandle_{handlekey}({js_string(text)}, {{}});"))


def _form_page(
    site: DemoSite, request: Request, visitor: Visitor, action: str, fields: str, title: str
) -> Response:
    picture, question = site.asks("post")
    captcha = f'<span id="seccode_{site.new_sechash()}"></span>' if picture else ""
    if question:  # its question is made when the client fetches it (misc.php?mod=secqaa)
        captcha += f'<span id="secqaa_q{site.new_sechash(issued=False)}"></span>'
    switches = "".join(
        f'<input type="checkbox" name="{name}" id="{name}" value="1" />' for name in _EDITOR_SWITCHES
    )
    content = (
        f'<div id="ct" class="ct2_a ct2_a_r wp cl"><form method="post" autocomplete="off" id="postform" '
        f'action="{html.escape(action)}"><input type="hidden" name="formhash" id="formhash" '
        f'value="{visitor.formhash}" /><input type="hidden" name="posttime" id="posttime" '
        f'value="{site.now()}" />'
        f'<input type="hidden" name="wysiwyg" id="e_mode" value="1" />{fields}'
        '<input type="text" name="subject" id="subject" class="px" value="" size="80" />'
        '<textarea name="message" id="e_textarea" class="pt" rows="15"></textarea>'
        '<input type="checkbox" name="usesig" id="usesig" class="pc" value="1" checked="checked" />'
        f'{captcha}{switches}<input type="hidden" name="save" value="" /></form></div>'
    )
    return layout(site, request, visitor, title, "", content)


def _reply_form(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    _, key = api_answer(site, request, visitor, "sendreply")
    thread = site.store.one("SELECT * FROM threads WHERE tid = ?", request.int_arg("tid"))
    if not key and thread is not None and thread["closed"]:
        key = "post_thread_closed"
    if key or thread is None:
        return message_page(site, request, visitor, key or "thread_nonexistence")
    quoted = request.int_arg("repquote")
    quote = quote_block(Call(site, request, visitor, 4), quoted, thread["tid"]) if quoted else ""
    fields = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(value)}" />'
        for name, value in (("noticeauthor", ""), ("noticetrimstr", quote.rstrip()), ("noticeauthormsg", ""))
    )
    if quote:  # the quote travels in noticetrimstr; the text box starts empty
        fields += f'<input type="hidden" name="reppid" value="{quoted}" />'
    action = f"forum.php?mod=post&action=reply&fid={thread['fid']}&tid={thread['tid']}&extra=&replysubmit=yes"
    return _form_page(site, request, visitor, action, fields, f"参与/回复主题 - {thread['subject']}")


def _new_thread_form(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    _, key = api_answer(site, request, visitor, "newthread")
    forum = site.store.one("SELECT * FROM forums WHERE fid = ? AND type != 'group'", request.int_arg("fid"))
    if key or forum is None:
        return message_page(site, request, visitor, key or "forum_nonexistence")
    fields = "".join(
        f'<input type="checkbox" name="{name}" class="pc" value="1"{checked} />'
        for name, checked in (
            ("hiddenreplies", ""),
            ("ordertype", ""),
            ("allownoticeauthor", ' checked="checked"'),
        )
    )
    action = f"forum.php?mod=post&action=newthread&fid={forum['fid']}&extra=&topicsubmit=yes"
    return _form_page(site, request, visitor, action, fields, f"发表帖子 - {forum['name']}")


def _submit(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """Run the API's checks and posting on the form; word the outcome the way the pages do."""
    if request.arg("formhash") != visitor.formhash:
        return refusal(message_text(site, "submit_invalid"))
    action = request.arg("action")
    module = "sendreply" if action == "reply" else "newthread"
    variables, key = api_answer(site, request, visitor, module)
    if key not in ("post_reply_succeed", "post_newthread_succeed"):
        return refusal(message_text(site, key))
    fid, tid, pid = request.arg("fid"), variables["tid"], variables["pid"]
    if action == "reply":
        position = site.store.value("SELECT position FROM posts WHERE pid = ?", int(pid))
        page = (position - 1) // 10 + 1
        target = f"forum.php?mod=viewthread&tid={tid}&pid={pid}&page={page}&extra=#pid{pid}"
        values = f"{{'fid':'{fid}','tid':'{tid}','pid':'{pid}','from':'','sechash':''}}"
    else:
        target = f"thread-{tid}-1-1.html"
        values = f"{{'fid':'{fid}','tid':'{tid}','pid':'{pid}','coverimg':'','sechash':''}}"
    said = message_text(site, key)
    return ajax_answer(
        script(f"succeedhandle_postform({js_string(target)}, {js_string(said)}, {values});")
    )


def post(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """forum.php?mod=post: the form (GET) or its submit (POST)."""
    if request.arg("action") not in ("reply", "newthread"):
        return message_page(site, request, visitor, "undefined_action")
    submitted = request.arg("replysubmit") == "yes" or request.arg("topicsubmit") == "yes"
    if request.method == "POST" and submitted:
        return _submit(site, request, visitor)  # a browser without scripts gets the same XML
    if request.arg("action") == "reply":
        return _reply_form(site, request, visitor)
    return _new_thread_form(site, request, visitor)


def vote(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """forum.php?mod=misc&action=votepoll: the poll form's submit, checked like the API's pollvote."""
    if request.method != "POST" or request.arg("pollsubmit") != "yes":
        return message_page(site, request, visitor, "undefined_action")
    if request.arg("formhash") != visitor.formhash:
        return refusal(message_text(site, "submit_invalid"))
    _, key = api_answer(site, request, visitor, "pollvote")
    if key != "thread_poll_succeed":
        return refusal(message_text(site, key))
    target = f"forum.php?mod=viewthread&tid={request.int_arg('tid')}"
    said = message_text(site, key)
    return ajax_answer(script(f"succeedhandle_poll({js_string(target)}, {js_string(said)}, {{}});"))
