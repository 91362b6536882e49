"""A forum guests may not see (``--guests-forbidden``): every page and module asks them to log in.

The mobile API still answers what a client needs to get in (``check``, ``login``, the captcha
modules); everything else answers a guest ``to_login//1``, and the board and thread modules
``viewperm_login_nopermission//1`` (the keys the X3.5 captures show for a guest refused a
members-only board, a favourite or a message). Web pages give the "log in first" message page
instead of their content.
"""

from __future__ import annotations

from tui.demo.exchange import MOBILE_API_PATH, Request, Response
from tui.demo.mobile.envelope import Call, answer
from tui.demo.site import DemoSite, Visitor
from tui.demo.web import _message_page

OPEN_MODULES = frozenset({"check", "login", "secure", "seccodehtml", "seccode"})
OPEN_PAGES = frozenset({"/member.php"})  # the log-in form and its answers
READING_MODULES = frozenset({"forumdisplay", "viewthread"})
LOG_IN_FIRST = "您需要先登录才能继续本操作"


def _api_version(request: Request) -> int:
    version = request.query.get("version", "")
    return min(max(int(version), 1), 4) if version.isdigit() else 1


def refusal(site: DemoSite, request: Request, visitor: Visitor) -> Response | None:
    """The "log in first" answer for a guest, or None when the request may go on."""
    if not site.settings.guests_forbidden or visitor.uid:
        return None
    if request.path == MOBILE_API_PATH:
        module = request.query.get("module", "")
        if module in OPEN_MODULES or (not module and "check" in request.query):
            return None
        key = "viewperm_login_nopermission//1" if module in READING_MODULES else "to_login//1"
        return answer(Call(site, request, visitor, _api_version(request)), message=key)
    if request.path in OPEN_PAGES or not request.path.endswith(".php"):
        return None  # static files, attachments' files and avatars are plain files on a real server
    return _message_page(LOG_IN_FIRST)
