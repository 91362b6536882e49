"""One page of a thread (viewthread): posts, attachments, polls and the refusals a reader can meet."""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import quote

from tui.content import bbcode
from tui.demo.charsets import escaped_twice
from tui.demo.dates import relative_date
from tui.demo.exchange import Response
from tui.demo.mobile.envelope import Call, answer, page_start, php_failure
from tui.demo.mobile.forums import thread_record

POSTNO = ["<sup>#</sup>", "楼主", "沙发", "板凳", "地板"]


POLL_COLOURS = ["E92725", "F27B21", "F2A61F", "5AAF4A", "42C4F5", "0099CC", "3365AE", "2A3591"]


def _thread_facts(call: Call, thread: sqlite3.Row, ordertype: int) -> dict[str, object]:
    """The ``thread`` of a viewthread answer."""
    subject = thread["subject"]
    short = subject if len(subject) <= 40 else subject[:40] + " ..."
    facts = thread_record(thread)
    facts.update(
        {
            "threadtable": "forum_thread",
            "threadtableid": "0",
            "posttable": "forum_post",
            "allreplies": str(thread["replies"]),
            "is_archived": "",
            "archiveid": "0",
            "subjectenc": quote(subject),
            "short_subject": bbcode.html.escape(short),
            "replycredit_rule": {"extcreditstype": "2"},
            "recommendlevel": "0",
            "heatlevel": "0",
            "relay": "0",
        }
    )
    if call.version >= 4:
        facts.update({"ordertype": str(ordertype), "recommend": "0"})
    if thread["special"] == 1:
        poll = call.store.one("SELECT * FROM polls WHERE tid = ?", thread["tid"])
        facts["starttime"] = str(thread["dateline"])
        facts["remaintime"] = _remaining(poll["expiration"] - call.site.now()) if poll else []
    return facts


def _remaining(seconds: int) -> list[str]:
    seconds = max(seconds, 0)
    return [str(seconds // 86400), str(seconds % 86400 // 3600), str(seconds % 3600 // 60), str(seconds % 60)]


def _attachment_facts(call: Call, row: sqlite3.Row) -> dict[str, str]:
    size = row["data"] and len(row["data"])
    extension = row["filename"].rsplit(".", 1)[-1].lower()
    return {
        "aid": str(row["aid"]),
        "tid": str(row["tid"]),
        "pid": str(row["pid"]),
        "uid": str(row["uid"]),
        "dateline": relative_date(row["dateline"], call.site.now()),
        "filename": row["filename"],
        "filesize": str(size),
        "attachment": row["path"],
        "remote": "0",
        "description": row["description"],
        "readperm": "0",
        "price": "0",
        "isimage": str(row["isimage"]),
        "width": str(row["width"]),
        "height": str(row["height"]),
        "thumb": "0",
        "picid": "0",
        "ext": extension,
        "imgalt": "",
        "attachicon": f'<img src="static/image/filetype/{extension}.gif" border="0" class="vm" alt="" />',
        "attachsize": f"{size} Bytes" if size < 1024 else f"{size / 1024:.2f} KB",
        "attachimg": str(row["isimage"]),
        "payed": "0",
        "url": "data/attachment/forum/",
        "dbdateline": str(row["dateline"]),
        "aidencode": str(row["aid"]),
        "downloads": str(row["downloads"]),
    }


def _post_entry(call: Call, post: sqlite3.Row, number: int, replied: bool) -> dict[str, object]:
    attachments = call.store.all("SELECT * FROM attachments WHERE pid = ? ORDER BY aid", post["pid"])
    refs = {
        row["aid"]: bbcode.AttachmentRef(row["aid"], row["filename"], bool(row["isimage"]), row["path"])
        for row in attachments
    }
    is_author = call.visitor.uid == post["authorid"] and call.visitor.uid != 0
    message = call.render(post["message"], viewer_replied=replied, is_author=is_author, attachments=refs)
    if call.version >= 4 and call.site.settings.quirks:
        message = escaped_twice(message)  # stored character references, as the real v4 sends them
    embedded = {
        int(aid) for aid in re.findall(r"\[attach(?:img)?\](\d+)\[/attach(?:img)?\]", post["message"])
    }
    v4_quirk = call.version >= 4 and call.site.settings.quirks
    listed: dict[str, object] = {}
    for row in attachments:
        # v4 (as captured) shows an image the message does not place after it; v1 only lists it.
        if row["isimage"] and row["aid"] not in embedded and call.version >= 4:
            message += (
                f'<br />\n<div class="img"><img src="{call.request.base_url}data/attachment/forum/'
                f'{row["path"]}" attach="{row["aid"]}" /></div>'
            )
        # Images shown in the message (inline, or dropped by the v4 quirk) are not listed again.
        if not (row["isimage"] and (v4_quirk or row["aid"] in embedded)):
            listed[str(row["aid"])] = _attachment_facts(call, row)
    author = call.store.one("SELECT groupid, adminid FROM members WHERE uid = ?", post["authorid"])
    entry: dict[str, object] = {
        "pid": str(post["pid"]),
        "tid": str(post["tid"]),
        "first": str(post["first"]),
        "author": post["author"],
        "authorid": str(post["authorid"]),
        "dateline": relative_date(post["dateline"], call.site.now()),
        "message": message,
        "anonymous": "0",
        "attachment": str(post["attachment"]),
        "status": str(post["status"]),
        "replycredit": "0",
        "position": str(post["position"]),
        "username": post["author"],
        "adminid": str(author["adminid"]),
        "groupid": str(author["groupid"]),
        "memberstatus": "0",
        "number": str(number),
        "dbdateline": str(post["dateline"]),
    }
    if listed:
        entry["attachments"] = listed
        entry["attachlist"] = list(listed)
        entry["imagelist"] = [aid for aid, facts in listed.items() if facts["isimage"] == "1"]  # type: ignore[index]
    if call.version >= 4:
        entry["groupiconid"] = "admin" if author["adminid"] == 1 else "2"
    else:  # api/1 leaves these two out
        del entry["replycredit"], entry["position"]
    return entry


def has_voted(call: Call, tid: int) -> bool:
    """Whether the visitor already voted: a member gets one vote per poll."""
    return bool(call.store.one("SELECT 1 FROM pollvoters WHERE tid = ? AND uid = ?", tid, call.visitor.uid))


def poll_expired(call: Call, poll: sqlite3.Row) -> bool:
    """A poll without an expiration (0) stays open."""
    return bool(poll["expiration"]) and poll["expiration"] < call.site.now()


def _poll(call: Call, tid: int) -> dict[str, object]:
    poll = call.store.one("SELECT * FROM polls WHERE tid = ?", tid)
    options = call.store.all("SELECT * FROM polloptions WHERE tid = ? ORDER BY displayorder", tid)
    voters = call.store.value("SELECT COUNT(*) FROM pollvoters WHERE tid = ?", tid) or 0
    total = sum(option["votes"] for option in options)
    rendered = {}
    for index, option in enumerate(options):
        percent = option["votes"] * 100 / total if total else 0.0
        rendered[str(option["polloptionid"])] = {
            "polloptionid": str(option["polloptionid"]),
            "polloption": bbcode.html.escape(option["polloption"]),
            "votes": str(option["votes"]),
            "width": f"{round(percent)}%" if percent else "8px",
            "percent": f"{percent:.2f}",
            "color": POLL_COLOURS[index % len(POLL_COLOURS)],
            "imginfo": [],
        }
    can_vote = bool(call.visitor.uid) and not has_voted(call, tid) and not poll_expired(call, poll)
    return {
        "polloptions": rendered,
        "expirations": str(poll["expiration"]),
        "multiple": str(poll["multiple"]),
        "maxchoices": str(poll["maxchoices"]),
        "voterscount": str(voters),
        "visiblepoll": str(poll["visible"]),
        "allowvote": "1" if can_vote else "0",
        "remaintime": _remaining(poll["expiration"] - call.site.now()),
    }


def viewthread(call: Call) -> Response:
    if call.version == 3:
        if call.site.settings.quirks:
            return php_failure(call, "Call to undefined function mobileoem_template()")
        call.version = 1
    tid = call.request.int_arg("tid")
    ppp = min(max(call.request.int_arg("ppp", 10), 1), 100)
    thread = call.store.one("SELECT * FROM threads WHERE tid = ?", tid)
    tail: dict[str, object] = {"ppp": str(ppp), "setting_rewriterule": "", "setting_rewritestatus": ""}
    if thread is None:
        missing: dict[str, object] = {
            "thread": {"allreplies": "0", "lastpost": "1970-1-1 08:00", "ordertype": None, "recommend": "0"},
            "fid": "0",
        }
        return _refused_thread(call, missing, tail, "thread_nonexistence", status=404)
    ordertype = 1 if call.request.arg("ordertype") == "1" else 0
    forum = call.store.one("SELECT members_only FROM forums WHERE fid = ?", thread["fid"])
    head: dict[str, object] = {"thread": _thread_facts(call, thread, ordertype), "fid": str(thread["fid"])}
    if forum["members_only"] and not call.visitor.uid:
        for key in ("heatlevel", "recommendlevel", "relay", "replycredit_rule"):
            head["thread"].pop(key)  # type: ignore[attr-defined]
        return _refused_thread(call, head, tail, "viewperm_login_nopermission//1")
    call.store.run("UPDATE threads SET views = views + 1 WHERE tid = ?", tid)
    author_id = call.request.int_arg("authorid")
    if author_id:
        # As Discuz! does: only that author's posts count, so the pages are theirs.
        own = call.store.value("SELECT COUNT(*) FROM posts WHERE tid = ? AND authorid = ?", tid, author_id)
        if not own:
            return _refused_thread(call, head, tail, "undefined_action")
        head["thread"]["replies"] = str(own - 1)  # type: ignore[index]
    head["postlist"] = _page_of_posts(call, thread, ppp, author_id, ordertype)
    if call.version >= 4:
        head.update({"allowpostcomment": ["1", "2"], "comments": [], "commentcount": []})
    else:
        head["imagelist"] = []
    head.update({**tail, "forum_threadpay": "", "cache_custominfo_postno": POSTNO})
    if thread["special"] == 1:
        head["special_poll"] = _poll(call, tid)
    head["forum"] = {"password": "0"}
    return answer(call, head, in_forum=True)


def _refused_thread(
    call: Call, head: dict[str, object], tail: dict[str, object], message: str, *, status: int = 200
) -> Response:
    """viewthread for a missing thread or a guest in a members-only board: no posts, null extras."""
    head["postlist"] = []
    if call.version >= 4:
        head.update({"allowpostcomment": ["1", "2"], "comments": None, "commentcount": None})
    head.update(
        {**tail, "forum_threadpay": None, "cache_custominfo_postno": POSTNO, "forum": {"password": "0"}}
    )
    return answer(call, head, message, in_forum=True, status=status)


def _page_of_posts(call: Call, thread: sqlite3.Row, ppp: int, author_id: int, ordertype: int) -> list[dict]:
    tid = thread["tid"]
    page = max(call.request.int_arg("page", 1), 1)
    replied = bool(call.visitor.uid) and bool(
        call.store.one(
            "SELECT 1 FROM posts WHERE tid = ? AND authorid = ? AND first = 0", tid, call.visitor.uid
        )
    )
    if author_id:
        total = call.store.value("SELECT COUNT(*) FROM posts WHERE tid = ? AND authorid = ?", tid, author_id)
        offset = page_start(page, total, ppp)
        rows = call.store.all(
            "SELECT * FROM posts WHERE tid = ? AND authorid = ? ORDER BY position LIMIT ? OFFSET ?",
            tid,
            author_id,
            ppp,
            offset,
        )
        return [_post_entry(call, row, offset + index + 1, replied) for index, row in enumerate(rows)]
    offset = page_start(page, call.store.value("SELECT COUNT(*) FROM posts WHERE tid = ?", tid), ppp)
    if ordertype:
        # Newest replies first; the first post stays on top of page 1.
        rows = call.store.all(
            "SELECT * FROM posts WHERE tid = ? AND first = 0 ORDER BY position DESC LIMIT ? OFFSET ?",
            tid,
            ppp - 1 if offset == 0 else ppp,
            max(offset - 1, 0),
        )
        if offset == 0:
            rows = [call.store.one("SELECT * FROM posts WHERE tid = ? AND first = 1", tid), *rows]
    else:
        rows = call.store.all(
            "SELECT * FROM posts WHERE tid = ? AND position > ? ORDER BY position LIMIT ?", tid, offset, ppp
        )
    return [_post_entry(call, row, row["position"], replied) for row in rows]
