"""HTTP to one Discuz! site: one shared ``httpx.AsyncClient``, mobile-API calls and web pages.

Everything that leaves here is either an ``Answer`` or a ``tui.errors.ForumError``: every
``httpx`` failure is turned into one, with a sentence saying what happened. The client keeps
cookies for the site (the session), keeps connections alive, asks for compressed answers,
says truthfully who it is in the User-Agent and sends a Referer with every POST (Discuz!
checks it). Form fields and query values go out in the site's own charset; answers come back
with the character references that charset forced resolved (see ``tui.discuz.charset``), so
callers see what posters typed.

A hostile or broken server cannot hang or swamp the client: each request has a total
deadline (connect, redirects, retries and body together), bodies are streamed and refused
past ``MAX_ANSWER_BYTES``, redirects are followed here (never from https to plain http, at
most ``MAX_REDIRECTS``), and only GETs are retried — on a refused or dropped connection,
502/503/504 and 429, with backoff that honours ``Retry-After`` — within the deadline. A POST
is never sent twice by this layer: the user resends, with the text kept.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from tui import __version__, errors
from tui.config import DEFAULT_TIMEOUT
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
DEFAULT_DEADLINE = DEFAULT_TIMEOUT  # seconds for one whole request, unless the caller says otherwise
MAX_ANSWER_BYTES = 8 * 1024 * 1024  # a JSON or HTML answer bigger than this is refused
MAX_REDIRECTS = 10
GET_ATTEMPTS = 3
RETRY_BACKOFF = 0.25  # seconds before the first retry; doubled for each next one
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_STRICT_COOKIES = DefaultCookiePolicy(strict_ns_domain=DefaultCookiePolicy.DomainStrictNonDomain)

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
    retry_after: float | None = None  # seconds the server asked us to wait (Retry-After)
    site_charset: str = "utf-8"  # the forum's own charset, tried when the declared one fails

    @property
    def text(self) -> str:
        """The page in its declared charset (else the site's), with characters the site's
        charset lacks resolved."""
        page = decode_page(self.body, self.content_type, self.site_charset)
        return resolve_references(page, self.site_charset)

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
            raise self.failure()
        self.raise_for_message()
        if not isinstance(self.data, dict):
            raise errors.NotAForumError("The forum answered with unexpected data.")
        return self.data

    def failure(self) -> errors.ForumError:
        """Why an answer that is not JSON data cannot be used, as the error to raise."""
        key = f"http_{self.status}"
        if self.status == 404:
            return errors.ApiDisabledError(server_key=key)
        if self.is_system_error:
            return errors.NotAForumError(
                "The forum failed with a server error page instead of data.", server_key=key
            )
        if self.status in (429, 503):
            return errors.ServerBusyError(server_key=key, status=self.status, retry_after=self.retry_after)
        if self.status >= 500:
            return errors.ServerError(server_key=key, status=self.status)
        if self.body.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"{", b"[") or "json" in self.content_type:
            return errors.BrokenAnswerError(
                "The forum's answer was cut off or malformed, so it could not be read.", server_key="bad_json"
            )
        return errors.NotAForumError(server_key=key)


def _parse_json(body: bytes, content_type: str, site_charset: str = "utf-8") -> tuple[bool, Any]:
    """(was it JSON, value), read in the charset it declares, else the site's own.

    PHP notices before the JSON are skipped. Raises ``BrokenAnswerError`` when no charset
    reads the bytes: mojibake is never shown silently.
    """
    stripped = body.lstrip(b"\xef\xbb\xbf \r\n\t")
    if not stripped or (stripped[:1] not in (b"{", b"[") and b"{" not in stripped[:4096]):
        return False, None
    text = decode_json(stripped, content_type, site_charset)
    if text is None:
        raise errors.BrokenAnswerError(
            "The forum's answer had a broken text encoding, so it could not be read.",
            server_key="bad_encoding",
        )
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


def _retry_after(response: httpx.Response) -> float | None:
    """The ``Retry-After`` seconds of an answer (a number; an HTTP date counts as unknown)."""
    value = response.headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


async def read_capped(response: httpx.Response, limit: int, too_large: errors.ForumError) -> bytes:
    """The whole (decoded) body, raising ``too_large`` as soon as it passes ``limit`` bytes."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def transport_error(error: httpx.HTTPError | httpx.InvalidURL, *, body_started: bool) -> errors.ForumError:
    """The ``ForumError`` for an httpx failure; ``body_started`` once the status line arrived."""
    key = type(error).__name__
    if isinstance(error, httpx.DecodingError):
        return errors.BrokenAnswerError(
            "The forum's answer was wrongly compressed (bad Content-Encoding), so it could not be read.",
            server_key=key,
        )
    if isinstance(error, httpx.TooManyRedirects):
        return errors.RedirectError(server_key=key)
    if isinstance(error, httpx.ConnectTimeout):
        return errors.NetworkError("The forum did not accept a connection in time.", server_key=key)
    if isinstance(error, httpx.TimeoutException):
        return errors.ForumTimeoutError(server_key=key)
    if body_started or isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError)):
        return errors.ConnectionDroppedError(server_key=key)
    return errors.NetworkError(server_key=key)


class NoNetwork(httpx.AsyncBaseTransport):
    """A transport that sends nothing: each request fails as a refused connection (offline)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("offline: nothing is sent", request=request)


class DiscuzApi:
    """Requests to one site. ``charset`` is the site's, learnt by the probe.

    ``deadline`` is the total time one request may take, retries included.
    """

    def __init__(
        self,
        site_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        self.site_url = site_url
        self.charset = "utf-8"
        self.version = 4  # the API version asked for: the newest the site's plugin offers, at most 4
        self.deadline = deadline
        self.client = httpx.AsyncClient(
            base_url=site_url,
            transport=transport,
            timeout=httpx.Timeout(deadline, connect=min(deadline, 10.0)),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            event_hooks={"request": [self._host_only_cookies]},
        )

    async def _host_only_cookies(self, request: httpx.Request) -> None:
        """Cookies for ``request`` under the strict rule: one set without a Domain goes to its
        own host only. (The cookie jar's default would send it to every subdomain too, e.g.
        an image host, and httpx copies the jar into a default one for each request.)"""
        jar = CookieJar(policy=_STRICT_COOKIES)
        for cookie in self.client.cookies.jar:
            jar.set_cookie(cookie)
        request.headers.pop("cookie", None)
        httpx.Cookies(jar).set_cookie_header(request)

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        fields: Fields | None = None,
        referer: str | None = None,
        follow: bool = True,
        deadline: float | None = None,
    ) -> Answer:
        """One request, within ``deadline`` seconds (the session's by default).

        GETs follow redirects unless told not to, and are retried on passing trouble; any
        failure is a ``ForumError``.
        """
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
            request = self.client.build_request(method, path, content=content, headers=headers)
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise transport_error(error, body_started=False) from error
        limit = self.deadline if deadline is None else deadline
        try:
            async with asyncio.timeout(limit):
                if method != "GET":
                    return await self._exchange(request, follow=False)
                return await self._get_with_retries(request, follow=follow, ends=time.monotonic() + limit)
        except TimeoutError as error:
            raise errors.ForumTimeoutError(seconds=limit) from error

    async def _get_with_retries(self, request: httpx.Request, *, follow: bool, ends: float) -> Answer:
        """A GET, tried again (at most ``GET_ATTEMPTS`` times) while the trouble may pass."""
        for attempt in range(1, GET_ATTEMPTS + 1):
            failure: errors.NetworkError | None = None
            try:
                answer = await self._exchange(request, follow=follow)
            except errors.NetworkError as error:
                if isinstance(error, errors.ForumTimeoutError):
                    raise
                failure, wait = error, None
            else:
                if answer.status not in _RETRY_STATUSES or answer.is_system_error:
                    return answer
                wait = answer.retry_after
            wait = RETRY_BACKOFF * 2 ** (attempt - 1) if wait is None else wait
            if attempt == GET_ATTEMPTS or time.monotonic() + wait >= ends:  # say what happened now
                if failure is not None:
                    raise failure
                return answer
            await asyncio.sleep(wait)
        raise AssertionError("the last attempt always returns or raises")

    async def _exchange(self, request: httpx.Request, *, follow: bool) -> Answer:
        """Send ``request``, following redirects by hand (at most ``MAX_REDIRECTS``, never to http)."""
        for _hop in range(MAX_REDIRECTS + 1):
            response, body = await self._send_once(request)
            location = response.headers.get("location", "")
            if not (follow and response.status_code in _REDIRECT_STATUSES and location):
                return self._answer(response, body)
            target = response.url.join(location)
            if response.url.scheme == "https" and target.scheme != "https":
                raise errors.InsecureRedirectError(server_key="https_to_http")
            kept = {name: value for name, value in request.headers.items() if name.lower() == "referer"}
            request = self.client.build_request("GET", target, headers=kept)
        raise errors.RedirectError(server_key="redirect_loop")

    async def _send_once(self, request: httpx.Request) -> tuple[httpx.Response, bytes]:
        """One HTTP exchange, the body read in full but never past ``MAX_ANSWER_BYTES``."""
        body_started = False
        try:
            response = await self.client.send(request, stream=True)
            body_started = True
            try:
                if response.status_code in _REDIRECT_STATUSES:
                    return response, b""
                too_large = errors.AnswerTooLargeError(
                    size_mb=_megabytes(int(declared))
                    if (declared := response.headers.get("content-length", "")).isdigit()
                    else f"over {_megabytes(MAX_ANSWER_BYTES)}"
                )
                return response, await read_capped(response, MAX_ANSWER_BYTES, too_large)
            finally:
                await response.aclose()
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise transport_error(error, body_started=body_started) from error

    def _answer(self, response: httpx.Response, body: bytes) -> Answer:
        content_type = response.headers.get("content-type", "")
        is_json, data = False, None
        if not content_type.startswith("image/"):
            is_json, data = _parse_json(body, content_type, self.charset)
        return Answer(
            status=response.status_code,
            content_type=content_type,
            body=body,
            set_cookies=response.headers.get_list("set-cookie"),
            location=response.headers.get("location", ""),
            url=str(response.url),
            data=resolve_references_in(data, self.charset) if is_json else None,
            is_json=is_json,
            retry_after=_retry_after(response),
            site_charset=self.charset,
        )

    async def mobile(
        self,
        module: str,
        *,
        version: int | None = None,
        params: Mapping[str, str | int] | None = None,
        fields: Fields | None = None,
        deadline: float | None = None,
    ) -> Answer:
        """A mobile-API call: GET, or POST when ``fields`` are given."""
        query: dict[str, str | int] = {"version": version or self.version, "module": module, **(params or {})}
        method = "GET" if fields is None else "POST"
        return await self.send(method, MOBILE_PATH, params=query, fields=fields, deadline=deadline)

    def move_to(self, site_url: str) -> None:
        """The site lives elsewhere (it redirected us): talk to it there from now on."""
        self.site_url = site_url
        self.client.base_url = site_url

    async def aclose(self) -> None:
        await self.client.aclose()
