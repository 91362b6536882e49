"""The site's web search (``search.php?mod=forum``) as HTML → ``tui.model``.

The mobile API has no search, so the web pages are read: the search form (its formhash and
whether the user may search full text), the result pages (``li.pbw`` items, 20 a page, paged
by ``div.pg``) and the "提示信息" message pages the search answers with when it refuses
(flood control, an expired search, no permission). Every reader accepts missing parts and
never raises: a page it does not recognise gives empty results or no message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from tui.discuz.parse import text, timestamp
from tui.discuz.urls import query_values, resolve
from tui.discuz.web.pages import document, page_count
from tui.errors import NotAForumError
from tui.model import Page, SearchResult, TargetKind

RESULTS_PER_PAGE = 20
_NUMBER = re.compile(r"\d+")
_REPLIES_VIEWS = re.compile(r"(\d+)\D+?(\d+)")


@dataclass(frozen=True, slots=True)
class SearchForm:
    """What the search page says about searching here."""

    formhash: str
    action: str
    full_text: bool  # the user's group may search post bodies (a ``srchtype=fulltext`` box)


def search_form(page: str) -> SearchForm | None:
    """The search form of a ``search.php`` page, or None when the page has none."""
    form = document(page).css_first("form.searchform")
    if form is None:
        return None
    formhash = form.css_first('input[name="formhash"]')
    return SearchForm(
        formhash=(formhash.attributes.get("value") or "") if formhash else "",
        action=form.attributes.get("action") or "search.php?mod=forum",
        full_text=form.css_first('input[name="srchtype"]') is not None,
    )


def message(page: str) -> str:
    """The sentence of a Discuz! message page (``#messagetext``), or "" when it is not one."""
    box = document(page).css_first("#messagetext")
    if box is None:
        return ""
    first = box.css_first("p")
    return text((first or box).text(separator=" "))


def _thread_and_post(href: str) -> tuple[str, str]:
    """(thread id, post id) a result link names: viewthread, findpost or rewritten forms."""
    try:
        target = resolve(href)
    except NotAForumError:
        return "", ""
    if target.kind is TargetKind.POST:
        return target.thread_id, target.id
    if target.kind is TargetKind.THREAD:
        return target.id, query_values(href).get("pid", "")
    return "", ""


def _board_id(href: str) -> str:
    try:
        target = resolve(href)
    except NotAForumError:
        return ""
    return target.id if target.kind is TargetKind.BOARD else ""


def _result(item: LexborNode, base_url: str) -> SearchResult | None:
    link = item.css_first("h3 a")
    if link is None:
        return None
    href = urljoin(base_url, link.attributes.get("href") or "")
    thread_id, post_id = _thread_and_post(href)
    thread_id = thread_id or (item.attributes.get("id") or "")
    if not thread_id.isdigit():
        return None
    result = SearchResult(thread_id=thread_id, subject=text(link.text()), post_id=post_id)
    paragraphs = item.css("p")
    for paragraph in paragraphs:
        classes = paragraph.attributes.get("class") or ""
        if "xg1" in classes.split():
            counts = _REPLIES_VIEWS.search(text(paragraph.text()))
            if counts:
                result.replies, result.views = int(counts.group(1)), int(counts.group(2))
        elif paragraph.css_first("span") is not None:
            _add_byline(result, paragraph, base_url)
        elif not result.snippet:
            result.snippet = text(paragraph.text())
    return result


def _add_byline(result: SearchResult, byline: LexborNode, base_url: str) -> None:
    """Date, author and board from the result's last line (``<span>`` parts joined by " - ")."""
    for span in byline.css("span"):
        anchor = span.css_first("a")
        href = (anchor.attributes.get("href") or "") if anchor else ""
        if anchor is None:
            result.time = result.time or timestamp(span.text())
        elif "uid=" in href:
            result.author = text(anchor.text())
            result.author_id = query_values(href).get("uid", "")
        elif "forum" in href:
            result.board = text(anchor.text())
            result.board_id = _board_id(urljoin(base_url, href))


def results(page: str, base_url: str) -> Page[SearchResult]:
    """A result page: its hits, which page of how many, and the site's hit count."""
    tree = document(page)
    items = [found for item in tree.css("li.pbw") if (found := _result(item, base_url)) is not None]
    heading = tree.css_first("div.sttl h2")
    total = None
    if heading is not None:
        numbers = _NUMBER.findall(text(heading.text()).rsplit("“", 1)[-1].rsplit("”", 1)[-1])
        total = int(numbers[-1]) if numbers else None
    current, pages = page_count(tree)
    return Page(items=items, page=current, pages=pages if items else current, total=total)


def search_id(location: str) -> str:
    """The ``searchid`` a search's redirect names, or ""."""
    return query_values(location).get("searchid", "")


def is_result_page(page: str) -> bool:
    """Whether a page is a search result page (even one with no hits)."""
    tree = document(page)
    return tree.css_first("#threadlist") is not None or tree.css_first("div.tl p.emp") is not None
