"""HTTP to one Discuz! site: one shared ``httpx.AsyncClient``, mobile-API calls and web pages.

Everything that leaves here is either an ``Answer`` or a ``tui.errors.ForumError``. The
client keeps cookies for the site (the session), keeps connections alive, asks for
compressed answers, says truthfully who it is in the User-Agent and sends a Referer with
every POST (Discuz! checks it). Form fields and query values go out in the site's own
charset; answers come back with the character references that charset forced resolved
(see ``tui.discuz.charset``), so callers see what posters typed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from tui import __version__, errors
from tui.discuz import messages
from tui.discuz.charset import (
    decode_json,
    decode_page,
    encode_form,
    encode_query,
    resolve_references,
    resolve_references_in,
)

MOBILE_PATH = "api/mobile/index.php"
USER_AGENT = f"forum-tui/{__version__}"
_TAINTED_MARKERS = ("request_tainting", "_xss_check", "含有非法字符", "含有非法字元")
_SYSTEM_ERROR_MARKER = "System Error"

Fields = Iterable[tuple[str, str]]


@dataclass(slots=True)
class Answer:
    """One HTTP answer, decoded: JSON data when it was JSON, page text otherwise."""

    status: int
    content_type: str
    body: bytes
    set_cookies: list[str] = field(default_factory=list)
    location: str = ""
    url: str = ""  # where the answer finally came from, after redirects
    data: Any = None
    is_json: bool = False
    site_charset: str = "utf-8"

    @property
    def text(self) -> str:
        """The page in its declared charset, with characters the site's charset lacks resolved."""
        return resolve_references(decode_page(self.body, self.content_type), self.site_charset)

    @property
    def variables(self) -> dict[str, Any]:
        """``Variables`` of a mobile answer, or an empty dict."""
        if isinstance(self.data, dict) and isinstance(self.data.get("Variables"), dict):
            return self.data["Variables"]
        return {}

    @property
    def message_key(self) -> str:
        """``Message.messageval`` (or a top-level ``error``), or ""."""
        if not isinstance(self.data, dict):
            return ""
        message = self.data.get("Message")
        if isinstance(message, dict):
            return str(message.get("messageval") or "")
        return str(self.data.get("error") or "")

    @property
    def is_system_error(self) -> bool:
        """Discuz!'s "System Error" HTML page (HTTP 503), which several modules answer."""
        return not self.is_json and self.status == 503 and _SYSTEM_ERROR_MARKER in self.text

    @property
    def is_tainted(self) -> bool:
        """The ``request_tainting`` page: a stale formhash (or quotes in a GET URL)."""
        return self.is_system_error and any(marker in self.text for marker in _TAINTED_MARKERS)

    def sets_cookie(self, suffix: str) -> bool:
        """Whether the answer set (not deleted) a cookie whose name ends with ``suffix``."""
        for header in self.set_cookies:
            name, _, rest = header.partition("=")
            if name.strip().endswith(suffix) and not rest.startswith("deleted"):
                return True
        return False

    def raise_for_message(self) -> None:
        """Raise the typed error for a failure ``Message`` or ``error`` in the answer."""
        if not isinstance(self.data, dict):
            return
        message = self.data.get("Message")
        if isinstance(message, dict):
            key = str(message.get("messageval") or "")
            if key and not messages.is_success(key):
                raise messages.error_for(key, str(message.get("messagestr") or ""))
        elif self.data.get("error"):
            raise messages.error_for(str(self.data["error"]))

    def require_data(self) -> dict[str, Any]:
        """The JSON object of a mobile answer, raising the right error for anything else."""
        if self.is_tainted:
            raise messages.error_for("request_tainting")
        if not self.is_json:
            if self.status == 404:
                raise errors.ApiDisabledError(server_key=f"http_{self.status}")
            if self.is_system_error:
                raise errors.NotAForumError(
                    "The forum failed with a server error page instead of data.",
                    server_key=f"http_{self.status}",
                )
            raise errors.NotAForumError(server_key=f"http_{self.status}")
        self.raise_for_message()
        if not isinstance(self.data, dict):
            raise errors.NotAForumError("The forum answered with unexpected data.")
        return self.data


def _parse_json(body: bytes, content_type: str) -> tuple[bool, Any]:
    """(was it JSON, value), read in the charset it declares. PHP notices before the JSON are skipped."""
    text = decode_json(body, content_type).lstrip("\ufeff \r\n\t")
    if not text:
        return False, None
    try:
        return True, json.loads(text)
    except ValueError:
        start = min((at for at in (text.find("{"), text.find("[")) if at >= 0), default=-1)
        if start > 0:
            try:
                return True, json.loads(text[start:])
            except ValueError:
                pass
    return False, None


class DiscuzApi:
    """Requests to one site. ``charset`` is the site's, learnt by the probe."""

    def __init__(
        self,
        site_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20.0,
    ) -> None:
        self.site_url = site_url
        self.charset = "utf-8"
        self.version = 4  # the API version asked for: the newest the site's plugin offers, at most 4
        self.client = httpx.AsyncClient(
            base_url=site_url,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
        )

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        fields: Fields | None = None,
        referer: str | None = None,
        follow: bool = True,
    ) -> Answer:
        """One request; network trouble becomes ``NetworkError``. GETs follow redirects unless told."""
        headers: dict[str, str] = {}
        content = None
        if method == "POST":
            headers["Referer"] = referer or self.site_url
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            content = encode_form(fields or (), self.charset)
        elif referer:
            headers["Referer"] = referer
        if params:  # query values in the site's charset too, as its own links carry them
            query = encode_query(((str(k), str(v)) for k, v in params.items()), self.charset)
            path = f"{path}{'&' if '?' in path else '?'}{query}"
        try:
            response = await self.client.request(
                method,
                path,
                content=content,
                headers=headers,
                follow_redirects=follow and method == "GET",
            )
            body = await response.aread()
        except httpx.TimeoutException as error:
            raise errors.NetworkError("The forum took too long to answer.", server_key="timeout") from error
        except (httpx.TransportError, httpx.InvalidURL) as error:
            raise errors.NetworkError(server_key=type(error).__name__) from error
        content_type = response.headers.get("content-type", "")
        is_json, data = (
            (False, None) if content_type.startswith("image/") else _parse_json(body, content_type)
        )
        return Answer(
            status=response.status_code,
            content_type=content_type,
            body=body,
            set_cookies=response.headers.get_list("set-cookie"),
            location=response.headers.get("location", ""),
            url=str(response.url),
            data=resolve_references_in(data, self.charset) if is_json else None,
            is_json=is_json,
            site_charset=self.charset,
        )

    async def mobile(
        self,
        module: str,
        *,
        version: int | None = None,
        params: Mapping[str, str | int] | None = None,
        fields: Fields | None = None,
    ) -> Answer:
        """A mobile-API call: GET, or POST when ``fields`` are given."""
        query: dict[str, str | int] = {"version": version or self.version, "module": module, **(params or {})}
        return await self.send("GET" if fields is None else "POST", MOBILE_PATH, params=query, fields=fields)

    def move_to(self, site_url: str) -> None:
        """The site lives elsewhere (it redirected us): talk to it there from now on."""
        self.site_url = site_url
        self.client.base_url = site_url

    async def aclose(self) -> None:
        await self.client.aclose()
