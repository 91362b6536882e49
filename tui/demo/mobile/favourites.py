"""Favourite threads and boards: adding them and listing them."""

from __future__ import annotations

from tui.content import bbcode
from tui.demo.exchange import Response
from tui.demo.mobile.envelope import ARRAY_VALUES_NULL, Call, answer, php_failure


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
            return php_failure(call, ARRAY_VALUES_NULL)
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
