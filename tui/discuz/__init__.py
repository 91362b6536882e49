"""The Discuz! X engine: talks to a forum's bundled mobile API (``api/mobile/index.php``), and
reads its desktop web pages for what that API lacks (search, ratings, editing) or for the whole
session on a site without the API (``web.session.WebPages``).

``session.DiscuzSession`` is the ``tui.engine.ForumSession`` the screens use; ``urls.resolve``
turns pasted links into targets. Lower layers: ``api`` (HTTP), ``messages`` (server message
keys → typed errors), ``parse`` (JSON → ``tui.model``), ``web.pages``, ``web_search``,
``web_rating`` and ``web_notices`` (HTML → ``tui.model``), ``files`` (downloads), ``charset``
(encodings). ``replay`` serves recorded exchanges through ``httpx.MockTransport`` for tests
and benchmarks.

Importing the package registers the engine with ``tui.engine``.
"""

from __future__ import annotations

from tui.discuz.questions import SECURITY_QUESTIONS
from tui.discuz.urls import account_pages, resolve
from tui.engine import Engine, ForumSession, register_engine


def open_discuz_session(site_url: str, **options: object) -> ForumSession:
    """A ``DiscuzSession``; the session module (and httpx) load only when one is opened."""
    from tui.discuz.session import DiscuzSession

    return DiscuzSession(site_url, **options)  # type: ignore[arg-type]


register_engine(Engine("discuz", resolve, open_discuz_session, SECURITY_QUESTIONS, account_pages))
