"""Uploads, attachment purchase and attachment images (checkpost, forumupload, buyattachment, forumimage)."""

from __future__ import annotations

import secrets

from tui.demo.exchange import Response
from tui.demo.images import png_size
from tui.demo.mobile.envelope import Call, answer

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
