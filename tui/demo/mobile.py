"""The mobile API (``api/mobile/index.php?version=N&module=M``), answering like Discuz! X3.5.

Each module is a function ``(Call) -> Response``. ``MODULES`` maps a module name to its
function and the API versions that have their own file; a request for another version falls
back to the highest lower one (or the lowest there is), and ``Version`` in the answer tells
which one ran, as on the real server. Numbers are strings, like PHP's database rows.
"""

from __future__ import annotations

import math
import re
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote

from tui.demo import bbcode, members
from tui.demo.dates import day_date, full_date, relative_date, today_start
from tui.demo.exchange import Request, Response
from tui.demo.images import png_size, text_png
from tui.demo.site import CAPTCHA_ANSWER, COOKIE_PREFIX, DemoSite, Visitor, system_error_page
from tui.demo.store import Store

PM_FLOOD_SECONDS = 15
_ARRAY_VALUES_NULL = "array_values(): Argument #1 ($array) must be of type array, null given"
POSTNO = ["<sup>#</sup>", "楼主", "沙发", "板凳", "地板"]
POLL_COLOURS = ["E92725", "F27B21", "F2A61F", "5AAF4A", "42C4F5", "0099CC", "3365AE", "2A3591"]


@dataclass
class Call:
    site: DemoSite
    request: Request
    visitor: Visitor
    version: int

    @cached_property
    def forum_counts(self) -> dict[int, tuple[int, int, int]]:
        """fid -> (threads, posts, today's posts), counted once per request."""
        start = today_start(self.site.now())
        rows = self.store.all(
            "SELECT t.fid, COUNT(DISTINCT t.tid), COUNT(p.pid), SUM(p.dateline >= ?)"
            " FROM threads t JOIN posts p ON p.tid = t.tid GROUP BY t.fid",
            start,
        )
        return {row[0]: (row[1], row[2], row[3] or 0) for row in rows}

    @property
    def store(self) -> Store:
        return self.site.store

    def render(self, message: str, **facts: object) -> str:
        context = bbcode.RenderContext(
            base_url=self.request.base_url,
            flavor="v4" if self.version >= 4 else "v1",
            quirks=self.site.settings.quirks,
            viewer_name=self.visitor.username,
            viewer_credits=int(self.visitor.member["credits"]) if self.visitor.member else 0,
            **facts,  # type: ignore[arg-type]
        )
        return bbcode.render(message, context)


# -- the envelope -----------------------------------------------------------------------------


def notice_counts(call: Call) -> dict[str, str]:
    uid = call.visitor.uid
    if not uid:
        return {"newpush": "0", "newpm": "0", "newprompt": "0", "newmypost": "0"}
    store = call.store
    prompts = store.value("SELECT COUNT(*) FROM notices WHERE uid = ? AND is_new = 1", uid)
    posts = store.value("SELECT COUNT(*) FROM notices WHERE uid = ? AND is_new = 1 AND type = 'post'", uid)
    pms = store.value("SELECT COUNT(*) FROM pms WHERE to_uid = ? AND is_new = 1", uid)
    return {"newpush": "0", "newpm": str(pms), "newprompt": str(prompts), "newmypost": str(posts)}


def common_variables(call: Call, *, in_forum: bool = False) -> dict[str, object]:
    visitor = call.visitor
    moderator = ("1" if visitor.groupid == 1 else "0") if in_forum else None
    return {
        "cookiepre": COOKIE_PREFIX,
        "auth": visitor.auth,
        "saltkey": visitor.saltkey,
        "member_uid": str(visitor.uid),
        "member_username": visitor.username,
        "member_avatar": f"{call.request.base_url}uc_server/avatar.php?uid={visitor.uid}&size=small&ts=1",
        "groupid": str(visitor.groupid),
        "formhash": visitor.formhash,
        "ismoderator": moderator,
        "readaccess": str(members.READ_ACCESS.get(visitor.groupid, 10)),
        "notice": notice_counts(call),
    }


def answer(
    call: Call,
    extra: dict[str, object] | None = None,
    message: str = "",
    *,
    in_forum: bool = False,
    status: int = 200,
) -> Response:
    """The standard JSON envelope; ``message`` is a messageval such as ``to_login//1``."""
    variables = common_variables(call, in_forum=in_forum)
    variables.update(extra or {})
    body: dict[str, object] = {"Version": str(call.version), "Charset": "UTF-8", "Variables": variables}
    if message:
        body["Message"] = {"messageval": message, "messagestr": "mobile:" + message.split("//")[0]}
    return Response.json(body, status)


def php_failure(call: Call, reason: str) -> Response:
    """A module that crashes on the real server (a quirk reproduced while ``quirks`` is on)."""
    return system_error_page(reason, call.site.now())


# -- site and board index -----------------------------------------------------------------


def check(call: Call) -> Response:
    """Site facts (no envelope); the real server sends this JSON as text/html."""
    store = call.store
    if "module" not in call.request.query:  # the legacy "?check" entry point
        response = Response.json(
            {
                "discuzversion": "X3.5",
                "charset": "utf-8",
                "version": "4",
                "pluginversion": "1.4.8",
                "oemversion": "0",
                "regname": "register",
                "qqconnect": "0",
                "sitename": store.setting("sitename"),
                "mysiteid": "",
                "ucenterurl": call.request.base_url + "uc_server",
                "setting": {"closeforumorderby": "0"},
                "extends": {"used": None, "lastupdate": None},
            }
        )
        return _as_html(response)
    return _as_html(
        Response.json(
            {
                "discuzversion": "X3.2",
                "truediscuzversion": "X3.5",
                "charset": "utf-8",
                "version": "4",
                "pluginversion": "1.4.8",
                "regname": "register",
                "qqconnect": "0",
                "wsqqqconnect": "0",
                "wsqhideregister": "0",
                "sitename": store.setting("sitename"),
                "mysiteid": "",
                "ucenterurl": call.request.base_url + "uc_server",
                "defaultfid": None,
                "totalposts": store.value("SELECT COUNT(*) FROM posts"),
                "totalmembers": store.value("SELECT COUNT(*) FROM members"),
                "testcookie": None,
            }
        )
    )


def _as_html(response: Response) -> Response:
    response.content_type = "text/html; charset=utf-8"
    return response


def _visible_forums(call: Call) -> list[sqlite3.Row]:
    members_only = "" if call.visitor.uid else " WHERE members_only = 0"
    return call.store.all(f"SELECT * FROM forums{members_only} ORDER BY displayorder, fid")


def _board(row: sqlite3.Row, counts: dict[int, tuple[int, int, int]]) -> dict[str, str]:
    threads, posts, today = counts.get(row["fid"], (0, 0, 0))
    return {
        "fid": str(row["fid"]),
        "name": row["name"],
        "threads": str(threads),
        "posts": str(posts),
        "todayposts": str(today),
    }


def _group_permissions(call: Call) -> dict[str, str]:
    return members.group_permissions(call.visitor.groupid, bool(call.visitor.uid))


def forumindex(call: Call) -> Response:
    forums = _visible_forums(call)
    counts = call.forum_counts
    children: dict[int, list[sqlite3.Row]] = {}
    for row in forums:
        children.setdefault(row["fup"], []).append(row)
    catlist, forumlist = [], []
    for group in (row for row in forums if row["type"] == "group"):
        boards = children.get(group["fid"], [])
        catlist.append(
            {"fid": str(group["fid"]), "name": group["name"], "forums": [str(b["fid"]) for b in boards]}
        )
        for board in boards:
            entry: dict[str, object] = _board(board, counts)
            entry["description"] = board["description"]
            if board["fid"] in children:
                entry["sublist"] = [_board(sub, counts) for sub in children[board["fid"]]]
            forumlist.append(entry)
    member = call.visitor.member
    return answer(
        call,
        {
            "member_email": member["email"] if member else None,
            "member_credits": str(member["credits"]) if member else "0",
            "setting_bbclosed": "0",
            "group": _group_permissions(call),
            "catlist": catlist,
            "forumlist": forumlist,
        },
    )


def forumnav(call: Call) -> Response:
    forums = [
        {
            "fid": str(row["fid"]),
            "type": row["type"],
            "name": row["name"],
            "fup": str(row["fup"]),
            "status": "1",
        }
        for row in _visible_forums(call)
    ]
    return answer(call, {"forums": forums})


def _forum_or_none(call: Call, fid: int) -> sqlite3.Row | None:
    return call.store.one("SELECT * FROM forums WHERE fid = ? AND type != 'group'", fid)


def _forum_facts(call: Call, forum: sqlite3.Row, *, counted: bool = True) -> dict[str, str]:
    """forumdisplay's ``forum``; without permission the real server leaves out ``threadcount``."""
    threads, posts, _ = call.forum_counts.get(forum["fid"], (0, 0, 0))
    facts = {
        "fid": str(forum["fid"]),
        "description": forum["description"],
        "picstyle": "0",
        "fup": str(forum["fup"]),
        "name": forum["name"],
        "threads": str(threads),
        "posts": str(posts),
        "autoclose": "0",
        "threadcount": str(threads),
        "password": "0",
    }
    if not counted:
        del facts["threadcount"]
    return facts


def _viewer_group(call: Call) -> dict[str, str]:
    return {
        "groupid": str(call.visitor.groupid),
        "grouptitle": members.GROUP_TITLES.get(call.visitor.groupid, ""),
    }


def _thread_basics(thread: sqlite3.Row) -> dict[str, str]:
    """The thread fields every list and thread answer carries, as the database row has them."""
    return {
        "tid": str(thread["tid"]),
        "typeid": "0",
        "readperm": "0",
        "price": "0",
        "author": thread["author"],
        "authorid": str(thread["authorid"]),
        "subject": bbcode.html.escape(thread["subject"]),
        "lastpost": full_date(thread["lastpost"]),
        "lastposter": thread["lastposter"],
        "views": str(thread["views"]),
        "replies": str(thread["replies"]),
        "displayorder": str(thread["displayorder"]),
        "digest": str(thread["digest"]),
        "special": str(thread["special"]),
        "attachment": str(thread["attachment"]),
        "recommend_add": "0",
        "replycredit": "0",
    }


def _first_message(call: Call, tid: int) -> str:
    first = call.store.one("SELECT message FROM posts WHERE tid = ? AND first = 1", tid)
    return first["message"] if first else ""


def _thread_row(call: Call, thread: sqlite3.Row) -> dict[str, object]:
    replies = call.store.all(
        "SELECT pid, author, authorid, message FROM posts WHERE tid = ? AND first = 0"
        " ORDER BY position DESC LIMIT 3",
        thread["tid"],
    )
    images = call.store.all(
        "SELECT * FROM attachments WHERE tid = ? AND isimage = 1 ORDER BY aid", thread["tid"]
    )
    row: dict[str, object] = {
        **_thread_basics(thread),
        "dateline": relative_date(thread["dateline"], call.site.now(), day_date),
        "lastpost": relative_date(thread["lastpost"], call.site.now()),
        "dbdateline": str(thread["dateline"]),
        "dblastpost": str(thread["lastpost"]),
        "rushreply": "0",
        "reply": [
            {
                "pid": str(r["pid"]),
                "author": r["author"],
                "authorid": str(r["authorid"]),
                "message": bbcode.plain_text(r["message"], 100),
            }
            for r in reversed(replies)
        ],
        "attachmentImageNumber": str(len(images)),
        "message": bbcode.plain_text(_first_message(call, thread["tid"])),
    }
    if call.visitor.uid:
        row["recommend"] = "0"
    if images:
        row["cover"] = {"w": "200", "h": "200"}
        row["attachmentImagePreviewList"] = [_preview(image) for image in images]
    return row


_PREVIEW_FIELDS = (
    "aid",
    "tid",
    "pid",
    "uid",
    "dateline",
    "filename",
    "description",
    "isimage",
    "width",
    "height",
)


def _preview(image: sqlite3.Row) -> dict[str, str]:
    """An image attachment as thread lists preview it."""
    preview = {name: str(image[name]) for name in _PREVIEW_FIELDS}
    preview.update(
        {
            "filesize": str(len(image["data"])),
            "attachment": image["path"],
            "remote": "0",
            "readperm": "0",
            "price": "0",
            "thumb": "0",
            "picid": "0",
        }
    )
    return preview


_ORDERS = {"lastpost": "lastpost", "dateline": "dateline", "replies": "replies", "views": "views"}


def _sticky_threads(call: Call, fid: int, condition: str = "") -> list[sqlite3.Row]:
    """Threads pinned on a board: site-wide ones (displayorder 3) and the board's own, highest first."""
    return call.store.all(
        "SELECT * FROM threads WHERE (displayorder = 3 OR (fid = ? AND displayorder > 0))"
        + condition
        + " ORDER BY displayorder DESC, lastpost DESC",
        fid,
    )


def forumdisplay(call: Call) -> Response:
    fid = call.request.int_arg("fid")
    forum = _forum_or_none(call, fid)
    tpp = min(max(call.request.int_arg("tpp", 20), 1), 100)
    empty = {
        "forum_threadlist": [],
        "groupiconid": None,
        "sublist": [],
        "tpp": str(tpp),
        "page": None,
        "reward_unit": "金钱",
    }
    if forum is None:
        return answer(
            call,
            {"forum": {"password": "0"}, "group": _viewer_group(call), **empty},
            "forum_nonexistence",
            in_forum=True,
        )
    if forum["members_only"] and not call.visitor.uid:
        return answer(
            call,
            {"forum": _forum_facts(call, forum, counted=False), "group": _viewer_group(call), **empty},
            "viewperm_login_nopermission//1",
            in_forum=True,
        )
    order = _ORDERS.get(call.request.arg("orderby"), "lastpost")
    digest_only = call.request.arg("filter") == "digest" or call.request.int_arg("digest") > 0
    condition = " AND digest > 0" if digest_only else ""
    stickies = _sticky_threads(call, fid, condition)
    normal = call.store.all(
        f"SELECT * FROM threads WHERE fid = ? AND displayorder "
        f"= 0{condition} ORDER BY {order} DESC, tid DESC",
        fid,
    )
    rows = [*stickies, *normal]
    page = max(call.request.int_arg("page", 1), 1)
    start = _page_start(page, len(rows), tpp)
    shown = rows[start : start + tpp]
    threads = [_thread_row(call, row) for row in shown]
    authors = {row["authorid"] for row in shown}
    group_icons = {str(uid): ("admin" if uid == 1 else "2") for uid in sorted(authors)}
    return answer(
        call,
        {
            "forum": _forum_facts(call, forum),
            "group": _viewer_group(call),
            "forum_threadlist": threads,
            "groupiconid": group_icons,
            "sublist": _subforum_boards(call, fid),
            "tpp": str(tpp),
            "page": str(page),
            "reward_unit": "金钱",
        },
        in_forum=True,
    )


def _subforum_boards(call: Call, fid: int) -> list[dict[str, str]]:
    """A board's sub-boards with their counts, as forumdisplay and sublist both list them."""
    subforums = call.store.all(
        "SELECT * FROM forums WHERE fup = ? AND type = 'sub' ORDER BY displayorder", fid
    )
    return [_board(sub, call.forum_counts) for sub in subforums]


def sublist(call: Call) -> Response:
    return answer(
        call, {"sublist": _subforum_boards(call, call.request.int_arg("fid")), "forum": {"password": "0"}}
    )


# -- threads ------------------------------------------------------------------------------------


def _thread_record(thread: sqlite3.Row) -> dict[str, object]:
    """A thread as its database row reads (forum_thread), as the guide and top lists send it."""
    return {
        **_thread_basics(thread),
        "fid": str(thread["fid"]),
        "posttableid": "0",
        "sortid": "0",
        "dateline": str(thread["dateline"]),
        "highlight": str(thread["highlight"]),
        "rate": "0",
        "moderated": "0",
        "closed": str(thread["closed"]),
        "stickreply": "0",
        "recommends": "0",
        "recommend_sub": "0",
        "heats": "0",
        "status": "32",
        "isgroup": "0",
        "favtimes": "0",
        "sharetimes": "0",
        "stamp": "-1",
        "icon": "-1",
        "pushedaid": "0",
        "cover": "0",
        "relatebytag": "0",
        "maxposition": str(thread["maxposition"]),
        "bgcolor": "",
        "comments": "0",
        "hidden": "0",
    }


def _thread_facts(call: Call, thread: sqlite3.Row, ordertype: int) -> dict[str, object]:
    """The ``thread`` of a viewthread answer."""
    subject = thread["subject"]
    short = subject if len(subject) <= 40 else subject[:40] + " ..."
    facts = _thread_record(thread)
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
    embedded = {
        int(aid) for aid in re.findall(r"\[attach(?:img)?\](\d+)\[/attach(?:img)?\]", post["message"])
    }
    v4_quirk = call.version >= 4 and call.site.settings.quirks
    listed: dict[str, object] = {}
    for row in attachments:
        if row["isimage"] and row["aid"] not in embedded:
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
        "status": "0",
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


def _has_voted(call: Call, tid: int) -> bool:
    """Whether the visitor already voted: a member gets one vote per poll."""
    return bool(call.store.one("SELECT 1 FROM pollvoters WHERE tid = ? AND uid = ?", tid, call.visitor.uid))


def _poll_expired(call: Call, poll: sqlite3.Row) -> bool:
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
    can_vote = bool(call.visitor.uid) and not _has_voted(call, tid) and not _poll_expired(call, poll)
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


def _page_start(page: int, total: int, per_page: int) -> int:
    """Index of the first item on ``page``; a page past the end shows the last one, as on Discuz!."""
    last_page = max(math.ceil(total / per_page), 1)
    return (min(page, last_page) - 1) * per_page


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
        offset = _page_start(page, total, ppp)
        rows = call.store.all(
            "SELECT * FROM posts WHERE tid = ? AND authorid = ? ORDER BY position LIMIT ? OFFSET ?",
            tid,
            author_id,
            ppp,
            offset,
        )
        return [_post_entry(call, row, offset + index + 1, replied) for index, row in enumerate(rows)]
    offset = _page_start(page, call.store.value("SELECT COUNT(*) FROM posts WHERE tid = ?", tid), ppp)
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


# -- log-in, captcha --------------------------------------------------------------------------


def login(call: Call) -> Response:
    request, site = call.request, call.site
    if request.arg("mlogout"):
        if request.arg("hash") != call.visitor.formhash:
            return answer(call, message="submit_invalid")
        response = Response.json([])
        response.cookies.extend(site.logout_cookies())
        return response
    if request.arg("loginsubmit") != "yes":
        return answer(call)
    outcome = site.attempt_login(request, call.visitor)
    if outcome.member is None:
        return answer(call, message=outcome.messageval)
    call.visitor = site.make_visitor(call.visitor.saltkey, call.visitor.fresh_saltkey, outcome.member)
    if call.version >= 4 and site.settings.quirks:
        response = php_failure(call, "Failed opening required './source/plugin/wechat/wsq.class.php'")
    else:
        response = answer(call, message="login_succeed")
    response.cookies.extend(site.login_cookies(call.visitor))
    return response


def secure(call: Call) -> Response:
    kind = call.request.arg("type")
    wanted = {
        "login": call.site.settings.login_captcha,
        "post": call.site.settings.post_captcha,
        "register": True,
    }.get(kind, False)
    if not (wanted or call.request.arg("force")):
        if call.site.settings.quirks:
            return php_failure(call, "array_merge(): Argument #2 must be of type array, null given")
        return answer(call)
    sechash = call.site.new_sechash()
    url = f"{call.request.base_url}api/mobile/index.php?module=seccodehtml&sechash={sechash}&version=4"
    return answer(call, {"sechash": sechash, "seccode": url})


def seccodehtml(call: Call) -> Response:
    sechash = re.sub(r"\W", "", call.request.arg("sechash"))
    src = f"{call.request.base_url}api/mobile/index.php?module=seccode&sechash={sechash}&version=4"
    return Response.html(f'<img src="{src}" />')


def seccode(call: Call) -> Response:
    if not call.request.headers.get("referer"):
        return Response.html("Access Denied")
    return Response(200, text_png(CAPTCHA_ANSWER), "image/png")


# -- posting --------------------------------------------------------------------------------


def _posting_problem(call: Call, message: str) -> str:
    """The messageval that stops a post (captcha, flood, length), or "" when it may go."""
    site, member = call.site, call.visitor.member
    if site.settings.post_captcha and not site.captcha_ok(call.request):
        return "submit_seccode_invalid"
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


def _quote_of(call: Call, pid: int, tid: int) -> str:
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
        "INSERT INTO posts(tid, first, authorid, author, dateline, message, position) VALUES (?,?,?,?,?,?,?)",
        tid,
        int(first),
        visitor.uid,
        visitor.username,
        now,
        message,
        position,
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
        prefix = _quote_of(call, quoted_pid, thread["tid"])
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
    forum = _forum_or_none(call, request.int_arg("fid"))
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
    if _has_voted(call, tid):
        return answer(call, message="thread_poll_voted")
    if _poll_expired(call, poll):
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


# -- favourites, my threads -------------------------------------------------------------------


def _favourite(call: Call, idtype: str) -> Response:
    if not call.visitor.uid:
        return answer(call, message="to_login//1")
    target = call.request.int_arg("id")
    if call.request.arg("op") == "delete":
        favid = call.request.int_arg("favid")
        call.store.run(
            "DELETE FROM favorites WHERE uid = ? AND idtype = ? AND (favid = ? OR id = ?)",
            call.visitor.uid,
            idtype,
            favid,
            target,
        )
        return answer(call, message="do_success")
    if idtype == "tid":
        row = call.store.one("SELECT subject AS title FROM threads WHERE tid = ?", target)
    else:
        row = call.store.one("SELECT name AS title FROM forums WHERE fid = ? AND type != 'group'", target)
    if row is None:
        return answer(call, message="favorite_cannot_favorite")
    if call.store.one(
        "SELECT 1 FROM favorites WHERE uid = ? AND id = ? AND idtype = ?", call.visitor.uid, target, idtype
    ):
        return answer(call, message="favorite_repeat")
    call.store.run(
        "INSERT INTO favorites(uid, id, idtype, title, dateline) VALUES (?, ?, ?, ?, ?)",
        call.visitor.uid,
        target,
        idtype,
        row["title"],
        call.site.now(),
    )
    return answer(call, message="favorite_do_success")


def favthread(call: Call) -> Response:
    return _favourite(call, "tid")


def favforum(call: Call) -> Response:
    return _favourite(call, "fid")


def _favourite_list(call: Call, idtype: str, guest_quirk: bool) -> Response:
    if not call.visitor.uid:
        if guest_quirk and call.site.settings.quirks:
            return php_failure(call, _ARRAY_VALUES_NULL)
        return answer(call, {"list": [], "perpage": "20", "count": "0"}, "to_login//1")
    rows = call.store.all(
        "SELECT * FROM favorites WHERE uid = ? AND idtype = ? ORDER BY dateline DESC, favid DESC",
        call.visitor.uid,
        idtype,
    )
    items = []
    for row in rows:
        item = {
            "favid": str(row["favid"]),
            "uid": str(row["uid"]),
            "id": str(row["id"]),
            "idtype": idtype,
            "spaceuid": "0",
            "title": bbcode.html.escape(row["title"]),
            "description": "",
            "dateline": str(row["dateline"]),
        }
        if idtype == "tid":
            thread = call.store.one("SELECT replies, author FROM threads WHERE tid = ?", row["id"])
            item.update(
                {
                    "icon": '<img src="static/image/feed/thread.gif" alt="thread" class="t" /> ',
                    "url": f"forum.php?mod=viewthread&tid={row['id']}",
                    "replies": str(thread["replies"]) if thread else "0",
                    "author": thread["author"] if thread else "",
                }
            )
        else:
            item.update(
                {
                    "icon": '<img src="static/image/feed/discuz.gif" alt="forum" class="t" /> ',
                    "url": f"forum.php?mod=forumdisplay&fid={row['id']}",
                }
            )
        items.append(item)
    return answer(call, {"list": items, "perpage": "20", "count": str(len(items))})


def myfavthread(call: Call) -> Response:
    return _favourite_list(call, "tid", guest_quirk=True)


def myfavforum(call: Call) -> Response:
    return _favourite_list(call, "fid", guest_quirk=False)


def _guide_entry(call: Call, row: sqlite3.Row) -> dict[str, object]:
    """A thread as the guide (导读) lists show it: the database row plus display extras."""
    facts = _thread_record(row)
    now = call.site.now()
    facts.update(
        {
            "lastposterenc": quote(row["lastposter"]),
            "multipage": "",
            "recommendicon": "",
            "new": "0",
            "heatlevel": "0",
            "moved": "0",
            "icontid": str(row["tid"]),
            "folder": "common",
            "dbdateline": str(row["dateline"]),
            "weeknew": "1" if now - row["dateline"] < 7 * 86400 else "",
            "istoday": "1" if row["dateline"] >= today_start(now) else "0",
            "dblastpost": str(row["lastpost"]),
            "id": "normalthread_" + str(row["tid"]),
            "rushreply": "0",
        }
    )
    return facts


def _guide_refusal(call: Call, *, needs_login: bool) -> Response | None:
    """Guide (导读) lists crash on the real server when the guide is off or, for own lists, as guest."""
    if not call.site.settings.guide:
        message = "guide_status_off"
    elif needs_login and not call.visitor.uid:
        message = "to_login//1"
    else:
        return None
    if call.site.settings.quirks:
        return php_failure(call, _ARRAY_VALUES_NULL)
    return answer(call, {"data": [], "perpage": "50"}, message)


def mythread(call: Call) -> Response:
    refusal = _guide_refusal(call, needs_login=True)
    if refusal:
        return refusal
    perpage = 50
    page = max(call.request.int_arg("page", 1), 1)
    if call.request.arg("type") == "reply":
        where = "tid IN (SELECT tid FROM posts WHERE authorid = ? AND first = 0)"
    else:
        where = "authorid = ?"
    rows = call.store.all(
        f"SELECT * FROM threads WHERE {where} ORDER BY lastpost DESC LIMIT ? OFFSET ?",
        call.visitor.uid,
        perpage,
        (page - 1) * perpage,
    )
    data = []
    for row in rows:
        facts = _guide_entry(call, row)
        facts["dateline"] = day_date(row["dateline"])
        data.append(facts)
    return answer(call, {"data": data, "perpage": str(perpage)})


# -- people, messages, notices ----------------------------------------------------------------


def _space(call: Call, member: sqlite3.Row) -> dict[str, object]:
    uid, now = member["uid"], call.site.now()
    return members.space(
        member,
        threads=int(call.store.value("SELECT COUNT(*) FROM threads WHERE authorid = ?", uid) or 0),
        posts=int(call.store.value("SELECT COUNT(*) FROM posts WHERE authorid = ?", uid) or 0),
        viewer_uid=call.visitor.uid,
        dates={
            "regdate": full_date(member["regdate"]),
            "lastvisit": full_date(now - 600),
            "lastactivity": full_date(now - 600),
            "lastactivitydb": str(now - 600),
            "lastpost": full_date(member["lastpost"]) if member["lastpost"] else "0",
        },
    )


def profile(call: Call) -> Response:
    uid = call.request.int_arg("uid") or call.visitor.uid
    member = call.store.one("SELECT * FROM members WHERE uid = ?", uid)
    extra: dict[str, object] = {
        "space": _space(call, member) if member else {},
        "extcredits": members.EXTCREDITS,
        "wsq": {"wsq_apicredit": None},
    }
    if not call.visitor.uid:
        return answer(call, extra, "home_no_privilege//1")
    if member is None:
        return answer(call, extra, "space_does_not_exist")
    return answer(call, extra)


def profiles(call: Call) -> Response:
    uids = [int(part) for part in call.request.arg("uids").split(",") if part.strip().isdigit()][:50]
    rows = (
        call.store.all(
            f"SELECT uid, username FROM members WHERE uid IN ({','.join('?' * len(uids))}) ORDER BY uid",
            *uids,
        )
        if uids
        else []
    )
    return answer(call, {"profiles": [{"uid": str(row["uid"]), "username": row["username"]} for row in rows]})


def mypm(call: Call) -> Response:
    page = max(call.request.int_arg("page", 1), 1)
    if not call.visitor.uid:
        return answer(
            call, {"list": [], "count": "0", "perpage": "15", "page": str(page)}, "login_before_enter_home//1"
        )
    uid, now = call.visitor.uid, call.site.now()
    if call.request.arg("subop") == "view":
        other = call.request.int_arg("touid")
        rows = call.store.all(
            "SELECT p.*, m.username AS from_name FROM pms p JOIN members m ON m.uid = p.from_uid"
            " WHERE (from_uid = ? AND to_uid = ?) OR (from_uid = ? AND to_uid = ?) ORDER BY dateline, pmid",
            uid,
            other,
            other,
            uid,
        )
        call.store.run("UPDATE pms SET is_new = 0 WHERE to_uid = ? AND from_uid = ?", uid, other)
        subject = bbcode.quote_excerpt(rows[0]["message"], 40) if rows else ""
        messages = [
            {
                "plid": str(other),
                "subject": subject,
                "pmid": str(row["pmid"]),
                "message": call.render(row["message"]),
                "touid": str(other),
                "msgfromid": str(row["from_uid"]),
                "msgfrom": row["from_name"],
                "vdateline": relative_date(row["dateline"], now),
            }
            for row in rows
        ]
        call.visitor = call.site.make_visitor(call.visitor.saltkey, False, call.visitor.member)
        return answer(
            call,
            {
                "list": messages,
                "count": str(len(messages)),
                "perpage": "5",
                "page": str(page),
                "pmid": str(rows[-1]["pmid"]) if rows else "0",
            },
        )
    rows = call.store.all(
        "SELECT p.*, CASE WHEN from_uid = ? THEN to_uid ELSE from_uid END AS other"
        " FROM pms p WHERE from_uid = ? OR to_uid = ? ORDER BY dateline DESC, pmid DESC",
        uid,
        uid,
        uid,
    )
    names = {row["uid"]: row["username"] for row in call.store.all("SELECT uid, username FROM members")}
    conversations: dict[int, dict[str, str]] = {}
    for row in rows:
        other = row["other"]
        if other in conversations:
            continue
        unread = call.store.value(
            "SELECT COUNT(*) FROM pms WHERE from_uid = ? AND to_uid = ? AND is_new = 1", other, uid
        )
        conversations[other] = {
            "plid": str(other),
            "isnew": "1" if unread else "0",
            "subject": bbcode.quote_excerpt(row["message"], 40),
            "touid": str(other),
            "pmid": str(row["pmid"]),
            "msgfromid": str(row["from_uid"]),
            "msgfrom": names.get(row["from_uid"], ""),
            "message": bbcode.html.escape(row["message"]),
            "tousername": names.get(other, ""),
            "vdateline": relative_date(row["dateline"], now),
        }
    items = list(conversations.values())
    return answer(call, {"list": items, "count": str(len(items)), "perpage": "15", "page": str(page)})


def sendpm(call: Call) -> Response:
    if not call.visitor.uid:
        return answer(call, {"pmid": None}, "to_login//1")
    request, store, now = call.request, call.store, call.site.now()
    if request.arg("touid"):
        target = store.one("SELECT uid FROM members WHERE uid = ?", request.int_arg("touid"))
    else:
        target = store.one("SELECT uid FROM members WHERE username = ?", request.arg("username"))
    text = request.arg("message").strip()
    if target is None:
        return answer(call, {"pmid": "-9"}, "message_can_not_send_9")
    if not text:
        return answer(call, {"pmid": "-1"}, "message_can_not_send_1")
    last = store.value("SELECT MAX(dateline) FROM pms WHERE from_uid = ?", call.visitor.uid) or 0
    if now - int(last) < PM_FLOOD_SECONDS:
        return answer(call, {"pmid": "-2"}, "message_can_not_send_2")
    pmid = store.run(
        "INSERT INTO pms(from_uid, to_uid, message, dateline) VALUES (?, ?, ?, ?)",
        call.visitor.uid,
        target["uid"],
        text,
        now,
    )
    return answer(call, {"pmid": str(pmid)}, "do_success")


def checknewpm(call: Call) -> Response:
    return Response(200, b"", "text/javascript;charset=UTF-8")


def mynotelist(call: Call) -> Response:
    page = max(call.request.int_arg("page", 1), 1)
    if not call.visitor.uid:
        return answer(call, {"list": [], "count": "0", "perpage": "10", "page": str(page)}, "to_login//1")
    rows = call.store.all(
        "SELECT * FROM notices WHERE uid = ? ORDER BY dateline DESC, id DESC", call.visitor.uid
    )
    base = call.request.base_url
    items = []
    for row in rows:
        link = f"{base}forum.php?mod=redirect&goto=findpost&pid={row['pid']}&ptid={row['tid']}"
        note = (
            f'<a href="home.php?mod=space&uid={row["authorid"]}">{bbcode.html.escape(row["author"])}</a> '
            f"{bbcode.html.escape(row['note'].removeprefix(row['author']).strip())} "
            f'&nbsp; <a href="{bbcode.html.escape(link)}" target="_blank" class="lit">查看</a>'
        )
        items.append(
            {
                "id": str(row["id"]),
                "uid": str(row["uid"]),
                "type": row["type"],
                "new": str(row["is_new"]),
                "authorid": str(row["authorid"]),
                "author": row["author"],
                "note": note,
                "dateline": str(row["dateline"]),
                "from_id": str(row["tid"]),
                "from_idtype": "post",
                "from_num": "0",
                "notevar": {
                    "tid": str(row["tid"]),
                    "pid": str(row["pid"]),
                    "subject": row["subject"],
                    "actoruid": str(row["authorid"]),
                    "actorusername": row["author"],
                },
            }
        )
    call.store.run("UPDATE notices SET is_new = 0 WHERE uid = ?", call.visitor.uid)
    return answer(call, {"list": items, "count": str(len(items)), "perpage": "10", "page": str(page)})


def publicpm(call: Call) -> Response:
    return answer(call, {"list": [], "count": "0", "perpage": "15", "page": "1"})


def smiley(call: Call) -> Response:
    group = [
        {"code": "/" + re.sub(r"([^\w\s])", r"\\\1", code) + "/", "image": f"default/{name}.gif"}
        for code, (_, name) in bbcode.SMILIES.items()
    ]
    return answer(call, {"smilies": [group]})


# -- modules a terminal client rarely needs, answered like the real server -------------------


def _fixed(message: str, extra: dict[str, object] | None = None) -> Module:
    """A module whose answer here is always the same message (permissions the demo never grants)."""

    def module(call: Call) -> Response:
        return answer(call, dict(extra or {}), message)

    return module


def envelope_only(call: Call) -> Response:
    """Modules of the absent wechat plugin that still answer with the common Variables."""
    return answer(call)


def checkcookie(call: Call) -> Response:
    return Response.json([])


def plain_text_answer(text: str) -> Module:
    def module(call: Call) -> Response:
        return Response.html(text)

    return module


def mobilesign(call: Call) -> Response:
    if call.request.arg("hash") != call.visitor.formhash or not call.visitor.uid:
        return answer(call, message="mobilesign_formhash_failed")
    return answer(call, message="mobilesign_failed")


def viewcomment(call: Call) -> Response:
    pid = call.request.arg("pid")
    return answer(
        call,
        {"tid": call.request.arg("tid"), "pid": pid, "comments": {pid: []}, "totalcomment": "", "count": "0"},
    )


def showactivity(call: Call) -> Response:
    return answer(call, {"tid": call.request.arg("tid"), "pid": None, "postlist": []}, in_forum=True)


IMAGE_EXTENSIONS = ("jpg", "jpeg", "gif", "png")
# What checkpost offers as ``allowupload`` (in this order) is what forumupload accepts.
UPLOAD_EXTENSIONS = (*IMAGE_EXTENSIONS, "mp3", "txt", "zip", "rar", "pdf")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def checkpost(call: Call) -> Response:
    allowed = "1" if call.visitor.uid else "0"
    uploads = {ext: ("-1" if call.visitor.uid else "0") for ext in UPLOAD_EXTENSIONS}
    return answer(
        call,
        {
            "allowperm": {
                "allowpost": allowed,
                "allowreply": allowed,
                "allowupload": uploads,
                "attachremain": {"size": "-1", "count": "-1"},
                "uploadhash": call.site.upload_hash(call.visitor.uid),
            }
        },
    )


def buyattachment(call: Call) -> Response:
    row = call.store.one(
        "SELECT a.filename, a.description, a.uid, m.username FROM attachments a"
        " JOIN members m ON m.uid = a.uid"
        " WHERE a.aid = ?",
        call.request.int_arg("aid"),
    )
    facts = (
        {
            "filename": row["filename"],
            "description": row["description"],
            "authorid": str(row["uid"]),
            "author": row["username"],
        }
        if row
        else {"filename": None, "description": None, "authorid": None, "author": None}
    )
    return answer(
        call, {**facts, "price": "0", "balance": None, "credit": {"title": "金钱"}}, "undefined_action"
    )


def forumupload(call: Call) -> Response:
    """An attachment upload (misc.php?mod=swfupload): plain-text answers, not JSON.

    ``simple=1`` answers ``DISCUZUPLOAD|error|aid|isimage|0``, otherwise just the aid; a wrong
    upload hash gets an empty body. The upload waits (pid 0) until a post claims it.
    """
    request, visitor = call.request, call.visitor
    if not visitor.uid or request.arg("hash") != call.site.upload_hash(visitor.uid):
        return Response.html("")
    filename, data = request.files.get("Filedata", ("", b""))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    error = 0 if data else 4
    if extension not in UPLOAD_EXTENSIONS:
        error = 1
    elif len(data) > MAX_UPLOAD_BYTES:
        error = 2
    aid, is_image = 0, 0
    if not error:
        width, height = png_size(data)
        is_image = int(extension in IMAGE_EXTENSIONS)
        aid = call.store.run(
            "INSERT INTO attachments(tid, pid, uid, dateline, filename, path, isimage, width, height, data)"
            " VALUES (0, 0, ?, ?, ?, ?, ?, ?, ?, ?)",
            visitor.uid,
            call.site.now(),
            filename,
            f"upload/{secrets.token_hex(8)}.{extension}",
            is_image,
            width,
            height,
            data,
        )
    if request.arg("simple") == "1":
        return Response.html(f"DISCUZUPLOAD|{error}|{aid}|{is_image}|0")
    return Response.html(str(aid) if not error else str(-error))


def forumimage(call: Call) -> Response:
    row = call.store.one(
        "SELECT path FROM attachments WHERE aid = ? AND isimage = 1", call.request.int_arg("aid")
    )
    target = f"data/attachment/forum/{row['path']}" if row else "static/image/common/none.gif"
    return Response(302, b"", "text/html; charset=utf-8", [("Location", call.request.base_url + target)])


def _recent_threads(call: Call, where: str, *params: object, limit: int = 20, offset: int = 0) -> list:
    members_only = "" if call.visitor.uid else " AND f.members_only = 0"
    return call.store.all(
        f"SELECT t.* FROM threads t JOIN forums f ON f.fid = t.fid WHERE {where}{members_only}"
        " ORDER BY t.dateline DESC LIMIT ? OFFSET ?",
        *params,
        limit,
        offset,
    )


def newthreads(call: Call) -> Response:
    fids = [int(part) for part in call.request.arg("fids").split(",") if part.strip().isdigit()]
    rows = _recent_threads(
        call,
        f"t.fid IN ({','.join('?' * len(fids)) or '0'})",
        *fids,
        limit=min(max(call.request.int_arg("limit", 20), 1), 100),
        offset=max(call.request.int_arg("start"), 0),
    )
    data = []
    for row in rows:
        summary = _thread_row(call, row)
        data.append(
            {
                key: summary[key]
                for key in (
                    "tid",
                    "readperm",
                    "author",
                    "authorid",
                    "subject",
                    "dateline",
                    "lastpost",
                    "lastposter",
                    "views",
                    "replies",
                    "digest",
                    "attachment",
                    "dbdateline",
                    "dblastpost",
                    "attachmentImageNumber",
                    "message",
                )
            }
        )
        data[-1]["dateline"] = relative_date(row["dateline"], call.site.now())
        data[-1]["lastpost"] = relative_date(row["lastpost"], call.site.now())
    return answer(call, {"data": data})


def hotthread(call: Call) -> Response:
    refusal = _guide_refusal(call, needs_login=False)
    if refusal:
        return refusal
    now = call.site.now()
    rows = _recent_threads(call, "t.lastpost >= ?", now - 7 * 86400, limit=50)
    data = []
    for row in sorted(rows, key=lambda thread: thread["replies"], reverse=True):
        facts = _guide_entry(call, row)
        facts.update(
            {
                "dateline": relative_date(row["dateline"], now),
                "lastpost": relative_date(row["lastpost"], now),
                "avatar": f"{call.request.base_url}uc_server/avatar.php?uid={row['authorid']}&size=small",
                "attachmentImageNumber": "0",
                "attachmentImagePreviewList": [],
                "message": bbcode.plain_text(_first_message(call, row["tid"])),
            }
        )
        data.append(facts)
    return answer(call, {"data": data, "perpage": "50"})


def hotforum(call: Call) -> Response:
    counts = call.forum_counts
    data = []
    for forum in _visible_forums(call):
        if forum["type"] == "group":
            continue
        last = call.store.one(
            "SELECT * FROM threads WHERE fid = ? ORDER BY lastpost DESC LIMIT 1", forum["fid"]
        )
        entry: dict[str, object] = _board(forum, counts)
        entry.update(
            {
                "lastpost": full_date(last["lastpost"]) if last else "",
                "lastpost_tid": str(last["tid"]) if last else "0",
                "lastpost_subject": last["subject"] if last else "",
                "lastposter": last["lastposter"] if last else "",
            }
        )
        data.append(entry)
    data.sort(key=lambda entry: int(entry["todayposts"]), reverse=True)  # type: ignore[arg-type]
    return answer(call, {"data": data})


def toplist(call: Call) -> Response:
    rows = _sticky_threads(call, call.request.int_arg("fid"))
    return answer(
        call,
        {"forum_threadlist": [_thread_record(row) for row in rows], "forum": {"password": "0"}},
        in_forum=True,
    )


def forummisc(call: Call) -> Response:
    """Without parameters the real server renders its touch-site message page, not JSON."""
    return Response.html(
        '<!DOCTYPE html><html><head><meta charset="utf-8" /><title>提示信息</title></head>'
        "<body><p>指定的主题不存在</p></body></html>"
    )


def friend(call: Call) -> Response:
    return answer(call, {"list": [], "count": None}, "friend_status_off")


# -- dispatch ----------------------------------------------------------------------------------

Module = Callable[[Call], Response]

MODULES: dict[str, tuple[Module, tuple[int, ...]]] = {
    "check": (check, (1, 2, 3, 4)),
    "forumindex": (forumindex, (1, 4)),
    "forumnav": (forumnav, (1, 3)),
    "forumdisplay": (forumdisplay, (1, 4)),
    "sublist": (sublist, (4,)),
    "viewthread": (viewthread, (1, 3, 4)),
    "login": (login, (1, 3, 4)),
    "secure": (secure, (4,)),
    "seccodehtml": (seccodehtml, (4,)),
    "seccode": (seccode, (3,)),
    "sendreply": (sendreply, (1, 4)),
    "newthread": (newthread, (1, 4)),
    "pollvote": (pollvote, (2,)),
    "favthread": (favthread, (1,)),
    "favforum": (favforum, (1,)),
    "myfavthread": (myfavthread, (1,)),
    "myfavforum": (myfavforum, (3,)),
    "mythread": (mythread, (1,)),
    "profile": (profile, (4,)),
    "profiles": (profiles, (4,)),
    "mypm": (mypm, (4,)),
    "sendpm": (sendpm, (4,)),
    "checknewpm": (checknewpm, (4,)),
    "mynotelist": (mynotelist, (3,)),
    "publicpm": (publicpm, (1,)),
    "smiley": (smiley, (4,)),
    "newthreads": (newthreads, (1,)),
    "hotthread": (hotthread, (1,)),
    "hotforum": (hotforum, (1,)),
    "toplist": (toplist, (1,)),
    "checkpost": (checkpost, (1,)),
    "viewcomment": (viewcomment, (4,)),
    "showactivity": (showactivity, (4,)),
    "buyattachment": (buyattachment, (1,)),
    "forumimage": (forumimage, (2,)),
    "forumupload": (forumupload, (4,)),
    "friend": (friend, (1,)),
    "forummisc": (forummisc, (4,)),
    "mobilesign": (mobilesign, (4,)),
    "checkcookie": (checkcookie, (4,)),
    "wsqindex": (envelope_only, (4,)),
    "wsqsiteinfo": (envelope_only, (4,)),
    "credit": (envelope_only, (4,)),
    "signin": (plain_text_answer("Access Denied, Error mod request!"), (1,)),
    "register": (_fixed("undefined_action"), (1,)),
    "plugin": (_fixed("plugin_module_nonexistence", {"html": None}), (4,)),
    "bestanswer": (_fixed("submit_invalid"), (4,)),
    "recommend": (_fixed("no_privilege_recommend"), (4,)),
    "threadrecommend": (_fixed("no_privilege_recommend"), (1,)),
    "modcp": (_fixed("admin_cpanel_noaccess"), (2,)),
    "topicadmin": (_fixed("admin_nopermission"), (2,)),
}
# Modules that need plugins the real X3.5 does not ship: they crash with a 503 there.
_BROKEN = {
    "wechat": "Failed opening required './source/plugin/wechat/wechat.lib.class.php'",
    "checkinfo": "Failed opening required './source/plugin/wechat/wsq.class.php'",
    "connect": "Using $this when not in object context",
    "wechat_clearlogin": "Oops! System file lost: plugin/wechat/table/table_common_member_wechat.php",
}


def _version(requested: str, available: tuple[int, ...]) -> int:
    try:
        wanted = min(max(int(requested or "1"), 1), 4)
    except ValueError:
        wanted = 1
    lower = [version for version in available if version <= wanted]
    return max(lower) if lower else min(available)


def dispatch(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    name = request.query.get("module", "")
    if not name and "check" in request.query:
        name = "check"
    if name in _BROKEN and site.settings.quirks:
        return system_error_page(_BROKEN[name], site.now())
    if name not in MODULES:
        return Response.json({"error": "module_not_exists"})
    module, versions = MODULES[name]
    call = Call(site, request, visitor, _version(request.query.get("version", ""), versions))
    return module(call)
