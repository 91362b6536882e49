"""``api/mobile/`` on a site that has no usable mobile API: removed (404) or its plugin switched off.

With the plugin off (``pre_common_plugin.available=0``) the real X3.5 still runs
``api/mobile/index.php``, but the hook that prints JSON never fires: ``module=check`` answers
only ``{"testcookie":null}`` (as text/html) and every other module the touch (手机版) page.
"""

from __future__ import annotations

from tui.demo.exchange import Request, Response
from tui.demo.site import DemoSite, Visitor

REMOVED = "missing"
PLUGIN_OFF = "disabled"
NOT_FOUND_PAGE = (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n'
    "</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body>"
    "</html>\n"
)


def answer(site: DemoSite, request: Request, visitor: Visitor) -> Response:
    """What ``api/mobile/index.php`` answers when ``site.settings.mobile_api`` is not "on"."""
    if site.settings.mobile_api == REMOVED:
        return Response(404, NOT_FOUND_PAGE.encode(), "text/html; charset=iso-8859-1")
    if request.query.get("module") == "check":
        return Response(200, b'{"testcookie":null}', "text/html; charset=utf-8")
    name = site.store.setting("sitename")
    touch = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8" />\n'
        f"<title>论坛 - {name} - 手机版 - Powered by Discuz!</title>\n</head>\n"
        '<body class="bg"><div class="wp"><a href="forum.php?mobile=2">论坛</a></div></body>\n</html>\n'
    )
    return Response.html(touch)
