"""What one request to a Discuz! site is, apart from how it is sent: building it, following its
redirects, retrying it, capping its body and reading its answer.

``DiscuzApi`` (``tui.discuz.api``) sends these requests with an ``httpx.AsyncClient`` for the
sessions the app runs; ``BlockingApi`` sends the same requests with a plain ``httpx.Client``
for a one-shot command that has nothing else to wait on (``forum-tui read`` of a site it
knows), so it needs no event loop. The policy (``SiteRequests.plan``) is written once as a
generator that yields what to send and how long to wait; each client only performs those
steps.

Everything that leaves here is either an ``Answer`` or a ``tui.errors.ForumError``: every
``httpx`` failure is turned into one, with a sentence saying what happened. Requests say
truthfully who sends them in the User-Agent and carry a Referer with every POST (Discuz!
checks it). Form fields and query values go out in the site's own charset; answers come back
with the character references that charset forced resolved (see ``tui.discuz.charset``), so
callers see what posters typed.

A hostile or broken server cannot hang or swamp the client: bodies are refused past
``MAX_ANSWER_BYTES``, redirects are followed here (never from https to plain http, at most
``MAX_REDIRECTS``), and only GETs are retried — on a refused or dropped connection,
502/503/504 and 429, with backoff that honours ``Retry-After`` — within the request's deadline.
A POST is never sent twice by this layer: the user resends, with the text kept.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Generator, Iterable, Mapping
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
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
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


Step = httpx.Request | float  # a request to send once (its answer goes back in), or seconds to wait
Sent = tuple[httpx.Response, bytes]  # what sending one request gave: the response and its whole body
Plan = Generator[Step, Sent | None, Answer]


def next_step(plan: Plan, outcome: Sent | errors.ForumError | None) -> Step | Answer:
    """Hand the plan what its last step gave (the response, or the error sending raised,
    which it may raise in turn): its next step, or its answer."""
    try:
        return plan.throw(outcome) if isinstance(outcome, errors.ForumError) else plan.send(outcome)
    except StopIteration as done:
        return done.value


def too_large_answer(response: httpx.Response) -> errors.AnswerTooLargeError:
    """The error for an answer past ``MAX_ANSWER_BYTES``, with its size when it declared one."""
    declared = response.headers.get("content-length", "")
    return errors.AnswerTooLargeError(
        size_mb=_megabytes(int(declared)) if declared.isdigit() else f"over {_megabytes(MAX_ANSWER_BYTES)}"
    )


class CappedBody:
    """A body collected chunk by chunk, refused (``too_large``) as soon as it passes ``limit``
    bytes, or at once when it declares more."""

    def __init__(self, response: httpx.Response, limit: int, too_large: errors.ForumError) -> None:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        self.limit = limit
        self.too_large = too_large
        self.data = bytearray()

    def add(self, chunk: bytes) -> None:
        self.data += chunk
        if len(self.data) > self.limit:
            raise self.too_large


class SiteRequests:
    """Requests to one site, apart from how its client sends them. ``charset`` is the site's,
    learnt by the probe; ``deadline`` is the total time one request may take, retries included.
    ``client`` (blocking or async, made by the subclass from ``client_options``) builds the
    requests and keeps the site's cookies."""

    client: httpx.Client | httpx.AsyncClient

    def __init__(self, site_url: str, *, deadline: float = DEFAULT_DEADLINE) -> None:
        self.site_url = site_url
        self.charset = "utf-8"
        self.version = 4  # the API version asked for: the newest the site's plugin offers, at most 4
        self.deadline = deadline

    def client_options(self) -> dict[str, Any]:
        """What both clients are made with: the site as base, the deadline, no redirects of their own."""
        return {
            "base_url": self.site_url,
            "timeout": httpx.Timeout(self.deadline, connect=min(self.deadline, 10.0)),
            "headers": {"User-Agent": USER_AGENT},
            "follow_redirects": False,
        }

    def host_only_cookies(self, request: httpx.Request) -> None:
        """Cookies for ``request`` under the strict rule: one set without a Domain goes to its
        own host only. (The cookie jar's default would send it to every subdomain too, e.g.
        an image host, and httpx copies the jar into a default one for each request.)"""
        jar = CookieJar(policy=_STRICT_COOKIES)
        for cookie in self.client.cookies.jar:
            jar.set_cookie(cookie)
        request.headers.pop("cookie", None)
        httpx.Cookies(jar).set_cookie_header(request)

    def build(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        fields: Fields | None = None,
        referer: str | None = None,
    ) -> httpx.Request:
        """The request, its query and form in the site's charset; a bad URL is a ``ForumError``."""
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
            return self.client.build_request(method, path, content=content, headers=headers)
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise transport_error(error, body_started=False) from error

    def mobile_query(
        self, module: str, version: int | None, params: Mapping[str, str | int] | None
    ) -> dict[str, str | int]:
        return {"version": version or self.version, "module": module, **(params or {})}

    def plan(self, request: httpx.Request, *, follow: bool, ends: float) -> Plan:
        """The steps of one call: a GET is tried again (at most ``GET_ATTEMPTS`` times) while
        the trouble may pass, waiting in between; a POST is sent once. The client sends each
        request it is handed and sends back the response with its body, or throws the
        ``ForumError`` the sending raised."""
        is_get = request.method == "GET"
        attempts = GET_ATTEMPTS if is_get else 1
        for attempt in range(1, attempts + 1):
            failure: errors.NetworkError | None = None
            try:
                answer = yield from self._hops(request, follow=follow and is_get)
            except errors.NetworkError as error:
                if isinstance(error, errors.ForumTimeoutError) or attempts == 1:
                    raise
                failure, wait = error, None
            else:
                if attempts == 1 or answer.status not in _RETRY_STATUSES or answer.is_system_error:
                    return answer
                wait = answer.retry_after
            wait = RETRY_BACKOFF * 2 ** (attempt - 1) if wait is None else wait
            if attempt == attempts or time.monotonic() + wait >= ends:  # say what happened now
                if failure is not None:
                    raise failure
                return answer
            yield wait
        raise AssertionError("the last attempt always returns or raises")

    def _hops(self, request: httpx.Request, *, follow: bool) -> Plan:
        """Send ``request``, following redirects by hand (at most ``MAX_REDIRECTS``, never to http)."""
        for _hop in range(MAX_REDIRECTS + 1):
            sent = yield request
            assert sent is not None
            response, body = sent
            location = response.headers.get("location", "")
            if not (follow and response.status_code in REDIRECT_STATUSES and location):
                return self.answer(response, body)
            target = response.url.join(location)
            if response.url.scheme == "https" and target.scheme != "https":
                raise errors.InsecureRedirectError(server_key="https_to_http")
            kept = {name: value for name, value in request.headers.items() if name.lower() == "referer"}
            request = self.client.build_request("GET", target, headers=kept)
        raise errors.RedirectError(server_key="redirect_loop")

    def answer(self, response: httpx.Response, body: bytes) -> Answer:
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


class TlsWhenNeeded(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """httpx's own transport, one for plain-HTTP addresses and one for https, each made on its
    first request. Loading the system's certificate authorities takes tens of milliseconds,
    which a session or command on a plain-HTTP site (many Discuz! sites are) never needs; an
    https address gets the transport ``httpx.Client`` would have made, verification and all.
    The blocking client uses its ``handle_request``, the app's sessions the async one."""

    def __init__(self) -> None:
        self._blocking: dict[bool, httpx.HTTPTransport] = {}  # by "is https"
        self._async: dict[bool, httpx.AsyncHTTPTransport] = {}

    @staticmethod
    def _verify(secure: bool) -> bool | ssl.SSLContext:
        # Plain HTTP never reaches TLS; the context it is given trusts no one, so it would fail closed.
        return True if secure else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        secure = request.url.scheme == "https"
        if secure not in self._blocking:
            self._blocking[secure] = httpx.HTTPTransport(verify=self._verify(secure))
        return self._blocking[secure].handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        secure = request.url.scheme == "https"
        if secure not in self._async:
            self._async[secure] = httpx.AsyncHTTPTransport(verify=self._verify(secure))
        return await self._async[secure].handle_async_request(request)

    def close(self) -> None:
        for transport in self._blocking.values():
            transport.close()

    async def aclose(self) -> None:
        for transport in self._async.values():
            await transport.aclose()


class BlockingApi(SiteRequests):
    """Mobile-API GETs to one site with a plain ``httpx.Client``, for a command that makes one
    or two requests and then ends: no event loop to set up. The deadline holds between
    chunks of the body, so a server that drips its answer is given up on soon after it."""

    client: httpx.Client

    def __init__(self, site_url: str, *, deadline: float = DEFAULT_DEADLINE) -> None:
        super().__init__(site_url, deadline=deadline)
        self.client = httpx.Client(
            transport=TlsWhenNeeded(),
            event_hooks={"request": [self.host_only_cookies]},
            **self.client_options(),
        )

    def mobile(
        self,
        module: str,
        *,
        version: int | None = None,
        params: Mapping[str, str | int] | None = None,
        deadline: float | None = None,
    ) -> Answer:
        """A mobile-API GET, within ``deadline`` seconds (this client's by default)."""
        query = self.mobile_query(module, version, params)
        request = self.build("GET", MOBILE_PATH, params=query)
        limit = self.deadline if deadline is None else deadline
        ends = time.monotonic() + limit
        plan = self.plan(request, follow=True, ends=ends)
        outcome: Sent | errors.ForumError | None = None
        while not isinstance(step := next_step(plan, outcome), Answer):
            outcome = None
            if isinstance(step, float):
                time.sleep(step)
                continue
            try:
                outcome = self._send_once(step, ends, limit)
            except errors.ForumError as error:
                outcome = error
        return step

    def _send_once(self, request: httpx.Request, ends: float, limit: float) -> Sent:
        """One HTTP exchange, the body read in full but never past ``MAX_ANSWER_BYTES`` nor
        past the deadline."""
        left = ends - time.monotonic()
        if left <= 0:
            raise errors.ForumTimeoutError(seconds=limit)
        request.extensions["timeout"] = httpx.Timeout(left, connect=min(left, 10.0)).as_dict()
        body_started = False
        try:
            response = self.client.send(request, stream=True)
            body_started = True
            try:
                if response.status_code in REDIRECT_STATUSES:
                    return response, b""
                body = CappedBody(response, MAX_ANSWER_BYTES, too_large_answer(response))
                for chunk in response.iter_bytes():
                    body.add(chunk)
                    if time.monotonic() > ends:
                        raise errors.ForumTimeoutError(seconds=limit)
                return response, bytes(body.data)
            finally:
                response.close()
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise transport_error(error, body_started=body_started) from error

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> BlockingApi:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
