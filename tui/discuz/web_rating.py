"""Ratings (评分) as HTML → ``tui.model``: the rate form and a floor's rating list.

The mobile API has neither. ``forum.php?mod=misc&action=rate&tid=…&pid=…`` answers
``form#rateform``: one row per credit the user may give (``input[name=scoreN]`` with its
name, its range "min ~ max" and what is left today) and the reason presets
(``#reasonselect li``). ``mod=misc&action=viewratings`` lists who gave what, in a
``table.list``. Readers accept missing parts and never raise.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.discuz.parse import text, timestamp
from tui.discuz.urls import query_values
from tui.model import RateCredit, RateForm, Rating

_SCORE_FIELD = re.compile(r"^score(\d+)$")
_RANGE = re.compile(r"(-?\d+)\s*~\s*(-?\d+)")
_SIGNED = re.compile(r"([+-]\s*\d+)")


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
    reasons = [text(item.text()) for item in form.css("#reasonselect li") if text(item.text())]
    hidden = [
        (node.attributes.get("name") or "", node.attributes.get("value") or "")
        for node in form.css("input[type=hidden]")
        if node.attributes.get("name")
    ]
    return RateForm(
        action=form.attributes.get("action") or "", hidden=hidden, credits=credits, reasons=reasons
    )


def ratings(page: str) -> list[Rating]:
    """Who rated a floor, with which credit, how much and why, from the rating list."""
    found = []
    for row in LexborHTMLParser(page).css("table.list tr"):
        cells = _cells(row)
        if len(cells) < 4:
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
                time=timestamp(cells[2].text()),
                reason=text(cells[3].text()),
            )
        )
    return found
