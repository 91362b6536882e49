"""The engine registry: which forum engine serves a URL, and opening a session with it.

A forum engine is one package (``tui.discuz`` today); importing it registers it here
(``register_engine``). This module knows the engines only by these few functions and imports
none of the model, so the log-in form (site address, security questions, the site's own
sign-up pages) can ask it before any forum code is loaded. The contract a session keeps is
``tui.engine``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from tui.errors import NotAForumError

if TYPE_CHECKING:
    from tui.engine import ForumSession
    from tui.model import Target, ThreadPage

# Packages that register an engine when imported, in the order they are asked about a URL.
BUILTIN_ENGINES: tuple[str, ...] = ("tui.discuz",)


class Engine(NamedTuple):
    """A forum engine as the registry knows it (a named tuple: the log-in form loads this
    module before its first frame, where a dataclass costs more).

    ``resolve`` turns a pasted link into a target, or None when the link is not of a shape this
    engine serves; ``open_session`` makes a session for a site URL (options pass through:
    ``deadline``, the seconds one request may take; ``offline=True``, a session that sends
    nothing, each request failing at once as a refused connection). ``login_questions`` are the
    security questions its log-in form offers: ``LoginRequest.question_id`` is an index into
    them, and 0 means none. ``read_at_once(target, page, *, reverse, deadline, wants_smilies)``,
    when the engine has it, reads one thread page as a guest in one blocking request, with no
    session and no event loop (``forum-tui read``), and the site's smiley table when
    ``wants_smilies(page)``; it answers None when only a session can read that page.
    """

    name: str
    resolve: Callable[[str], Target | None]
    open_session: Callable[..., ForumSession]
    login_questions: tuple[str, ...] = ("No security question",)
    account_pages: Callable[[str], AccountPages] | None = None
    read_at_once: Callable[..., tuple[ThreadPage, dict[str, str]] | None] | None = None


class AccountPages(NamedTuple):
    """A site's own web pages for what the app leaves to the browser: signing up, a lost password."""

    register: str
    lost_password: str


_registered: dict[str, Engine] = {}


def register_engine(engine: Engine) -> None:
    """Called by an engine package when it is imported."""
    _registered[engine.name] = engine


def engines() -> list[Engine]:
    """Every engine, importing the built-in packages the first time (which registers them)."""
    for package in BUILTIN_ENGINES:
        importlib.import_module(package)
    return list(_registered.values())


def engine_for(text: str) -> tuple[Engine, Target]:
    """The first engine that serves a pasted link, with what the link points at.

    Raises ``NotAForumError`` when the text is not a web address or no engine takes it.
    """
    for engine in engines():
        target = engine.resolve(text)
        if target is not None:
            return engine, target
    raise NotAForumError(f"No forum engine serves {text!r}")


def login_questions(site_url: str) -> tuple[str, ...]:
    """The security questions a log-in to this site may ask (the first engine's while the text
    is not an address yet)."""
    if not site_url.strip():
        return engines()[0].login_questions
    try:
        return engine_for(site_url)[0].login_questions
    except NotAForumError:
        return engines()[0].login_questions


def account_pages(site_url: str) -> AccountPages | None:
    """Where a site registers members and resets passwords; None when the text is not a forum
    address or its engine does not say."""
    try:
        engine, target = engine_for(site_url)
    except NotAForumError:
        return None
    return engine.account_pages(target.site_url) if engine.account_pages else None


def resolve_target(text: str) -> Target:
    """Resolve a pasted URL (or bare host) to a site and what in it the URL points at."""
    return engine_for(text)[1]


def open_session(site_url: str, **options: object) -> ForumSession:
    """A session with the engine that serves ``site_url``."""
    engine, target = engine_for(site_url)
    return engine.open_session(target.site_url, **options)
