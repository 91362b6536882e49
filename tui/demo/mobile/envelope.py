"""What every mobile API module shares: the request's ``Call`` and the JSON envelope around an answer."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from tui.content import bbcode
from tui.demo import members
from tui.demo.charsets import api_label
from tui.demo.dates import today_start
from tui.demo.exchange import Request, Response
from tui.demo.site import COOKIE_PREFIX, DemoSite, Visitor, system_error_page
from tui.demo.store import Store

ARRAY_VALUES_NULL = "array_values(): Argument #1 ($array) must be of type array, null given"


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
    charset = api_label(call.site.settings.charset)
    body: dict[str, object] = {"Version": str(call.version), "Charset": charset, "Variables": variables}
    if message:
        body["Message"] = {"messageval": message, "messagestr": "mobile:" + message.split("//")[0]}
    return Response.json(body, status)


def php_failure(call: Call, reason: str) -> Response:
    """A module that crashes on the real server (a quirk reproduced while ``quirks`` is on)."""
    return system_error_page(reason, call.site.now())


def page_start(page: int, total: int, per_page: int) -> int:
    """Index of the first item on ``page``; a page past the end shows the last one, as on Discuz!."""
    last_page = max(math.ceil(total / per_page), 1)
    return (min(page, last_page) - 1) * per_page


Module = Callable[[Call], Response]
