"""Downloading a post's file attachment (``forum.php?mod=attachment``) as a stream, with the
progress told as it arrives and the file name the forum gives in ``Content-Disposition``."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

import httpx

from tui import errors
from tui.discuz.api import transport_error

MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024  # a file bigger than this is refused part way
_STAR_NAME = re.compile(r"filename\*\s*=\s*([\w-]+)''([^;]+)", re.I)
_PLAIN_NAME = re.compile(r'filename\s*=\s*"?([^";]+)"?', re.I)


def disposition_name(header: str, charset: str) -> str:
    """The file name a ``Content-Disposition`` header gives ('' when none): RFC 5987's
    ``filename*`` first, else ``filename`` (percent-encoded, or raw bytes in the site's charset)."""
    starred = _STAR_NAME.search(header)
    if starred:
        try:
            return unquote(starred.group(2).strip(), encoding=starred.group(1), errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    plain = _PLAIN_NAME.search(header)
    if not plain:
        return ""
    name = unquote(plain.group(1).strip())
    try:  # httpx decodes header bytes as latin-1: a GBK or UTF-8 name comes back as mojibake
        return name.encode("latin-1").decode(charset)
    except (UnicodeEncodeError, UnicodeDecodeError, LookupError):
        return name


def refuse_unless_file(response: httpx.Response, what: str) -> None:
    """Raise the error that says why an answer is not the ``what`` ("image", "file") asked for."""
    status, key = response.status_code, f"{what}_{response.status_code}"
    if status == 404:
        raise errors.NotFoundError(f"The {what} is gone from the forum.", server_key=key)
    if status in (401, 403):
        raise errors.PermissionDeniedError(f"The forum would not send the {what}.", server_key=key)
    if status != 200:
        raise errors.NetworkError(f"The forum answered HTTP {status} for the {what}.", server_key=key)
    if response.headers.get("content-type", "").startswith("text/html"):  # a log-in or refusal page
        message = f"The forum sent a web page instead of the {what}."
        raise errors.NotFoundError(message, server_key=f"{what}_html")


async def download(
    client: httpx.AsyncClient,
    url: str,
    *,
    referer: str,
    charset: str,
    sink: BinaryIO,
    progress: Callable[[int, int | None], None],
    deadline: float,
) -> str:
    """Stream ``url`` into ``sink``, calling ``progress(done, total)`` per chunk; the forum's
    name for the file. Raises ``ForumError`` subclasses only."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise errors.NotFoundError("That file has no web address.", server_key="file_url")
    try:
        async with asyncio.timeout(deadline), client.stream(
            "GET", url, headers={"Referer": referer}, follow_redirects=True
        ) as response:
            refuse_unless_file(response, "file")
            declared = response.headers.get("content-length", "")
            total = int(declared) if declared.isdigit() else None
            done = 0
            progress(done, total)
            async for chunk in response.aiter_bytes():
                done += len(chunk)
                if done > MAX_DOWNLOAD_BYTES:
                    raise errors.ForumError("The file is over 1 GB; stopped.", server_key="file_too_big")
                await asyncio.to_thread(sink.write, chunk)
                progress(done, total)
            return disposition_name(response.headers.get("content-disposition", ""), charset)
    except TimeoutError as error:
        raise errors.NetworkError("The file took too long to arrive.", server_key="timeout") from error
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise transport_error(error, body_started=False) from error
