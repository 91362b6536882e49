"""Which handlers answer a request the site accepted: the mobile API or the web pages."""

from __future__ import annotations

from tui.demo import members_only, mobile, web, web_account
from tui.demo.exchange import MOBILE_API_PATH, Request, Response
from tui.demo.site import DemoSite, Visitor


def route(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    if (refused := members_only.refusal(site, request, visitor)) is not None:
        return refused
    if request.path == MOBILE_API_PATH:
        return mobile.dispatch(site, request, visitor)
    if request.path == "/search.php":
        return web_account.search(site, request, visitor)
    if request.path == "/home.php" and request.arg("mod") == "space" and request.arg("do") == "notice":
        return web_account.notice_page(site, request, visitor)
    return web.dispatch(site, request, visitor)
