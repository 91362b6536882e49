"""The forum context over real HTTP: what happens when connects overlap."""

from __future__ import annotations

import asyncio

from tui.context import ForumContext


async def test_overlapping_connects_to_one_site_share_one_session(forum_server) -> None:
    """The log-in form checks for a captcha while the user already pressed Log in: both ask
    for a session on the same site; they get the same one and nobody is told it failed."""
    told: list[str] = []
    context = ForumContext(lambda message, **_: told.append(message))
    try:
        first, second = await asyncio.gather(
            context.ensure_session(forum_server.url), context.ensure_session(forum_server.url)
        )
        assert first is second is context.session
        assert context.site_info is not None
        assert told == []
    finally:
        await context.close()

