"""Favourite threads and boards: adding them and listing them."""

from __future__ import annotations

import sqlite3

from tui.content import bbcode
from tui.demo.exchange import Response
from tui.demo.mobile.envelope import ARRAY_VALUES_NULL, Call, answer, php_failure


def _submitted(call: Call, name: str) -> bool | None:
    """Discuz!'s ``submitcheck``: False when the form's button is absent, True for a POST with
    the session's formhash, None (the site then says ``submit_invalid``) otherwise."""
    if not call.request.arg(name):
        return False
    if call.request.method == "POST" and call.request.arg("formhash") == call.visitor.formhash:
        return True
    return None


def _own(call: Call, target: int, idtype: str) -> sqlite3.Row | None:
    """The member's favourite of this thread or board, if they have one."""
    return call.store.one(
        "SELECT * FROM favorites WHERE uid = ? AND id = ? AND idtype = ?", call.visitor.uid, target, idtype
    )


def _remove(call: Call, idtype: str) -> Response:
    """``op=delete``: by the thread or board id when given (the module fixes the type), else by
    ``favid``; only the member's own favourite, and only with ``deletesubmit`` posted."""
    target = call.request.int_arg("id")
    if target:
        row = _own(call, target, idtype)
    else:
        row = call.store.one("SELECT * FROM favorites WHERE favid = ?", call.request.int_arg("favid"))
    if row is None or row["uid"] != call.visitor.uid:
        return answer(call, message="favorite_does_not_exist")
    submitted = _submitted(call, "deletesubmit")
    if submitted is None:
        return answer(call, message="submit_invalid")
    if not submitted:  # the site would draw its confirmation form: nothing is removed
        return answer(call)
    call.store.run("DELETE FROM favorites WHERE favid = ?", row["favid"])
    return answer(call, message="do_success")


def _favourite(call: Call, idtype: str) -> Response:
    if not call.visitor.uid:
        return answer(call, message="to_login//1")
    if call.request.arg("op") == "delete":
        return _remove(call, idtype)
    target = call.request.int_arg("id")
    if idtype == "tid":
        row = call.store.one("SELECT subject AS title FROM threads WHERE tid = ?", target)
    else:
        row = call.store.one("SELECT name AS title FROM forums WHERE fid = ? AND type != 'group'", target)
    if row is None:
        return answer(call, message="favorite_cannot_favorite")
    if _own(call, target, idtype):
        return answer(call, message="favorite_repeat")
    submitted = _submitted(call, "favoritesubmit")
    if submitted is None:
        return answer(call, message="submit_invalid")
    if not submitted and call.request.arg("formhash") != call.visitor.formhash:
        return answer(call)  # the site would draw its "add a note" form: nothing is added
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
