"""Which handlers answer a request the site accepted: the mobile API or the web pages."""

from __future__ import annotations

from tui.demo import (
    members_only,
    mobile,
    mobile_off,
    web,
    web_account,
    web_editing,
    web_pages,
    web_posting,
    web_rating,
)
from tui.demo.exchange import MOBILE_API_PATH, Request, Response
from tui.demo.site import DemoSite, Visitor


def route(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    if (refused := members_only.refusal(site, request, visitor)) is not None:
        return refused
    if request.path == MOBILE_API_PATH:
        if site.settings.mobile_api != "on":
            return mobile_off.answer(site, request, visitor)
        return mobile.dispatch(site, request, visitor)
    if request.path == "/forum.php" and request.arg("mod") not in ("redirect", "attachment"):
        return _forum_page(site, request, visitor)
    if request.path == "/search.php":
        return web_account.search(site, request, visitor)
    if request.path == "/home.php" and request.arg("mod") == "space" and request.arg("do") == "notice":
        return web_account.notice_page(site, request, visitor)
    return web.dispatch(site, request, visitor)


def _forum_page(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """forum.php's reading pages and post forms; an unknown ``mod`` shows the board list, as on Discuz!."""
    mod = request.arg("mod")
    if mod == "forumdisplay":
        return web_pages.forum_display(site, request, visitor)
    if mod == "viewthread":
        return web_pages.view_thread(site, request, visitor)
    if mod == "post" and request.arg("action") == "edit":
        return web_editing.edit(site, request, visitor)
    if mod == "post":
        return web_posting.post(site, request, visitor)
    if mod == "misc" and request.arg("action") == "rate":
        return web_rating.rate(site, request, visitor)
    if mod == "misc" and request.arg("action") == "viewratings":
        return web_rating.view_ratings(site, request, visitor)
    if mod == "misc" and request.arg("action") == "votepoll":
        return web_posting.vote(site, request, visitor)
    return web_pages.forum_index(site, request, visitor)
