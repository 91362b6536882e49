"""Ratings (评分) as HTML → ``tui.model``: the rate form and a floor's rating list.

The mobile API has neither. ``forum.php?mod=misc&action=rate&tid=…&pid=…`` answers
``form#rateform``: one row per credit the user may give (``input[name=scoreN]`` with its
name, its range "min ~ max" and what is left today) and the reason presets
(``#reasonselect li``). ``mod=misc&action=viewratings`` lists who gave what, in a
``table.list``; a thread page sums each rater's credits under a rated floor
(``dl#ratelog_<pid>``, a ``table.ratl`` whose header names the credits). Readers accept
missing parts and never raise.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.discuz.parse import text, timestamp
from tui.discuz.urls import query_values
from tui.model import RateCredit, RateForm, Rating, Timestamp

_SCORE_FIELD = re.compile(r"^score(\d+)$")
_RANGE = re.compile(r"(-?\d+)\s*~\s*(-?\d+)")
_SIGNED = re.compile(r"([+-]\s*\d+)")
_SEPARATOR = re.compile(r"^-+$")  # an empty reason preset is drawn as a line of dashes


def _cells(row: LexborNode) -> list[LexborNode]:
    return row.css("td")


def rate_form(page: str) -> RateForm | None:
    """The rate form on a page (or in an AJAX answer's HTML), or None when there is none."""
    form = LexborHTMLParser(page).css_first("form#rateform")
    if form is None:
        return None
    credits = []
    for row in form.css("tr"):
        names = (_SCORE_FIELD.match(found.attributes.get("name") or "") for found in row.css("input"))
        score = next((name for name in names if name), None)
        if score is None:
            continue
        cells = [text(cell.text()) for cell in _cells(row)]
        bounds = next((found for cell in cells if (found := _RANGE.search(cell))), None)
        left = next((int(cell) for cell in reversed(cells) if cell.lstrip("-").isdigit()), None)
        credits.append(
            RateCredit(
                id=score.group(1),
                name=cells[0] if cells else "",
                minimum=int(bounds.group(1)) if bounds else 0,
                maximum=int(bounds.group(2)) if bounds else 0,
                left_today=left,
            )
        )
    presets = (text(item.text()) for item in form.css("#reasonselect li"))
    reasons = [said for said in presets if said and not _SEPARATOR.match(said)]
    hidden = [
        (node.attributes.get("name") or "", node.attributes.get("value") or "")
        for node in form.css("input[type=hidden]")
        if node.attributes.get("name")
    ]
    return RateForm(
        action=form.attributes.get("action") or "", hidden=hidden, credits=credits, reasons=reasons
    )


def _shown_time(cell: LexborNode) -> Timestamp | None:
    """A log time: recent ones read "3 小时前" with the full date in the span's title."""
    titled = cell.css_first("span[title]")
    return timestamp(titled.attributes.get("title") if titled is not None else cell.text())


def ratings(page: str) -> list[Rating]:
    """Who rated a floor, with which credit, how much and why, from the rating list (its
    column names are cells of a ``thead`` row, not ratings)."""
    found = []
    for row in LexborHTMLParser(page).css("table.list tr"):
        cells = _cells(row)
        if len(cells) < 4 or (row.parent is not None and row.parent.tag == "thead"):
            continue
        given = text(cells[0].text())
        amount = _SIGNED.search(given)
        user = cells[1].css_first("a")
        found.append(
            Rating(
                user=text((user or cells[1]).text()),
                user_id=query_values(user.attributes.get("href") or "").get("uid", "") if user else "",
                credit=_SIGNED.sub("", given).strip(),
                amount=int(amount.group(1).replace(" ", "")) if amount else 0,
                time=_shown_time(cells[2]),
                reason=text(cells[3].text()),
            )
        )
    return found


def floor_ratings(block: LexborNode, pid: str) -> list[Rating]:
    """The rating log a thread page draws under floor ``pid``: per rater (``tr#rate_<pid>_<uid>``)
    one rating per credit given, with the rater's reason. Times are not shown there."""
    table = block.css_first(f"dl#ratelog_{pid} table.ratl")
    if table is None:
        return []
    heads = table.css_first("tr")
    credits = [
        _SIGNED.sub("", text(head.text())).strip()
        for head in (heads.css("th")[1:-1] if heads is not None else [])
    ]
    found = []
    for row in table.css(f"tr[id^=rate_{pid}_]"):
        cells = _cells(row)
        if len(cells) < len(credits) + 2:
            continue
        user = row.css("a")[-1] if row.css("a") else None
        for credit, cell in zip(credits, cells[1:-1], strict=False):
            amount = _SIGNED.search(text(cell.text()).replace(" ", ""))
            if amount is None or not int(amount.group(1)):
                continue
            found.append(
                Rating(
                    user=text((user or cells[0]).text()),
                    user_id=(row.attributes.get("id") or "").rsplit("_", 1)[-1],
                    credit=credit,
                    amount=int(amount.group(1)),
                    reason=text(cells[-1].text()),
                )
            )
    return found
