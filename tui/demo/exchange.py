"""Request and response values the demo's handlers pass around, free of any server machinery."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default
from email.utils import formatdate

MOBILE_API_PATH = "/api/mobile/index.php"


@dataclass(slots=True)
class Request:
    method: str
    path: str  # without the query, e.g. "/api/mobile/index.php"
    query: dict[str, str]
    form: dict[str, list[str]]
    cookies: dict[str, str]
    headers: dict[str, str]  # lower-case names
    ip: str
    base_url: str  # "http://127.0.0.1:PORT/"
    target: str = ""  # the raw request target, path and query as sent
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field -> (file name, content)

    def arg(self, name: str, default: str = "") -> str:
        """A query or form value (form wins, like PHP's $_GET + $_POST merged in Discuz)."""
        if name in self.form:
            return self.form[name][0]
        return self.query.get(name, default)

    def int_arg(self, name: str, default: int = 0) -> int:
        try:
            return int(self.arg(name, str(default)) or default)
        except ValueError:
            return default


def parse_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, list[str]], dict[str, tuple[str, bytes]]]:
    """Form fields and uploaded files of a multipart/form-data body."""
    message = BytesParser(policy=default).parsebytes(
        f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode() + body
    )
    fields: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None:
            fields.setdefault(name, []).append(payload.decode("utf-8", "replace"))
        else:
            files[name] = (filename, payload)
    return fields, files


@dataclass(slots=True)
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)

    @classmethod
    def json(cls, value: object, status: int = 200) -> Response:
        # Discuz's json_encode escapes slashes and non-ASCII; clients must cope with both anyway.
        text = json.dumps(value, separators=(",", ":")).replace("/", "\\/")
        return cls(status, text.encode(), "application/json")

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode(), "text/html; charset=utf-8")


def cookie(name: str, value: str, now: int, max_age: int | None = None, *, http_only: bool = False) -> str:
    """A Set-Cookie value like PHP's setcookie(); max_age < 0 deletes the cookie."""
    if max_age is not None and max_age < 0:
        return f"{name}=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/"
    parts = [f"{name}={value}"]
    if max_age is not None:
        parts += [f"expires={formatdate(now + max_age, usegmt=True)}", f"Max-Age={max_age}"]
    parts.append("path=/")
    if http_only:
        parts.append("HttpOnly")
    return "; ".join(parts)
