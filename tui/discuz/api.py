"""HTTP to one Discuz! site for the app's sessions: one shared ``httpx.AsyncClient``, mobile-API
calls and web pages.

What a request is — built in the site's charset, its redirects followed by hand, GETs retried,
bodies capped, answers decoded — is ``tui.discuz.wire``'s, shared with the blocking client of
one-shot commands; this client sends those steps without blocking the event loop. The client
keeps cookies for the site (the session), keeps connections alive and asks for compressed
answers. Each request has a total deadline (connect, redirects, retries and body together).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

import httpx

from tui import errors
from tui.discuz.wire import (
    DEFAULT_DEADLINE,
    MAX_ANSWER_BYTES,
    MOBILE_PATH,
    REDIRECT_STATUSES,
    Answer,
    CappedBody,
    Fields,
    Plan,
    Sent,
    SiteRequests,
    TlsWhenNeeded,
    next_step,
    too_large_answer,
    transport_error,
)

__all__ = ["DEFAULT_DEADLINE", "Answer", "DiscuzApi", "Fields", "NoNetwork", "read_capped", "transport_error"]


async def read_capped(response: httpx.Response, limit: int, too_large: errors.ForumError) -> bytes:
    """The whole (decoded) body, raising ``too_large`` as soon as it passes ``limit`` bytes."""
    body = CappedBody(response, limit, too_large)
    async for chunk in response.aiter_bytes():
        body.add(chunk)
    return bytes(body.data)


class NoNetwork(httpx.AsyncBaseTransport):
    """A transport that sends nothing: each request fails as a refused connection (offline)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("offline: nothing is sent", request=request)


class DiscuzApi(SiteRequests):
    """Requests to one site from the app's sessions. ``charset`` is the site's, learnt by the probe.

    ``deadline`` is the total time one request may take, retries included.
    """

    client: httpx.AsyncClient

    def __init__(
        self,
        site_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        super().__init__(site_url, deadline=deadline)
        self.client = httpx.AsyncClient(
            transport=transport or TlsWhenNeeded(),
            **self.client_options(),
            event_hooks={"request": [self._host_only_cookies]},
        )

    async def _host_only_cookies(self, request: httpx.Request) -> None:
        self.host_only_cookies(request)

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
        request = self.build(method, path, params=params, fields=fields, referer=referer)
        limit = self.deadline if deadline is None else deadline
        try:
            async with asyncio.timeout(limit):
                return await self._perform(self.plan(request, follow=follow, ends=time.monotonic() + limit))
        except TimeoutError as error:
            raise errors.ForumTimeoutError(seconds=limit) from error

    async def _perform(self, plan: Plan) -> Answer:
        """Send the requests and wait the pauses the plan asks for, until it gives its answer."""
        outcome: Sent | errors.ForumError | None = None
        while not isinstance(step := next_step(plan, outcome), Answer):
            outcome = None
            if isinstance(step, float):
                await asyncio.sleep(step)
                continue
            try:
                outcome = await self._send_once(step)
            except errors.ForumError as error:
                outcome = error
        return step

    async def _send_once(self, request: httpx.Request) -> Sent:
        """One HTTP exchange, the body read in full but never past ``MAX_ANSWER_BYTES``."""
        body_started = False
        try:
            response = await self.client.send(request, stream=True)
            body_started = True
            try:
                if response.status_code in REDIRECT_STATUSES:
                    return response, b""
                return response, await read_capped(response, MAX_ANSWER_BYTES, too_large_answer(response))
            finally:
                await response.aclose()
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise transport_error(error, body_started=body_started) from error

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
        query = self.mobile_query(module, version, params)
        method = "GET" if fields is None else "POST"
        return await self.send(method, MOBILE_PATH, params=query, fields=fields, deadline=deadline)

    def move_to(self, site_url: str) -> None:
        """The site lives elsewhere (it redirected us): talk to it there from now on."""
        self.site_url = site_url
        self.client.base_url = site_url

    async def aclose(self) -> None:
        await self.client.aclose()
