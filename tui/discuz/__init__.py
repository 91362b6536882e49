"""The Discuz! X engine: talks to a forum's bundled mobile API (``api/mobile/index.php``), and
reads its desktop web pages for what that API lacks (search, ratings, editing) or for the whole
session on a site without the API (``web.session.WebPages``).

``session.DiscuzSession`` is the ``tui.engine.ForumSession`` the screens use; ``urls.resolve``
turns pasted links into targets; ``one_shot`` reads a thread page of a known site in one
blocking request for ``forum-tui read``. Lower layers: ``wire`` (what a request is), ``api``
(the sessions' client), ``messages`` (server message keys → typed errors), ``parse`` (JSON →
``tui.model``), ``web.pages``, ``web_search``, ``web_rating`` and ``web_notices`` (HTML →
``tui.model``), ``files`` (downloads), ``charset`` (encodings). ``replay`` serves recorded
exchanges through ``httpx.MockTransport`` for tests and benchmarks.

Importing the package registers the engine with ``tui.engine``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.discuz.questions import SECURITY_QUESTIONS
from tui.registry import AccountPages, Engine, register_engine

if TYPE_CHECKING:
    from tui.engine import ForumSession
    from tui.model import Target, ThreadPage


def resolve_discuz_link(text: str) -> Target | None:
    """``urls.resolve``, loaded (with the model) only when a link is first resolved."""
    from tui.discuz.urls import resolve

    return resolve(text)


def discuz_account_pages(site_url: str) -> AccountPages:
    from tui.discuz.urls import account_pages

    return account_pages(site_url)


def open_discuz_session(site_url: str, **options: object) -> ForumSession:
    """A ``DiscuzSession``; the session module (and httpx) load only when one is opened."""
    from tui.discuz.session import DiscuzSession

    return DiscuzSession(site_url, **options)  # type: ignore[arg-type]


def read_discuz_page_at_once(
    target: Target, page: int, **options: object
) -> tuple[ThreadPage, dict[str, str]] | None:
    """``one_shot.read_thread_page``; that module (and httpx) load only when a page is read."""
    from tui.discuz.one_shot import read_thread_page

    return read_thread_page(target, page, **options)  # type: ignore[arg-type]


register_engine(
    Engine(
        "discuz",
        resolve_discuz_link,
        open_discuz_session,
        SECURITY_QUESTIONS,
        discuz_account_pages,
        read_discuz_page_at_once,
    )
)
