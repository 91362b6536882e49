"""Writing: replies, new threads and poll votes, with the checks the real server makes first."""

from __future__ import annotations

import re
import sqlite3

from tui.content import bbcode
from tui.demo.dates import full_date
from tui.demo.exchange import Response
from tui.demo.mobile.envelope import Call, answer
from tui.demo.mobile.forums import forum_or_none
from tui.demo.mobile.reading import has_voted, poll_expired
from tui.demo.store import PHONE_STATUS


def _posting_problem(call: Call, message: str) -> str:
    """The messageval that stops a post (captcha, flood, length), or "" when it may go."""
    site, member = call.site, call.visitor.member
    if problem := site.challenge_problem(call.request, "post"):
        return problem
    if (
        site.settings.flood_seconds
        and member
        and site.now() - member["lastpost"] < site.settings.flood_seconds
    ):
        return "post_flood_ctrl"
    length = len(message.strip())
    if length < site.settings.min_message_length:
        return "post_message_tooshort"
    if length > 10000:
        return "post_message_toolong"
    return ""


def quote_block(call: Call, pid: int, tid: int) -> str:
    """The ``[quote]`` a reply to post ``pid`` starts with ("" for a post not in thread ``tid``)."""
    quoted = call.store.one("SELECT * FROM posts WHERE pid = ? AND tid = ?", pid, tid)
    if quoted is None:
        return ""
    return (
        f"[quote][size=2][url=forum.php?mod=redirect&goto=findpost&pid={pid}&ptid={tid}]"
        f"[color=#999999]{quoted['author']} 发表于 {full_date(quoted['dateline'])}[/color][/url][/size]\n"
        f"{bbcode.quote_excerpt(quoted['message'])}[/quote]\n"
    )


def _notify(call: Call, uid: int, tid: int, pid: int, subject: str, verb: str) -> None:
    if uid == call.visitor.uid:
        return
    call.store.run(
        "INSERT INTO notices(uid, type, authorid, author, note, dateline, tid, pid, subject)"
        " VALUES (?, 'post', ?, ?, ?, ?, ?, ?, ?)",
        uid,
        call.visitor.uid,
        call.visitor.username,
        f"{call.visitor.username} {verb} {subject}",
        call.site.now(),
        tid,
        pid,
        subject,
    )


def _store_post(call: Call, tid: int, message: str, first: bool) -> int:
    store, now, visitor = call.store, call.site.now(), call.visitor
    position = (store.value("SELECT MAX(position) FROM posts WHERE tid = ?", tid) or 0) + 1
    pid = store.run(
        "INSERT INTO posts(tid, first, authorid, author, dateline, message, position, status)"
        " VALUES (?,?,?,?,?,?,?,?)",
        tid,
        int(first),
        visitor.uid,
        visitor.username,
        now,
        message,
        position,
        PHONE_STATUS,  # posted through this API, as the mobile client does
    )
    replies = 0 if first else 1
    store.run(
        "UPDATE threads SET replies = replies + ?, lastpost "
        "= ?, lastposter = ?, maxposition = ? WHERE tid = ?",
        replies,
        now,
        visitor.username,
        position,
        tid,
    )
    store.run("UPDATE members SET lastpost = ?, credits = credits + 1 WHERE uid = ?", now, visitor.uid)
    _claim_uploads(call, tid, pid)
    return pid


def _claim_uploads(call: Call, tid: int, pid: int) -> None:
    """Attach the member's unclaimed uploads named in ``attachnew[aid][description]`` to this post."""
    claimed = 0
    for key, values in call.request.form.items():
        match = re.fullmatch(r"attachnew\[(\d+)\]\[description\]", key)
        if match:
            claimed += call.store.change(
                "UPDATE attachments SET tid = ?, pid = ?, description = ?"
                " WHERE aid = ? AND uid = ? AND pid = 0",
                tid,
                pid,
                values[0],
                int(match.group(1)),
                call.visitor.uid,
            )
    if claimed:
        images = call.store.value("SELECT COUNT(*) FROM attachments WHERE pid = ? AND isimage = 1", pid)
        kind = 2 if images else 1
        call.store.run("UPDATE posts SET attachment = ? WHERE pid = ?", kind, pid)
        call.store.run("UPDATE threads SET attachment = MAX(attachment, ?) WHERE tid = ?", kind, tid)


def sendreply(call: Call) -> Response:
    request = call.request
    tid_text = request.arg("tid")
    thread = call.store.one("SELECT * FROM threads WHERE tid = ?", request.int_arg("tid"))
    if not call.visitor.uid:
        return answer(
            call, {"tid": tid_text or None, "pid": "0"}, "replyperm_login_nopermission//1", in_forum=True
        )
    if thread is None:
        return answer(call, {"tid": "0", "pid": "0"}, "thread_nonexistence", in_forum=True)
    ids = {"tid": str(thread["tid"]), "pid": "0"}
    if request.arg("replysubmit") != "yes":
        return answer(call, ids, in_forum=True)
    if thread["closed"]:
        return answer(call, ids, "post_thread_closed", in_forum=True)
    text = request.arg("message")
    problem = _posting_problem(call, text)
    if problem:
        return answer(call, ids, problem, in_forum=True)
    quoted_pid = request.int_arg("reppid") or request.int_arg("repquote")
    prefix = request.arg("noticetrimstr")
    if quoted_pid and not prefix:
        prefix = quote_block(call, quoted_pid, thread["tid"])
    message = f"{prefix.rstrip()}\n{text}" if prefix else text
    pid = _store_post(call, thread["tid"], message, first=False)
    _notify(call, thread["authorid"], thread["tid"], pid, thread["subject"], "回复了您的帖子")
    if quoted_pid:
        quoted = call.store.one("SELECT authorid FROM posts WHERE pid = ?", quoted_pid)
        if quoted and quoted["authorid"] != thread["authorid"]:
            _notify(call, quoted["authorid"], thread["tid"], pid, thread["subject"], "引用了您在主题中的帖子")
    call.visitor = call.site.make_visitor(call.visitor.saltkey, False, _reload(call))
    return answer(call, {"tid": str(thread["tid"]), "pid": str(pid)}, "post_reply_succeed", in_forum=True)


def _reload(call: Call) -> sqlite3.Row | None:
    return call.store.one("SELECT * FROM members WHERE uid = ?", call.visitor.uid)


def newthread(call: Call) -> Response:
    request = call.request
    no_thread: dict[str, object] = {"tid": None, "pid": "0"}
    if not call.visitor.uid:
        return answer(call, no_thread, "postperm_login_nopermission_mobile//1", in_forum=True)
    forum = forum_or_none(call, request.int_arg("fid"))
    if forum is None:
        return answer(call, no_thread, "forum_nonexistence", in_forum=True)
    if request.arg("topicsubmit") != "yes":
        return answer(call, no_thread, in_forum=True)
    subject = request.arg("subject").strip()
    if not subject:
        return answer(call, no_thread, "post_sm_isnull", in_forum=True)
    if len(subject) > 80:
        return answer(call, no_thread, "post_subject_toolong", in_forum=True)
    text = request.arg("message")
    problem = _posting_problem(call, text)
    if problem:
        return answer(call, no_thread, problem, in_forum=True)
    now, visitor = call.site.now(), call.visitor
    tid = call.store.run(
        "INSERT INTO threads(fid, authorid, author, subject, dateline, "
        "lastpost, lastposter) VALUES (?,?,?,?,?,?,?)",
        forum["fid"],
        visitor.uid,
        visitor.username,
        subject,
        now,
        now,
        visitor.username,
    )
    pid = _store_post(call, tid, text, first=True)
    return answer(call, {"tid": str(tid), "pid": str(pid)}, "post_newthread_succeed", in_forum=True)


def pollvote(call: Call) -> Response:
    tid = call.request.int_arg("tid")
    if not call.visitor.uid:
        return answer(call, message="to_login//1")
    poll = call.store.one("SELECT * FROM polls WHERE tid = ?", tid)
    if poll is None:
        return answer(call, message="thread_poll_none")
    if has_voted(call, tid):
        return answer(call, message="thread_poll_voted")
    if poll_expired(call, poll):
        return answer(call, message="poll_overdue")
    valid = {row[0] for row in call.store.all("SELECT polloptionid FROM polloptions WHERE tid = ?", tid)}
    chosen = sorted(
        {int(value) for value in call.request.form.get("pollanswers[]", []) if value.isdigit()} & valid
    )
    if not chosen:
        return answer(call, message="thread_poll_invalid")
    if len(chosen) > max(poll["maxchoices"], 1):
        return answer(call, message="poll_choose_most")
    call.store.run(
        "INSERT INTO pollvoters(tid, uid, options, dateline) VALUES (?, ?, ?, ?)",
        tid,
        call.visitor.uid,
        "\t".join(map(str, chosen)),
        call.site.now(),
    )
    for option in chosen:
        call.store.run("UPDATE polloptions SET votes = votes + 1 WHERE polloptionid = ?", option)
    return answer(call, message="thread_poll_succeed")
