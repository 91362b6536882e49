"""Logging in and the captcha around it (login, secure, seccodehtml, seccode)."""

from __future__ import annotations

import re

from tui.demo.exchange import Response
from tui.demo.images import text_png
from tui.demo.mobile.envelope import Call, answer, php_failure
from tui.demo.site import CAPTCHA_ANSWER, SECQAA_QUESTION


def login(call: Call) -> Response:
    request, site = call.request, call.site
    if request.arg("mlogout"):
        if request.arg("hash") != call.visitor.formhash:
            return answer(call, message="submit_invalid")
        response = Response.json([])
        response.cookies.extend(site.logout_cookies())
        return response
    if request.arg("loginsubmit") != "yes":
        return answer(call)
    outcome = site.attempt_login(request, call.visitor)
    if outcome.member is None:
        return answer(call, message=outcome.messageval)
    call.visitor = site.make_visitor(call.visitor.saltkey, call.visitor.fresh_saltkey, outcome.member)
    if call.version >= 4 and site.settings.quirks:
        response = php_failure(call, "Failed opening required './source/plugin/wechat/wsq.class.php'")
    else:
        response = answer(call, message="login_succeed")
    response.cookies.extend(site.login_cookies(call.visitor))
    return response


def secure(call: Call) -> Response:
    kind = call.request.arg("type")
    picture, question = call.site.asks(kind)
    picture = picture or bool(call.request.arg("force"))
    if not (picture or question):
        if call.site.settings.quirks:
            return php_failure(call, "array_merge(): Argument #2 must be of type array, null given")
        return answer(call)
    sechash = call.site.new_sechash()
    asked: dict[str, object] = {"sechash": sechash}
    if picture:
        asked["seccode"] = (
            f"{call.request.base_url}api/mobile/index.php?module=seccodehtml&sechash={sechash}&version=4"
        )
    if question:
        asked["secqaa"] = SECQAA_QUESTION
    return answer(call, asked)


def seccodehtml(call: Call) -> Response:
    sechash = re.sub(r"\W", "", call.request.arg("sechash"))
    src = f"{call.request.base_url}api/mobile/index.php?module=seccode&sechash={sechash}&version=4"
    return Response.html(f'<img src="{src}" />')


def seccode(call: Call) -> Response:
    if not call.request.headers.get("referer"):
        return Response.html("Access Denied")
    return Response(200, text_png(CAPTCHA_ANSWER), "image/png")
