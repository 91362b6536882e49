"""The web notification page (``home.php?mod=space&do=notice``) as HTML → ``tui.model``.

Used when the mobile API cannot list notifications (the plugin is switched off). Each
notice is a ``dl[notice]`` with a "block" link naming its kind (``type=post``), a time whose
``title`` holds the exact date, and ``dd.ntc_body`` holding the same HTML the API's ``note``
has; unread ones are drawn bold. Missing parts are left empty, never raised.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.discuz.parse import findpost_target, notice_kind, notice_text, text, timestamp
from tui.discuz.urls import query_values
from tui.model import Notice, Page


def _notice(item: LexborNode) -> Notice | None:
    body = item.css_first("dd.ntc_body")
    if body is None:
        return None
    note = body.html or ""
    block = item.css_first('a[href*="op=ignore"]')
    kind = query_values(block.attributes.get("href") or "").get("type", "") if block else ""
    thread_id, post_id = findpost_target(note)
    actor = body.css_first('a[href*="uid="]')
    subject = next(
        (
            text(link.text())
            for link in body.css('a[href*="findpost"]')
            if "lit" not in (link.attributes.get("class") or "")
        ),
        "",
    )
    when = item.css_first("dt span[title]")
    return Notice(
        id=item.attributes.get("notice") or "",
        kind=notice_kind(kind),
        text=notice_text(note),
        time=timestamp(when.attributes.get("title")) if when else None,
        unread="bold" in (body.attributes.get("style") or ""),
        actor=text(actor.text()) if actor else "",
        actor_id=query_values(actor.attributes.get("href") or "").get("uid", "") if actor else "",
        thread_id=thread_id,
        post_id=post_id,
        subject=subject,
    )


def notices(page: str) -> Page[Notice]:
    """The notices on one web notification page, unread first."""
    tree = LexborHTMLParser(page)
    items = [found for item in tree.css("div.nts dl[notice]") if (found := _notice(item)) is not None]
    items.sort(key=lambda notice: not notice.unread)
    pager = tree.css_first("div.pg strong")
    current = int(pager.text()) if pager and pager.text().strip().isdigit() else 1
    has_next = tree.css_first("div.pg a.nxt") is not None
    return Page(items=items, page=current, pages=current + has_next)
