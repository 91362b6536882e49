"""Times as a reader sees them, the forum's time zone and the phone mark, from real captures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from tests.conftest import FIXTURES
from tui.discuz import parse
from tui.model import Timestamp
from tui.times import forum_date, relative_text, shown_time, site_language, zone_for

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
GMT8 = timezone(timedelta(hours=8))


def _variables(name: str) -> dict:
    return json.loads((FIXTURES / "mobile" / name).read_text(encoding="utf-8"))["Variables"]


def test_recent_times_read_relative_in_the_sites_language() -> None:
    assert relative_text(NOW - timedelta(hours=3, minutes=5), NOW, "zh") == "3 小时前"
    assert relative_text(NOW - timedelta(hours=3), NOW, "en") == "3 hours ago"
    assert relative_text(NOW - timedelta(minutes=1), NOW, "en") == "1 minute ago"
    assert relative_text(NOW - timedelta(seconds=20), NOW, "zh") == "刚刚"
    assert relative_text(NOW - timedelta(days=2), NOW, "zh") == "2 天前"
    assert relative_text(NOW - timedelta(days=8), NOW, "zh") is None  # older: exact


def test_shown_time_is_exact_on_request_and_for_old_moments() -> None:
    recent = Timestamp("3&nbsp;小时前", NOW - timedelta(hours=3))
    assert shown_time(recent, language="zh", now=NOW) == "3 小时前"
    assert shown_time(recent, zone=GMT8, language="zh", now=NOW, exact=True) == "2026-11-28 17:00"
    old = Timestamp("2026-7-26 02:33", datetime(2026, 7, 25, 18, 33, tzinfo=UTC))
    assert shown_time(old, zone=GMT8, now=NOW) == "2026-07-26 02:33"
    assert shown_time(old, zone=UTC, now=NOW) == "2026-07-25 18:33"
    assert shown_time(Timestamp("前天\x1b[31m 22:46")) == "前天 22:46"  # no exact moment: its text, cleaned


def test_the_forums_zone_is_used_only_when_the_config_asks() -> None:
    assert zone_for("forum", GMT8) is GMT8
    assert zone_for("local", GMT8) is None
    assert zone_for("forum", None) is None


def test_the_forum_time_zone_is_read_off_a_captured_thread_page() -> None:
    page = parse.thread_page(_variables("v4_viewthread_tid1_p1.json"), "http://127.0.0.1:8080/", page=1)
    assert page.time_zone is not None
    assert page.time_zone.utcoffset(None) == timedelta(hours=8)  # the web pages say GMT+8


def test_quote_dates_are_written_like_the_web_editor() -> None:
    moment = datetime(2026, 7, 25, 18, 33, tzinfo=UTC)
    assert forum_date(moment, GMT8) == "2026-7-26 02:33"


def test_posts_sent_from_a_phone_are_marked_as_the_web_page_marks_them() -> None:
    page = parse.thread_page(_variables("v4_viewthread_tid1_p13.json"), "http://127.0.0.1:8080/", page=13)
    phone = {post.floor: post.from_phone for post in page.posts}
    assert phone == {121: True, 122: True, 123: True, 124: True, 125: True, 126: False}
    web = (FIXTURES / "web" / "viewthread_tid1_p13_guest.html").read_text(encoding="utf-8")
    assert web.count("来自手机") == sum(phone.values())


def test_a_chinese_site_is_told_by_its_name() -> None:
    check = json.loads((FIXTURES / "mobile" / "v4_check.json").read_text(encoding="utf-8"))
    assert parse.site_info("http://127.0.0.1:8080/", check).language == "zh"
    assert site_language("Example Forum") == "en"


def test_a_profile_gives_the_members_home_and_signature() -> None:
    variables = _variables("v4_profile_uid4.json")
    variables["space"].update(resideprovince="江苏省", residecity="南京市", sightml="<b>hi</b>")
    profile = parse.profile(variables)
    assert profile.location == "江苏省 南京市"
    assert profile.signature_html == "<b>hi</b>"
