"""Members' spaces and friends (profile, profiles, friend)."""

from __future__ import annotations

import sqlite3

from tui.demo import members
from tui.demo.dates import full_date
from tui.demo.exchange import Response
from tui.demo.mobile.envelope import Call, answer


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


def friend(call: Call) -> Response:
    return answer(call, {"list": [], "count": None}, "friend_status_off")
