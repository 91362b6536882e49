"""The mobile API (``api/mobile/index.php?version=N&module=M``), answering like Discuz! X3.5.

Each module is a function ``(Call) -> Response``. ``MODULES`` maps a module name to its
function and the API versions that have their own file; a request for another version falls
back to the highest lower one (or the lowest there is), and ``Version`` in the answer tells
which one ran, as on the real server. Numbers are strings, like PHP's database rows.
"""

from __future__ import annotations

from tui.demo.exchange import Request, Response
from tui.demo.mobile.account import friend, profile, profiles
from tui.demo.mobile.attachments import buyattachment, checkpost, forumimage, forumupload
from tui.demo.mobile.envelope import Call, Module
from tui.demo.mobile.favourites import favforum, favthread, myfavforum, myfavthread
from tui.demo.mobile.fixed import (
    checkcookie,
    envelope_only,
    fixed_answer,
    forummisc,
    mobilesign,
    plain_text_answer,
    showactivity,
    smiley,
    viewcomment,
)
from tui.demo.mobile.forums import check, forumdisplay, forumindex, forumnav, sublist
from tui.demo.mobile.guide import hotforum, hotthread, mythread, newthreads, toplist
from tui.demo.mobile.login import login, seccode, seccodehtml, secure
from tui.demo.mobile.messages import checknewpm, mynotelist, mypm, publicpm, sendpm
from tui.demo.mobile.posting import newthread, pollvote, sendreply
from tui.demo.mobile.reading import viewthread
from tui.demo.site import DemoSite, Visitor, system_error_page

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
    "register": (fixed_answer("undefined_action"), (1,)),
    "plugin": (fixed_answer("plugin_module_nonexistence", {"html": None}), (4,)),
    "bestanswer": (fixed_answer("submit_invalid"), (4,)),
    "recommend": (fixed_answer("no_privilege_recommend"), (4,)),
    "threadrecommend": (fixed_answer("no_privilege_recommend"), (1,)),
    "modcp": (fixed_answer("admin_cpanel_noaccess"), (2,)),
    "topicadmin": (fixed_answer("admin_nopermission"), (2,)),
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
