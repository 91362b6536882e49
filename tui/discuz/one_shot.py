"""One thread page of a site visited before, read as a guest in one blocking request: what
``forum-tui read`` needs when it has nothing else to do, with no session and no event loop.

The page comes from ``version=1`` alone. v1 renders messages with the desktop ``discuzcode``,
so ``[code]`` blocks are there (v4 drops them without a trace, so no v4 answer can tell that
a v1 read was needed), and its ``number`` is the floor's ``position`` whenever Discuz! numbers
floors by position: everywhere but in one author's posts (``authorid``), in trade, reward and
debate threads and for a hot reply (``parse.needs_positions``). Those, like anything this
reader does not know to do at once (no fresh facts about the site, a site without the mobile
API, smiley pictures without a remembered smiley table), are left to the session (``None``),
which reads v4 beside v1.

A failure the session would meet the same way (no network, a stall, a server error, a thread
missing or for members only) is raised as it is. An answer that is not the API's (a web page:
the API turned off since, a broken plugin) or that contradicts the remembered facts (another
charset) leaves the page to the session, which finds out what changed and asks again.
"""

from __future__ import annotations

from collections.abc import Callable

from tui import errors
from tui.discuz import parse
from tui.discuz.site_memory import SiteMemory, same_charset
from tui.discuz.urls import paged, thread_filters, thread_url
from tui.discuz.wire import BlockingApi
from tui.model import Target, TargetKind, ThreadPage


def read_thread_page(
    target: Target,
    page: int,
    *,
    reverse: bool,
    deadline: float,
    wants_smilies: Callable[[ThreadPage], bool],
) -> tuple[ThreadPage, dict[str, str]] | None:
    """Page ``page`` of the thread ``target`` points at, and the site's smiley table when
    ``wants_smilies`` says the page needs it; None when the session must read it instead.
    Raises the ``ForumError`` of a failure the session would meet the same way (a network
    down, a thread missing or for members only)."""
    memory = SiteMemory(target.site_url)
    facts = memory.facts()
    if target.kind is not TargetKind.THREAD or facts is None or not facts.mobile_api:
        return None
    params = paged(page, tid=target.id) | thread_filters(None, reverse)
    with BlockingApi(facts.site_url, deadline=deadline) as api:
        api.charset = facts.charset
        answer = api.mobile("viewthread", version=1, params=params)
    said = parse.text(answer.data.get("Charset")) if isinstance(answer.data, dict) else ""
    if said and not same_charset(said, facts.charset):
        return None  # the site changed since: the session notices and asks again
    try:
        variables = answer.require_data().get("Variables")
    except (errors.ApiDisabledError, errors.NotAForumError):
        return None  # the API went away since: the session finds the site's web pages
    variables = variables if isinstance(variables, dict) else {}
    parse.require_posts(variables, filtered=False)
    if parse.needs_positions(variables):
        return None
    shown = parse.thread_page(
        variables,
        facts.site_url,
        page=page,
        reverse=reverse,
        thread_url=thread_url(facts.site_url, target.id, page),
    )
    if not wants_smilies(shown):
        return shown, {}
    smilies = memory.smilies()
    return None if smilies is None else (shown, smilies)
