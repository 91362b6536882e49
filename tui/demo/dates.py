"""Dates the way Discuz! shows them (site time zone UTC+8): exact, or relative like "3&nbsp;小时前"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

SITE_TZ = timezone(timedelta(hours=8))


def _local(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC).astimezone(SITE_TZ)


def full_date(epoch: int) -> str:
    """'2026-11-28 18:53' (month and day without leading zeros, like Discuz's 'Y-n-j H:i')."""
    moment = _local(epoch)
    return f"{moment.year}-{moment.month}-{moment.day} {moment:%H:%M}"


def day_date(epoch: int) -> str:
    moment = _local(epoch)
    return f"{moment.year}-{moment.month}-{moment.day}"


def relative_date(epoch: int, now: int, older: Callable[[int], str] | None = None) -> str:
    """Discuz's 'u' format: the last week relative, older moments exact (``older`` formats those)."""
    seconds = now - epoch
    moment, today = _local(epoch), _local(now)
    days = (today.date() - moment.date()).days
    if 0 <= seconds < 60:
        return "刚刚"
    if 0 <= seconds < 3600:
        return f"{seconds // 60}&nbsp;分钟前"
    if days == 0 and seconds >= 0:
        return f"{seconds // 3600}&nbsp;小时前"
    if days == 1:
        return f"昨天&nbsp;{moment:%H:%M}"
    if days == 2:
        return f"前天&nbsp;{moment:%H:%M}"
    if 2 < days <= 7:
        return f"{days}&nbsp;天前"
    return (older or full_date)(epoch)


def today_start(now: int) -> int:
    local = _local(now)
    return int(local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp())
