"""Modules whose answer hardly depends on the forum: fixed messages, bare envelopes, plain text."""

from __future__ import annotations

import re

from tui.content import bbcode
from tui.demo.exchange import Response
from tui.demo.mobile.envelope import Call, Module, answer


def smiley(call: Call) -> Response:
    group = [
        {"code": "/" + re.sub(r"([^\w\s])", r"\\\1", code) + "/", "image": f"default/{name}.gif"}
        for code, (_, name) in bbcode.SMILIES.items()
    ]
    return answer(call, {"smilies": [group]})


def fixed_answer(message: str, extra: dict[str, object] | None = None) -> Module:
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


def forummisc(call: Call) -> Response:
    """Without parameters the real server renders its touch-site message page, not JSON."""
    return Response.html(
        '<!DOCTYPE html><html><head><meta charset="utf-8" /><title>提示信息</title></head>'
        "<body><p>指定的主题不存在</p></body></html>"
    )
