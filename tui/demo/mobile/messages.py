"""Private messages and notices (mypm, sendpm, checknewpm, mynotelist, publicpm)."""

from __future__ import annotations

from tui.content import bbcode
from tui.demo.dates import relative_date
from tui.demo.exchange import Response
from tui.demo.mobile.envelope import Call, answer

PM_FLOOD_SECONDS = 15


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
    if problem := call.site.challenge_problem(request, "post"):
        return answer(call, {"pmid": None}, problem)
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
