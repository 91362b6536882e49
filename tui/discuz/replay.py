"""Replays recorded Discuz! exchanges through ``httpx.MockTransport``: tests and benchmarks.

A capture is a body file plus a ``.meta.json`` sidecar holding the request (method, URL)
and the response (status, every header including each ``Set-Cookie``). A request is
answered by the first unused capture with the same method, path and query (in any order);
once all matching captures are used the last one repeats. Requests nothing matches get an
empty 404 and are kept in ``unmatched``, so a test can tell what the code asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx

# The captured bodies are stored decoded and whole: these headers no longer describe them.
_DROPPED_HEADERS = {"content-length", "content-encoding", "transfer-encoding", "connection"}


def _request_key(method: str, url: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    parts = urlsplit(url)
    return method.upper(), parts.path, tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))


@dataclass(slots=True)
class Capture:
    name: str
    key: tuple[str, str, tuple[tuple[str, str], ...]]
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    form_fields: list[tuple[str, str]]


def load(folder: Path, name: str, *, answers: str | None = None) -> Capture:
    """One capture by file name; ``answers`` ("GET /path?query") serves it for another request."""
    body_path = folder / name
    meta = json.loads(body_path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    request, response = meta["request"], meta["response"]
    method, url = answers.split(" ", 1) if answers else (request["method"], request["url"])
    return Capture(
        name=name,
        key=_request_key(method, url),
        status=int(response["status"]),
        headers=[(k, v) for k, v in response["headers"] if k.lower() not in _DROPPED_HEADERS],
        body=body_path.read_bytes(),
        form_fields=[tuple(pair) for pair in request.get("form_fields") or []],
    )


class Replay:
    """A request handler over chosen captures; ``transport`` plugs it into httpx."""

    def __init__(
        self, folder: Path, names: Iterable[str] = (), *, aliases: Mapping[str, str] | None = None
    ) -> None:
        self.captures = [load(folder, name) for name in names]
        self.captures += [load(folder, name, answers=request) for name, request in (aliases or {}).items()]
        self.used: set[int] = set()
        self.requests: list[httpx.Request] = []
        self.unmatched: list[httpx.Request] = []

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = _request_key(request.method, str(request.url))
        matching = [index for index, capture in enumerate(self.captures) if capture.key == key]
        if not matching:
            self.unmatched.append(request)
            return httpx.Response(404, content=b"")
        index = next((i for i in matching if i not in self.used), matching[-1])
        self.used.add(index)
        capture = self.captures[index]
        return httpx.Response(capture.status, headers=capture.headers, content=capture.body)

    def sent(self, module: str) -> list[httpx.Request]:
        """The requests made to one mobile-API module, in order."""
        return [r for r in self.requests if r.url.params.get("module") == module]
