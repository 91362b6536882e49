"""Pasted links → site root + what they point at, for every URL shape Discuz! X produces.

The site URL is always the forum's root folder (where ``api/mobile/index.php`` lives) and
ends with ``/``; a subfolder install (``https://host/bbs/``) keeps its folder. A bare host
gets ``https://`` (an IP address too), except loopback, where a forum is almost always plain
HTTP and nothing leaves the machine.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from tui.accounts import is_loopback
from tui.errors import NotAForumError
from tui.model import Target, TargetKind, ThreadOrder
from tui.registry import AccountPages

_THREAD_HTML = re.compile(r"^thread-(\d+)-(\d+)-\d+\.html$")
_FORUM_HTML = re.compile(r"^forum-(\d+)-(\d+)\.html$")
_ARCHIVER = re.compile(r"^(tid|fid)-(\d+)(?:-(\d+))?\.html$")
_PID_FRAGMENT = re.compile(r"^pid(\d+)$")
# Path segments that are pages of the forum rather than part of where it is installed.
_SCRIPT = re.compile(r"\.(php|html?)$", re.IGNORECASE)
_SUBPATHS = ("api/mobile/", "archiver/")


def _with_scheme(text: str) -> str:
    if "://" in text:
        return text
    host = re.split(r"[/:?#]", text, maxsplit=1)[0]
    return ("http://" if is_loopback(host) else "https://") + text


def query_values(href: str) -> dict[str, str]:
    """A link's query parameters, first value of each (``&amp;`` left over from HTML undone)."""
    query = urlsplit(href.replace("&amp;", "&")).query
    return {key: values[0] for key, values in parse_qs(query).items() if values}


def _number(values: dict[str, list[str]], name: str, default: int = 0) -> int:
    raw = values.get(name, [""])[0]
    return int(raw) if raw.isdigit() else default


def site_root(scheme: str, netloc: str, path: str) -> str:
    """The install folder for a request path, with a trailing slash."""
    folder = path
    for sub in _SUBPATHS:
        at = folder.find("/" + sub)
        if at >= 0:
            folder = folder[: at + 1]
    last = folder.rsplit("/", 1)[-1]
    if last and (_SCRIPT.search(last) or _THREAD_HTML.match(last) or _FORUM_HTML.match(last)):
        folder = folder[: -len(last)]
    if not folder.endswith("/"):
        folder += "/"
    return f"{scheme.lower()}://{netloc.lower()}{folder}"


def _archiver_target(site: str, query: str, path_tail: str) -> Target | None:
    for candidate in (query.split("&", 1)[0], path_tail):
        found = _ARCHIVER.match(candidate)
        if found:
            kind = TargetKind.THREAD if found.group(1) == "tid" else TargetKind.BOARD
            return Target(site, kind, found.group(2), int(found.group(3) or 1))
    return None


def _thread_or_post(site: str, thread_id: str, page: int, fragment: str) -> Target:
    """A thread link, or a post link when its ``#pid123`` fragment names a floor."""
    if found := _PID_FRAGMENT.match(fragment):
        return Target(site, TargetKind.POST, found.group(1), page, thread_id)
    return Target(site, TargetKind.THREAD, thread_id, page)


def resolve(text: str) -> Target:
    """What a pasted thread, board, post or site link points at.

    Raises ``NotAForumError`` for text that is not a web address at all.
    """
    text = text.strip()
    if not text or any(char.isspace() for char in text):
        raise NotAForumError(f"Not a forum address: {text!r}")
    parts = urlsplit(_with_scheme(text))
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise NotAForumError(f"Not a forum address: {text!r}")
    site = site_root(parts.scheme, parts.netloc, parts.path or "/")
    last = (parts.path or "/").rsplit("/", 1)[-1]
    query = parse_qs(parts.query)

    if "/archiver/" in (parts.path or "") + "/":
        found = _archiver_target(site, parts.query, last)
        if found:
            return found
    if found := _THREAD_HTML.match(last):
        return _thread_or_post(site, found.group(1), int(found.group(2)) or 1, parts.fragment)
    if found := _FORUM_HTML.match(last):
        return Target(site, TargetKind.BOARD, found.group(1), int(found.group(2)) or 1)

    mod = query.get("mod", [""])[0]
    page = max(_number(query, "page", 1), 1)
    if mod == "redirect" and query.get("goto", [""])[0] == "findpost" and _number(query, "pid"):
        thread_id = str(_number(query, "ptid")) if _number(query, "ptid") else ""
        return Target(site, TargetKind.POST, str(_number(query, "pid")), 1, thread_id)
    view = mod or query.get("module", [""])[0] or last.removesuffix(".php")
    tid = _number(query, "tid") or _number(query, "ptid")
    if tid and view in ("viewthread", "forum"):
        return _thread_or_post(site, str(tid), page, parts.fragment)
    fid = _number(query, "fid")
    if fid and view == "forumdisplay":
        return Target(site, TargetKind.BOARD, str(fid), page)
    return Target(site)


def account_pages(site_url: str) -> AccountPages:
    """The register form and the lost-password form, as the site's own log-in page links them."""
    return AccountPages(
        register=urljoin(site_url, "member.php?mod=register"),
        lost_password=urljoin(site_url, "member.php?mod=logging&action=login&viewlostpw=1"),
    )


def paged(page: int, **params: str | int) -> dict[str, str | int]:
    """Query parameters with ``page`` only past the first, as the forum's own links do."""
    return {**params, "page": page} if page > 1 else dict(params)


def list_filters(order: ThreadOrder, digest_only: bool, type_id: str) -> dict[str, str | int]:
    """A board's thread-list filters, the same for the mobile API and the ``forumdisplay`` page."""
    params: dict[str, str | int] = {}
    if order is not ThreadOrder.LAST_REPLY:
        params.update(filter="author", orderby=order.value)
    if digest_only:
        params.update(filter="digest", digest=1)
    if type_id:
        params.update(filter="typeid", typeid=type_id)
    return params


def thread_url(site_url: str, thread_id: str, page: int = 1) -> str:
    """A thread page's own web address, as the forum links it."""
    suffix = f"&page={page}" if page > 1 else ""
    return f"{site_url}forum.php?mod=viewthread&tid={thread_id}{suffix}"


def thread_filters(author_id: str | None, reverse: bool) -> dict[str, str | int]:
    """A thread's one-author and newest-first filters, the same for the API and the page."""
    params: dict[str, str | int] = {}
    if author_id:
        params["authorid"] = author_id
    if reverse:
        params["ordertype"] = 1
    return params
