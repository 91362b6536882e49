"""How a forum's times read on screen: in the reader's time zone (or the forum's, when the
config asks), recent ones relative ("3 小时前" / "3 hours ago", in the site's language), older
ones exact. Engine-neutral: it works on ``Timestamp`` and plain ``datetime``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from functools import cache

from tui.content import clean_text
from tui.model import Timestamp

RECENT = timedelta(days=7)  # like Discuz!'s own relative dates: older moments read exactly


@cache
def _chinese() -> re.Pattern[str]:
    """Chinese characters, compiled when first needed: the class's wide ranges take a couple of
    milliseconds to compile, which a command that never asks should not pay."""
    return re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def site_language(*texts: str) -> str:
    """"zh" when the site writes Chinese (its name, subjects, dates), else "en"."""
    return "zh" if any(_chinese().search(text) for text in texts if text) else "en"


def zone_for(setting: str, forum_zone: tzinfo | None) -> tzinfo | None:
    """The zone times are shown in: the forum's when the config says "forum" and it is known,
    else None (the reader's local zone)."""
    return forum_zone if setting == "forum" else None


def exact_text(moment: datetime, zone: tzinfo | None = None) -> str:
    """'2026-11-28 18:53' in ``zone`` (None: the reader's local zone)."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def forum_date(moment: datetime, zone: tzinfo | None) -> str:
    """'2026-11-28 18:53' without leading zeros on month and day, as Discuz!'s editor writes
    quote headers ('Y-n-j H:i'), in the forum's zone (the reader's when unknown)."""
    local = moment.astimezone(zone)
    return f"{local.year}-{local.month}-{local.day} {local:%H:%M}"


def _count(number: int, unit: str, language: str) -> str:
    if language == "zh":
        return f"{number} {dict(minute='分钟', hour='小时', day='天')[unit]}前"
    return f"{number} {unit}{'' if number == 1 else 's'} ago"


def relative_text(moment: datetime, now: datetime, language: str) -> str | None:
    """'3 小时前' / '3 hours ago' for moments in the last week; None for older or future ones."""
    age = now - moment
    if age < timedelta(0) or age >= RECENT:
        return None
    seconds = int(age.total_seconds())
    if seconds < 60:
        return "刚刚" if language == "zh" else "just now"
    if seconds < 3600:
        return _count(seconds // 60, "minute", language)
    if seconds < 86400:
        return _count(seconds // 3600, "hour", language)
    return _count(seconds // 86400, "day", language)


def shown_time(
    stamp: Timestamp,
    *,
    zone: tzinfo | None = None,
    language: str = "en",
    now: datetime | None = None,
    exact: bool = False,
) -> str:
    """A post's time as the reader sees it: relative when recent (unless ``exact``), else exact
    in ``zone``; the forum's own text when it gave no exact moment."""
    if stamp.exact is None:
        return clean_text(stamp.text)
    if not exact:
        relative = relative_text(stamp.exact, now or datetime.now(stamp.exact.tzinfo), language)
        if relative is not None:
            return relative
    return exact_text(stamp.exact, zone)
