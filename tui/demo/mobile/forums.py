"""Site facts, the board index and a board's thread list (check, forumindex, forumdisplay…)."""

from __future__ import annotations

import sqlite3

from tui.content import bbcode
from tui.demo import members
from tui.demo.dates import day_date, full_date, relative_date
from tui.demo.exchange import Response
from tui.demo.mobile.envelope import Call, answer, page_start


def check(call: Call) -> Response:
    """Site facts (no envelope); the real server sends this JSON as text/html."""
    store = call.store
    if "module" not in call.request.query:  # the legacy "?check" entry point
        response = Response.json(
            {
                "discuzversion": "X3.5",
                "charset": call.site.settings.charset,
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
                "charset": call.site.settings.charset,
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


def visible_forums(call: Call) -> list[sqlite3.Row]:
    members_only = "" if call.visitor.uid else " WHERE members_only = 0"
    return call.store.all(f"SELECT * FROM forums{members_only} ORDER BY displayorder, fid")


def board_entry(row: sqlite3.Row, counts: dict[int, tuple[int, int, int]]) -> dict[str, str]:
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
    forums = visible_forums(call)
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
            entry: dict[str, object] = board_entry(board, counts)
            entry["description"] = board["description"]
            if board["fid"] in children:
                entry["sublist"] = [board_entry(sub, counts) for sub in children[board["fid"]]]
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
        for row in visible_forums(call)
    ]
    return answer(call, {"forums": forums})


def forum_or_none(call: Call, fid: int) -> sqlite3.Row | None:
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


def first_message(call: Call, tid: int) -> str:
    first = call.store.one("SELECT message FROM posts WHERE tid = ? AND first = 1", tid)
    return first["message"] if first else ""


def thread_row(call: Call, thread: sqlite3.Row) -> dict[str, object]:
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
        "attachmentImageNumber": str(len(images)),
        "message": bbcode.plain_text(first_message(call, thread["tid"])),
    }
    if replies:  # X3.5 leaves the key out of a thread with no replies
        row["reply"] = [
            {
                "pid": str(r["pid"]),
                "author": r["author"],
                "authorid": str(r["authorid"]),
                "message": bbcode.plain_text(r["message"], 100),
            }
            for r in reversed(replies)
        ]
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


def sticky_threads(call: Call, fid: int, condition: str = "") -> list[sqlite3.Row]:
    """Threads pinned on a board: site-wide ones (displayorder 3) and the board's own, highest first."""
    return call.store.all(
        "SELECT * FROM threads WHERE (displayorder = 3 OR (fid = ? AND displayorder > 0))"
        + condition
        + " ORDER BY displayorder DESC, lastpost DESC",
        fid,
    )


def forumdisplay(call: Call) -> Response:
    fid = call.request.int_arg("fid")
    forum = forum_or_none(call, fid)
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
    stickies = sticky_threads(call, fid, condition)
    normal = call.store.all(
        f"SELECT * FROM threads WHERE fid = ? AND displayorder "
        f"= 0{condition} ORDER BY {order} DESC, tid DESC",
        fid,
    )
    rows = [*stickies, *normal]
    page = max(call.request.int_arg("page", 1), 1)
    start = page_start(page, len(rows), tpp)
    shown = rows[start : start + tpp]
    threads = [thread_row(call, row) for row in shown]
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
    return [board_entry(sub, call.forum_counts) for sub in subforums]


def sublist(call: Call) -> Response:
    return answer(
        call, {"sublist": _subforum_boards(call, call.request.int_arg("fid")), "forum": {"password": "0"}}
    )


def thread_record(thread: sqlite3.Row) -> dict[str, object]:
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
