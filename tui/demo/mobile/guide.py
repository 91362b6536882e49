"""The guide (导读) lists: my threads, new threads, hot threads and boards, the top list."""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

from tui.content import bbcode
from tui.demo.dates import day_date, full_date, relative_date, today_start
from tui.demo.exchange import Response
from tui.demo.mobile.envelope import ARRAY_VALUES_NULL, Call, answer, php_failure
from tui.demo.mobile.forums import (
    board_entry,
    first_message,
    sticky_threads,
    thread_record,
    thread_row,
    visible_forums,
)


def _guide_entry(call: Call, row: sqlite3.Row) -> dict[str, object]:
    """A thread as the guide (导读) lists show it: the database row plus display extras."""
    facts = thread_record(row)
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
        return php_failure(call, ARRAY_VALUES_NULL)
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
        summary = thread_row(call, row)
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
                "message": bbcode.plain_text(first_message(call, row["tid"])),
            }
        )
        data.append(facts)
    return answer(call, {"data": data, "perpage": "50"})


def hotforum(call: Call) -> Response:
    counts = call.forum_counts
    data = []
    for forum in visible_forums(call):
        if forum["type"] == "group":
            continue
        last = call.store.one(
            "SELECT * FROM threads WHERE fid = ? ORDER BY lastpost DESC LIMIT 1", forum["fid"]
        )
        entry: dict[str, object] = board_entry(forum, counts)
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
    rows = sticky_threads(call, call.request.int_arg("fid"))
    return answer(
        call,
        {"forum_threadlist": [thread_record(row) for row in rows], "forum": {"password": "0"}},
        in_forum=True,
    )
