"""The JSON readers never crash on missing, odd or extra fields, and read numbers and dates right."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tui import errors
from tui.discuz import parse
from tui.discuz.messages import error_for, is_success

SITE = "http://127.0.0.1:8080/"

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
KNOWN = [
    "fid", "tid", "pid", "name", "threads", "posts", "subject", "author", "authorid", "dateline",
    "dbdateline", "position", "message", "attachments", "displayorder", "special", "polloptions",
    "forum", "thread", "postlist", "catlist", "forumlist", "forum_threadlist", "special_poll",
    "notice", "member_uid", "list", "space", "sublist", "forums", "ppp", "tpp", "page", "count",
]  # fmt: skip
variables = st.dictionaries(st.sampled_from(KNOWN), values, max_size=12)


@settings(max_examples=100, deadline=None)
@given(variables)
def test_readers_never_crash_on_odd_answers(data: dict) -> None:
    parse.board_index(data)
    parse.thread_list(data, "5")
    parse.thread_page(data, SITE, page=1, richer_bodies={"1": data})
    parse.favourite_threads(data)
    parse.my_threads(data)
    parse.profile(data)
    parse.conversations(data)
    parse.private_messages(data)


def test_string_numbers_and_missing_counts() -> None:
    assert parse.number("125") == 125 and parse.number("", 7) == 7 and parse.number(None) == 0
    assert parse.optional_number("3.0") == 3 and parse.optional_number("n/a") is None


def test_relative_display_date_keeps_its_text_and_gets_the_exact_epoch() -> None:
    stamp = parse.timestamp("3&nbsp;小时前", "1795863592")
    assert stamp is not None and stamp.text == "3 小时前"
    assert stamp.exact == datetime.fromtimestamp(1795863592, tz=UTC)
    titled = parse.timestamp('<span title="2026-11-26 22:46">前天&nbsp;22:46</span>')
    assert titled is not None and titled.text == "前天 22:46" and titled.exact is None
    assert parse.timestamp("", None) is None


def test_text_fields_lose_entities_tags_and_control_characters() -> None:
    assert parse.text("Welcome &amp; rules\x1b[31m<b>!</b>") == "Welcome & rules!"


def test_v1_and_v4_forum_index_read_the_same_boards() -> None:
    v1 = json.loads((FIXTURES / "mobile/v1_forumindex_guest.json").read_text())["Variables"]
    v4 = json.loads((FIXTURES / "mobile/v4_forumindex_guest.json").read_text())["Variables"]
    names = [[b.name for b in g.boards] for g in parse.board_index(v1).groups]
    assert names == [[b.name for b in g.boards] for g in parse.board_index(v4).groups]


def test_every_message_key_in_the_captures_maps_to_success_or_a_typed_error() -> None:
    seen = {}
    for path in sorted((FIXTURES / "mobile").glob("*.json")):
        if path.name.endswith(".meta.json"):
            continue
        data = json.loads(path.read_text())
        if isinstance(data, dict) and isinstance(data.get("Message"), dict):
            seen[data["Message"]["messageval"]] = data["Message"]["messagestr"]
    assert len(seen) > 30
    for key, said in seen.items():
        if is_success(key):
            continue
        error = error_for(key, said)
        assert isinstance(error, errors.ForumError) and error.server_key == key
        assert "refused the request (" not in str(error) or key in {
            "undefined_action", "submit_invalid", "plugin_module_nonexistence", "mobilesign_failed",
            "mobilesign_formhash_failed",
        }, key  # fmt: skip


def test_a_version_1_thread_answer_reads_floors_from_number() -> None:
    variables = json.loads((FIXTURES / "mobile/v2_viewthread_tid1_p2.json").read_text())["Variables"]
    page = parse.thread_page(variables, SITE, page=2)
    assert [post.floor for post in page.posts] == list(range(11, 21))
    assert (page.page, page.pages) == (2, 13)


def captured_variables(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["Variables"]


def page_facts(page) -> tuple:
    """What a reader sees of a page but the bodies: floors, authors, times, files, counts (not
    the views, which each capture added one to)."""
    posts = [
        (post.id, post.floor, post.author.name, post.author.avatar_url, post.time.exact, post.is_first)
        for post in page.posts
    ]
    files = [[(item.name, item.url, item.is_image) for item in post.attachments] for post in page.posts]
    thread = replace(page.thread, views=0)
    return posts, files, thread, (page.page, page.pages, page.page_size), page.user, page.time_zone


def test_a_version_1_answer_alone_gives_the_page_version_4_gives_with_its_code() -> None:
    for v1, v4, tid in [
        ("mobile/v1_viewthread_tid5.json", "mobile/v4_viewthread_tid5_code.json", "5"),
        ("mobile/v1_viewthread_tid28_image.json", "mobile/v4_viewthread_tid28_image.json", "28"),
    ]:
        desktop, mobile = captured_variables(v1), captured_variables(v4)
        assert not parse.needs_positions(desktop)
        url = SITE + f"forum.php?mod=viewthread&tid={tid}"
        alone = parse.thread_page(desktop, SITE, page=1, thread_url=url)
        merged = parse.thread_page(
            mobile, SITE, page=1, richer_bodies=parse.rows_by_pid(desktop), thread_url=url
        )
        assert page_facts(alone) == page_facts(merged)
        assert [post.html for post in alone.posts] == [post.html for post in merged.posts]
        assert tid != "5" or "sys.version_info" in alone.posts[0].html  # the code v4 drops


def test_floors_v1_cannot_number_send_the_page_to_version_4() -> None:
    """Trade, reward and debate threads number floors by count; a hot reply on page 1 is -1."""
    desktop = captured_variables("mobile/v1_viewthread_tid5.json")
    for special in ("2", "3", "5"):
        counted = {**desktop, "thread": {**desktop["thread"], "special": special}}
        assert parse.counts_floors(counted) and parse.needs_positions(counted)
    hot = {**desktop["postlist"][1], "number": "-1"}
    with_hot_reply = {**desktop, "postlist": [desktop["postlist"][0], hot, *desktop["postlist"][2:]]}
    assert parse.needs_positions(with_hot_reply) and not parse.counts_floors(with_hot_reply)
    poll = {**desktop, "thread": {**desktop["thread"], "special": "1"}}
    assert not parse.needs_positions(poll)


def test_an_image_v1_lists_and_tags_inline_is_shown_inline_and_not_listed_as_v4_does() -> None:
    """tid 29 as v1 sends it (per the API source): every attachment listed, the inline image's
    ``[attach]N[/attach]`` left in the message where v4 put the image."""
    mobile = captured_variables("mobile/v4_viewthread_tid29_user1.json")
    row = mobile["postlist"][0]
    inline = re.search(r'<div class="img"><img src="([^"]+)"[^>]*/></div>', row["message"])
    assert inline is not None
    zip_file = row["attachments"]["3"]
    image_path = inline.group(1).split("data/attachment/forum/")[1]
    image = {**zip_file, "aid": "4", "filename": "screenshot.png", "attachment": image_path, "isimage": "1",
             "attachimg": "1", "ext": "png"}  # fmt: skip
    v1_row = {
        **{key: value for key, value in row.items() if key not in ("position", "groupiconid", "replycredit")},
        "message": row["message"].replace(inline.group(0), "[attach]4[/attach]"),
        "attachments": {"3": zip_file, "4": image},
    }
    desktop = {**mobile, "postlist": [v1_row]}
    alone = parse.thread_page(desktop, SITE, page=1).posts[0]
    from_v4 = parse.thread_page(mobile, SITE, page=1).posts[0]
    assert [(a.name, a.url) for a in alone.attachments] == [(a.name, a.url) for a in from_v4.attachments]
    assert "[attach]" not in alone.html and inline.group(1) in alone.html
    merged = parse.thread_page(mobile, SITE, page=1, richer_bodies=parse.rows_by_pid(desktop)).posts[0]
    assert "[attach]" not in merged.html and inline.group(1) in merged.html
    tagged_file = {**v1_row, "message": v1_row["message"] + "[attach]3[/attach]"}
    kept = parse.thread_page({**mobile, "postlist": [tagged_file]}, SITE, page=1).posts[0]
    assert "[attach]" not in kept.html and [a.name for a in kept.attachments] == ["client-notes.zip"]


def test_only_one_authors_answer_counts_pages_from_that_authors_posts() -> None:
    variables = json.loads((FIXTURES / "mobile/v4_viewthread_tid1_authorid2.json").read_text())["Variables"]
    page = parse.thread_page(variables, SITE, page=1, author_id="2")
    assert (page.page, page.pages) == (1, 2)  # 18 posts by uid 2, 10 a page
    assert page.thread.replies == 125 and page.thread.floors == 126
    assert [post.floor for post in page.posts][:3] == [1, 10, 19]


def test_a_floors_own_words_leave_out_every_quote_nested_ones_too() -> None:
    html = (
        '<div class="quote"><blockquote>outer words <div class="quote"><blockquote>inner words'
        "</blockquote></div> more outer words</blockquote></div>my own words<br />second line"
    )
    own = parse.text_outside_quotes(html)
    assert own.startswith("my own words") and "second line" in own
    assert "outer" not in own and "inner" not in own
    assert parse.text_outside_quotes("no quote &amp; here") == "no quote & here"
