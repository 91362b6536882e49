"""Editing a post through the desktop form (forum.php?mod=post&action=edit), as X3.5 does it.

GET shows ``form#postform`` with the post's BBCode in the text box (and the subject for a
thread's first floor); POST with ``editsubmit=yes&inajax=1`` saves it and answers the XML of
``succeedhandle_``, or the refusal words and ``errorhandle_``. Only the author (or an admin)
may edit, closed threads may not be edited, and an edit after ``EDIT_NOTE_SECONDS`` by anyone
but an administrator adds Discuz!'s "本帖最后由 … 于 … 编辑" note at the top of the post.
"""

from __future__ import annotations

import html
import re
import sqlite3

from tui.demo.dates import full_date
from tui.demo.exchange import Request, Response
from tui.demo.site import DemoSite, Visitor
from tui.demo.web_pages import layout, message_page, message_text
from tui.demo.web_posting import ajax_answer, refusal, script

EDIT_NOTE_SECONDS = 60  # Discuz! notes edits made more than a minute after posting
_EDIT_NOTE = re.compile(r"^\[i=s\].*?\[/i\]\n*", re.S)


def _post_and_thread(site: DemoSite, request: Request) -> tuple[sqlite3.Row | None, sqlite3.Row | None]:
    thread = site.store.one("SELECT * FROM threads WHERE tid = ?", request.int_arg("tid"))
    post = site.store.one(
        "SELECT * FROM posts WHERE pid = ? AND tid = ?", request.int_arg("pid"), request.int_arg("tid")
    )
    return post, thread


def _is_admin(visitor: Visitor) -> bool:
    return bool(visitor.member and visitor.member["adminid"] == 1)


def _refusal_key(
    site: DemoSite, visitor: Visitor, post: sqlite3.Row | None, thread: sqlite3.Row | None
) -> str:
    """The first check X3.5 fails, in its order: the thread (and whether it is closed), then the
    post, then whether this member wrote it (guests wrote nothing: the same refusal), then the
    group's time to edit."""
    is_admin = _is_admin(visitor)
    if thread is None:
        return "thread_nonexistence"
    if thread["closed"] and not is_admin:
        return "post_thread_closed"
    if post is None:
        return "post_nonexistence"
    if not visitor.uid or (post["authorid"] != visitor.uid and not is_admin):
        return "post_edit_nopermission"
    limit = site.settings.edit_minutes  # the author's time to edit (administrators have no limit)
    if limit and not is_admin and site.now() - post["dateline"] > limit * 60:
        return "post_edit_timelimit"
    return ""


def _form(
    site: DemoSite, request: Request, visitor: Visitor, post: sqlite3.Row, thread: sqlite3.Row
) -> Response:
    # the ids travel as hidden fields, not in the action; every floor has a subject box (a
    # reply's is usually empty); the signature box is ticked as the post was sent
    subject = html.escape(thread["subject"]) if post["first"] else ""
    text = html.escape(_EDIT_NOTE.sub("", post["message"]))
    content = (
        '<form method="post" autocomplete="off" id="postform" '
        'action="forum.php?mod=post&amp;action=edit&amp;extra=&amp;editsubmit=yes">'
        '<div id="ct" class="ct2_a ct2_a_r wp cl"><input type="hidden" name="formhash" id="formhash" '
        f'value="{visitor.formhash}" />'
        f'<input type="hidden" name="posttime" id="posttime" value="{site.now()}" />'
        '<input type="hidden" name="delattachop" id="delattachop" value="0" />'
        '<input type="hidden" name="wysiwyg" id="e_mode" value="1" />'
        f'<input type="hidden" name="fid" id="fid" value="{thread["fid"]}" />'
        f'<input type="hidden" name="tid" value="{thread["tid"]}" />'
        f'<input type="hidden" name="pid" value="{post["pid"]}" />'
        '<input type="hidden" name="page" value="" />'
        f'<span><input type="text" name="subject" id="subject" class="px" value="{subject}" /></span>'
        f'<textarea name="message" id="e_textarea" class="pt" rows="15">{text}</textarea>'
        '<label for="usesig"><input type="checkbox" name="usesig" id="usesig" class="pc" value="1" '
        'checked="checked" />使用个人签名</label><input type="hidden" id="postsave" name="save" value="" />'
        '<button type="submit" id="postsubmit" class="pn pnc" value="true" name="editsubmit">'
        "<span>保存</span></button></div></form>"
    )
    return layout(site, request, visitor, f"编辑帖子 - {thread['subject']}", "", content)


def _save(
    site: DemoSite, request: Request, visitor: Visitor, post: sqlite3.Row, thread: sqlite3.Row
) -> Response:
    if request.method != "POST" or request.arg("formhash") != visitor.formhash:  # submitcheck
        return refusal(message_text(site, "submit_invalid"))
    text = request.arg("message").strip()
    subject = request.arg("subject").strip()
    if post["first"] and not subject:
        return refusal(message_text(site, "post_sm_isnull"))
    if len(text) < site.settings.min_message_length:
        return refusal(message_text(site, "post_message_tooshort"))
    now = site.now()
    if now - post["dateline"] > EDIT_NOTE_SECONDS and not _is_admin(visitor):  # administrators edit unnoted
        text = f"[i=s] 本帖最后由 {visitor.username} 于 {full_date(now)} 编辑 [/i]\n\n{text}"
    site.store.run("UPDATE posts SET message = ? WHERE pid = ?", text, post["pid"])
    if post["first"]:
        site.store.run("UPDATE threads SET subject = ? WHERE tid = ?", subject, thread["tid"])
    target = f"forum.php?mod=viewthread&tid={thread['tid']}&page=1#pid{post['pid']}"
    values = f"{{'fid':'{thread['fid']}','tid':'{thread['tid']}','pid':'{post['pid']}'}}"
    said = message_text(site, "post_edit_succeed")
    return ajax_answer(script(f"succeedhandle_postform('{target}', '{said}', {values});"))


def edit(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """forum.php?mod=post&action=edit: the edit form (GET) or its submit (POST)."""
    post, thread = _post_and_thread(site, request)
    key = _refusal_key(site, visitor, post, thread)
    submitted = bool(request.arg("editsubmit"))
    if key:
        return refusal(message_text(site, key)) if submitted else message_page(site, request, visitor, key)
    assert post is not None and thread is not None
    return (
        _save(site, request, visitor, post, thread)
        if submitted
        else _form(site, request, visitor, post, thread)
    )
