"""DiscuzSession against real Discuz! X3.5 captures replayed through httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, quote_plus

import httpx
import pytest

from tests.conftest import FIXTURES, load_capture
from tui import errors
from tui.discuz.replay import Replay
from tui.discuz.session import DiscuzSession
from tui.discuz.wire import MAX_ANSWER_BYTES
from tui.engine import ForumSession
from tui.model import LoginRequest, ThreadOrder
from tui.registry import open_session

SITE = "http://127.0.0.1:8080/"
API = SITE + "api/mobile/index.php"
CHECK = "mobile/v4_check.json"


def replayed(names: Iterable[str], aliases: Mapping[str, str] | None = None) -> tuple[DiscuzSession, Replay]:
    replay = Replay(FIXTURES, names, aliases=aliases)
    return DiscuzSession(SITE, transport=replay.transport), replay


def at(query: str, method: str = "GET") -> str:
    """An alias target: a mobile-API request by its query after ``version=4&``."""
    return f"{method} {API}?version=4&{query}"


def form_of(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(request.content.decode("ascii"), keep_blank_values=True))


def test_open_session_gives_a_complete_discuz_session() -> None:
    session = open_session(SITE)
    assert isinstance(session, DiscuzSession)
    assert isinstance(session, ForumSession)
    assert session.site_url == SITE


async def test_probe_reads_version_and_charset() -> None:
    session, _ = replayed(["mobile/v4_check.json"])
    site = await session.probe()
    assert (site.version, site.charset, site.name) == ("X3.5", "utf-8", "DZ 测试社区")
    assert session.cookie_prefix == "SMHx_2132_"
    assert session.site is site


async def test_probe_of_a_site_without_the_mobile_api() -> None:
    session, _ = replayed([])  # every request answers 404
    with pytest.raises(errors.ApiDisabledError):
        await session.probe()


async def test_board_index_has_groups_boards_subboards_and_counts() -> None:
    session, _ = replayed(["mobile/v4_forumindex_user1.json"])
    index = await session.board_index()
    assert [group.name for group in index.groups] == ["Discuz! 站务", "技术交流", "生活休闲 Life & Fun"]
    python = index.find("5")
    assert python is not None and (python.threads, python.posts) == (10, 30)
    assert [sub.name for sub in python.subboards] == ["Django & Flask 框架", "数据科学 Data Science"]
    assert index.find("12") is not None
    assert index.find("10") is not None and index.find("10").today_posts == 1
    assert index.user is not None and index.user.username == "user1"


async def test_the_index_a_session_check_read_is_the_board_list_that_follows(monkeypatch) -> None:
    session, replay = replayed(["mobile/v4_forumindex_user1.json"])
    user = await session.refresh_user()
    index = await session.board_index()
    assert user.username == "user1" and index.find("5") is not None
    assert len(replay.sent("forumindex")) == 1
    await session.board_index()  # once only: the next board list is asked for
    assert len(replay.sent("forumindex")) == 2
    monkeypatch.setattr("tui.discuz.session.INDEX_REUSE_SECONDS", -1.0)  # read too long ago
    await session.refresh_user()
    await session.board_index()
    assert len(replay.sent("forumindex")) == 4


async def test_thread_list_marks_sticky_digest_and_poll() -> None:
    session, replay = replayed(["mobile/v4_forumdisplay_fid5_guest.json"])
    threads = await session.thread_list("5")
    by_id = {thread.id: thread for thread in threads.threads}
    assert by_id["2"].sticky == 3 and by_id["25"].sticky == 1
    assert by_id["5"].digest == 1
    assert by_id["27"].poll and not by_id["5"].poll
    assert by_id["2"].subject == "欢迎来到 DZ 测试社区！新人必读 / Welcome & forum rules"
    assert by_id["27"].created is not None and by_id["27"].created.exact is not None
    assert [board.id for board in threads.subboards] == ["11", "12"]
    assert threads.board.name == "Python 编程"
    assert replay.unmatched == []


async def test_thread_list_pages_and_page_size() -> None:
    session, replay = replayed(
        ["mobile/v4_forumdisplay_fid8_p2.json", "mobile/v4_forumdisplay_fid5_tpp3_p2.json"]
    )
    second = await session.thread_list("8", 2)
    assert (second.page, second.pages, second.total) == (2, 2, 22)
    small = await session.thread_list("5", 2, page_size=3)
    assert (small.page_size, small.pages, len(small.threads)) == (3, 3, 3)
    assert replay.unmatched == []


async def test_board_page_past_the_end_is_the_first_page() -> None:
    session, _ = replayed(
        [], aliases={"mobile/v4_forumdisplay_fid8_p3_beyond.json": at("module=forumdisplay&fid=8&page=3")}
    )
    beyond = await session.thread_list("8", 3)
    assert (beyond.page, beyond.pages, beyond.threads[0].id) == (1, 2, "2")


async def test_thread_list_order_and_digest_filters_reach_the_server() -> None:
    session, replay = replayed(
        ["mobile/v4_forumdisplay_fid8_orderby_dateline.json", "mobile/v4_forumdisplay_fid5_digest.json"],
        aliases={
            "mobile/v4_forumdisplay_fid8_orderby_dateline.json": at(
                "module=forumdisplay&fid=8&filter=author&orderby=dateline"
            ),
            "mobile/v4_forumdisplay_fid5_digest.json": at("module=forumdisplay&fid=5&filter=digest&digest=1"),
        },
    )
    newest = await session.thread_list("8", order=ThreadOrder.NEWEST)
    digest = await session.thread_list("5", digest_only=True)
    assert newest.threads and [thread.id for thread in digest.threads] == ["5"]
    assert replay.unmatched == []


async def test_members_only_board_as_guest_needs_login() -> None:
    session, _ = replayed(["mobile/v4_forumdisplay_fid10_guest.json"])
    with pytest.raises(errors.LoginRequiredError) as caught:
        await session.thread_list("10")
    assert caught.value.server_key == "viewperm_login_nopermission//1"


async def test_missing_board_and_thread_are_not_found() -> None:
    session, _ = replayed(["mobile/v4_forumdisplay_fid999.json", "mobile/v4_viewthread_tid999.json"])
    with pytest.raises(errors.NotFoundError):
        await session.thread_list("999")
    with pytest.raises(errors.NotFoundError):
        await session.thread_page("999")


async def test_last_page_of_the_long_thread_has_floors_121_to_126() -> None:
    session, _ = replayed(["mobile/v4_viewthread_tid1_p13.json"])
    page = await session.thread_page("1", 13)
    assert [post.floor for post in page.posts] == [121, 122, 123, 124, 125, 126]
    assert (page.page, page.pages, page.page_size) == (13, 13, 10)
    assert page.thread.subject == "【水楼】每日打卡签到楼 Daily check-in thread"
    first = page.posts[0]
    assert first.author.name == "admin" and first.base_url == SITE
    assert first.author.avatar_url == SITE + "uc_server/avatar.php?uid=1&size=small&ts=1"
    assert first.time.exact is not None and first.time.text == "5 天前"
    assert "Milestone post #121" in first.html


async def test_page_past_the_end_is_the_last_page() -> None:
    session, _ = replayed(["mobile/v4_viewthread_tid1_p14_beyond.json"])
    page = await session.thread_page("1", 14)
    assert (page.page, page.pages, page.posts[-1].floor) == (13, 13, 126)


async def test_only_author_yields_only_that_users_posts() -> None:
    """v1 numbers one author's posts 1, 2, 3…: v4 is read beside it for their floors."""
    session, replay = replayed(["mobile/v4_viewthread_tid1_authorid2.json"])
    page = await session.thread_page("1", author_id="2")
    assert page.posts and {post.author.name for post in page.posts} == {"user1"}
    assert {post.author.id for post in page.posts} == {"2"}
    assert [post.floor for post in page.posts][:3] == [1, 10, 19]
    sent = replay.sent("viewthread")
    assert sorted(r.url.params["version"] for r in sent) == ["1", "4"]
    assert {r.url.params["authorid"] for r in sent} == {"2"}


async def test_reverse_order_asks_for_ordertype_1() -> None:
    session, replay = replayed(["mobile/v4_viewthread_tid1_ordertype1.json"])
    page = await session.thread_page("1", reverse=True)
    floors = [post.floor for post in page.posts]
    assert floors[0] == 1 and floors[1:] == sorted(floors[1:], reverse=True)
    assert page.reverse and replay.sent("viewthread")[0].url.params["ordertype"] == "1"


def versions_asked(replay: Replay) -> list[str]:
    return [request.url.params["version"] for request in replay.sent("viewthread")]


async def test_a_thread_page_costs_one_v1_request_that_keeps_the_code() -> None:
    session, replay = replayed(["mobile/v1_viewthread_tid5.json"])
    page = await session.thread_page("5")
    assert versions_asked(replay) == ["1"]
    assert [post.floor for post in page.posts] == [1, 2, 3, 4, 5]
    assert "sys.version_info" in page.posts[0].html and page.posts[0].is_first
    assert page.thread.subject == "Python 3.12 有哪些值得关注的新特性？"
    later = replayed(
        [], aliases={"mobile/v2_viewthread_tid1_p2.json": at_v1("module=viewthread&tid=1&page=2")}
    )
    page_2 = await later[0].thread_page("1", 2)
    assert versions_asked(later[1]) == ["1"]
    assert [post.floor for post in page_2.posts] == list(range(11, 21)) and page_2.pages == 13


def at_v1(query: str) -> str:
    """An alias target: a version=1 mobile-API request by its query after ``version=1&``."""
    return f"GET {API}?version=1&{query}"


def captured(name: str, **thread: str) -> dict:
    """A capture's JSON, with ``thread`` facts changed."""
    data = json.loads(load_capture(name)[1])
    data["Variables"]["thread"].update(thread)
    return data


def serving(v1: dict | bytes, v4: dict) -> tuple[DiscuzSession, list[str]]:
    """A session whose forum answers viewthread with ``v1`` or ``v4``; the versions asked, in order."""
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        version = request.url.params.get("version", "")
        if request.url.params.get("module") != "viewthread":
            return httpx.Response(404)
        asked.append(version)
        body = v1 if version == "1" else v4
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.Response(200, headers={"Content-Type": "application/json"}, content=content)

    return DiscuzSession(SITE, transport=httpx.MockTransport(answer), author_cards=False), asked


async def test_a_reward_thread_is_numbered_by_v4_and_read_through_both_from_then_on() -> None:
    """Discuz! numbers a reward thread's floors by count: v1's 1–5 are not the floors
    1, 2, 4, 5, 7 (posts 3 and 6 deleted) that v4's ``position`` gives."""
    v1 = captured("mobile/v1_viewthread_tid5.json", special="3")
    v4 = captured("mobile/v4_viewthread_tid5_code.json", special="3")
    for row, position in zip(v4["Variables"]["postlist"], ["1", "2", "4", "5", "7"], strict=True):
        row["position"] = position
    session, asked = serving(v1, v4)
    page = await session.thread_page("5")
    assert asked == ["1", "4"]  # v1 first, then v4 for the floors: no third request
    assert [post.floor for post in page.posts] == [1, 2, 4, 5, 7]
    assert "sys.version_info" in page.posts[0].html  # the bodies still come from v1
    asked.clear()
    again = await session.thread_page("5", 2)
    assert asked == ["4", "1"]  # known now: both at once, as for one author's posts
    assert [post.floor for post in again.posts] == [1, 2, 4, 5, 7]


async def test_a_reward_thread_seen_on_one_authors_page_is_read_through_both_at_once() -> None:
    v1 = captured("mobile/v1_viewthread_tid5.json", special="3")
    session, asked = serving(v1, captured("mobile/v4_viewthread_tid5_code.json", special="3"))
    await session.thread_page("5", author_id="2")
    asked.clear()
    await session.thread_page("5")
    assert asked == ["4", "1"]  # not v1 first: the thread's kind is known


async def test_a_hot_reply_v1_numbers_minus_one_gets_its_floor_from_v4() -> None:
    v1 = captured("mobile/v1_viewthread_tid5.json")
    v1["Variables"]["postlist"][1]["number"] = "-1"  # Discuz!'s number for a hot reply on page 1
    session, asked = serving(v1, captured("mobile/v4_viewthread_tid5_code.json"))
    page = await session.thread_page("5")
    assert asked == ["1", "4"] and [post.floor for post in page.posts] == [1, 2, 3, 4, 5]
    asked.clear()
    await session.thread_page("5")
    assert asked == ["1", "4"]  # only that page: the thread's floors are not counted


@pytest.mark.parametrize(
    "broken_v1",
    [
        load_capture("mobile/v3_viewthread_tid5.html")[1],  # the "System Error" page, not JSON
        load_capture("mobile/v1_viewthread_tid5.json")[1][:900],  # cut off
        json.dumps({"Version": "1", "Variables": {"thread": [], "postlist": None}}).encode(),
    ],
    ids=["error-page", "cut-off", "no-postlist"],
)
async def test_a_malformed_v1_answer_leaves_the_page_to_v4(broken_v1: bytes) -> None:
    session, asked = serving(broken_v1, captured("mobile/v4_viewthread_tid5_code.json"))
    page = await session.thread_page("5")
    assert asked == ["1", "4"]
    assert [post.floor for post in page.posts] == [1, 2, 3, 4, 5] and "Python 3.12" in page.thread.subject


async def test_a_v1_answer_too_large_is_refused_without_asking_v4_for_the_same_posts() -> None:
    huge = b'{"Variables": {"postlist": ["' + b"x" * MAX_ANSWER_BYTES + b'"]}}'
    session, asked = serving(huge, captured("mobile/v4_viewthread_tid5_code.json"))
    with pytest.raises(errors.AnswerTooLargeError):
        await session.thread_page("5")
    assert asked == ["1"]


@pytest.mark.parametrize(
    ("refusal", "tid", "error"),
    [
        ("mobile/v4_viewthread_tid999.json", "999", errors.NotFoundError),
        ("mobile/v4_viewthread_tid29_guest.json", "29", errors.LoginRequiredError),
    ],
)
async def test_a_refusal_v4_would_give_too_is_raised_after_one_request(
    refusal: str, tid: str, error: type[errors.ForumError]
) -> None:
    session, replay = replayed([], aliases={refusal: at_v1(f"module=viewthread&tid={tid}")})
    with pytest.raises(error):
        await session.thread_page(tid)
    assert versions_asked(replay) == ["1"]


async def test_code_blocks_dropped_by_v4_reach_the_post_html() -> None:
    _, v4_body = load_capture("mobile/v4_viewthread_tid5_code.json")
    assert b"sys.version_info" not in v4_body  # the quirk: v4 alone loses the code
    session, _ = replayed(["mobile/v4_viewthread_tid5_code.json", "mobile/v1_viewthread_tid5.json"])
    page = await session.thread_page("5")
    first = page.posts[0]
    assert "sys.version_info" in first.html
    assert "class Stack[T]:" in first.html.replace("&nbsp;", " ")
    assert first.floor == 1 and first.is_first


async def test_thread_page_survives_when_the_v1_read_fails() -> None:
    session, _ = replayed(["mobile/v4_viewthread_tid5_code.json"])
    page = await session.thread_page("5")
    assert page.posts[0].id == "5" and "Python 3.12" in page.thread.subject


async def test_poll_has_options_counts_and_who_may_vote() -> None:
    session, _ = replayed(["mobile/v4_viewthread_tid27_poll_guest.json"])
    page = await session.thread_page("27")
    assert page.poll is not None
    assert [option.text for option in page.poll.options][:2] == ["Python 3.8 或更早", "Python 3.10"]
    assert [option.votes for option in page.poll.options] == [0, 1, 3, 1, 0]
    assert page.poll.options[2].percent == 60.0
    assert (page.poll.voters, page.poll.max_choices, page.poll.can_vote) == (5, 1, False)
    member, _ = replayed(["mobile/v4_viewthread_tid27_poll_user1.json"])
    poll = (await member.thread_page("27")).poll
    assert poll is not None and poll.can_vote and not poll.voted


async def test_attachments_get_absolute_urls() -> None:
    session, _ = replayed(["mobile/v4_viewthread_tid29_user1.json"])
    page = await session.thread_page("29")
    files = page.posts[0].attachments
    assert [(item.name, item.size, item.is_image) for item in files] == [
        ("client-notes.zip", "229 Bytes", False)
    ]
    assert files[0].url.startswith(SITE + "forum.php?mod=attachment&aid=")


async def test_locate_post_follows_findpost() -> None:
    session, _ = replayed(["web/redirect_findpost.html"])
    where = await session.locate_post("54", "1")
    assert (where.thread_id, where.page, where.post_id) == ("1", 3, "54")


WEB_LOGIN_POST = (
    "POST " + SITE + "member.php?mod=logging&action=login&loginsubmit=yes&loginhash=LroqA&inajax=1"
)


async def test_wrong_password_tells_attempts_left() -> None:
    session, replay = replayed(
        [CHECK, "web/login_form_inajax.xml"], aliases={"web/login_post_wrong_password.xml": WEB_LOGIN_POST}
    )
    with pytest.raises(errors.WrongPasswordError) as caught:
        await session.login(LoginRequest("user4", "not-the-password"))
    assert caught.value.attempts_left == 4
    assert "4 attempts left" in str(caught.value)
    assert replay.unmatched == [] and replay.sent("login") == []  # one counted attempt, not two
    web_post = replay.requests[-1]
    sent = form_of(web_post)
    assert (sent["formhash"], sent["username"]) == ("fbdfdc0a", "user4")
    assert web_post.headers["referer"] == SITE


async def test_web_form_login_success_is_logged_in() -> None:
    session, replay = replayed(
        [CHECK, "web/login_form_inajax.xml", "mobile/v4_forumindex_user1.json"],
        aliases={"web/login_post_success.xml": WEB_LOGIN_POST},
    )
    user = await session.login(LoginRequest("user1", "secret-password"))
    assert not user.is_guest and "SMHx_2132_auth" in session.export_session()
    assert replay.unmatched == []


async def test_mobile_wrong_password_without_a_web_form() -> None:
    session, _ = replayed(["mobile/v4_login_wrong_password.json"])
    with pytest.raises(errors.WrongPasswordError) as caught:
        await session.login(LoginRequest("user4", "not-the-password"))
    assert caught.value.attempts_left is None and caught.value.server_key == "login_invalid"


async def test_successful_v4_login_answering_503_counts_as_logged_in() -> None:
    session, replay = replayed(["mobile/v4_login_success_user1.html", "mobile/v4_forumindex_user1.json"])
    user = await session.login(LoginRequest("user1", "secret-password"))
    assert (user.uid, user.username) == ("2", "user1")
    assert not session.user.is_guest
    secrets = session.export_session()
    assert "SMHx_2132_auth" in secrets and "SMHx_2132_saltkey" in secrets
    login_form = form_of(replay.sent("login")[0])
    assert login_form["username"] == "user1" and login_form["questionid"] == "0"


async def test_v3_style_json_login_success() -> None:
    session, _ = replayed(
        ["mobile/v4_forumindex_user1.json"],
        aliases={
            "mobile/v3_login_success_user1.json": at("module=login&loginsubmit=yes&loginfield=auto", "POST"),
        },
    )
    user = await session.login(LoginRequest("user1", "secret-password"))
    assert user.username == "user1"


@pytest.mark.parametrize(
    ("capture", "question_id", "expected"),
    [
        ("mobile/v4_login_question_required.json", 0, errors.SecurityQuestionRequiredError),
        ("mobile/v4_login_question_wrong_answer.json", 1, errors.SecurityQuestionWrongError),
        ("mobile/v4_login_captcha_missing.json", 0, errors.CaptchaRequiredError),
        ("mobile/v4_login_empty_fields.json", 0, errors.WrongPasswordError),
    ],
)
async def test_login_failures_are_typed(capture: str, question_id: int, expected: type) -> None:
    session, _ = replayed([capture])
    with pytest.raises(expected) as caught:
        await session.login(LoginRequest("user3", "pw", question_id=question_id, answer="x"))
    assert caught.value.server_key


async def test_no_captcha_when_secure_answers_503() -> None:
    session, _ = replayed(["mobile/v4_secure_login.html"])
    assert await session.captcha_for_login() is None
    member, _ = replayed(["mobile/v4_secure_post_user1.html"])
    assert await member.captcha_for_post() is None


async def test_captcha_image_is_fetched_with_a_referer() -> None:
    session, replay = replayed(
        ["mobile/v4_seccodehtml.html", "mobile/v4_seccode_image.png"],
        aliases={"mobile/v4_secure_login_force.json": at("module=secure&type=login")},
    )
    challenge = await session.captcha_for_login()
    assert challenge is not None and challenge.token == "U7v3iw7e"
    assert challenge.image.startswith(b"\x89PNG") and len(challenge.image) == 761
    image_request = replay.sent("seccode")[0]
    assert image_request.headers["referer"] == SITE


async def test_captcha_answer_is_sent_with_the_login() -> None:
    session, replay = replayed(["mobile/v4_login_success_user1.html", "mobile/v4_forumindex_user1.json"])
    from tui.model import CaptchaChallenge

    challenge = CaptchaChallenge(token="U7v3iw7e", image=b"", image_url="")
    await session.login(LoginRequest("user1", "pw", captcha=challenge, captcha_answer="ab12"))
    sent = form_of(replay.sent("login")[0])
    assert (sent["seccodehash"], sent["seccodeverify"]) == ("U7v3iw7e", "ab12")


async def test_reply_sends_formhash_and_returns_the_new_post() -> None:
    session, replay = replayed(["mobile/v4_forumindex_user1.json", "mobile/v4_sendreply_success.json"])
    result = await session.reply("14", "补充一下：grid-template-areas 也很好用，可读性很强。")
    assert (result.thread_id, result.post_id) == ("14", "250")
    post = replay.sent("sendreply")[0]
    assert form_of(post)["formhash"] == "3d251e7c"
    assert post.headers["referer"] == SITE


async def test_stale_formhash_is_refreshed_and_the_post_retried_once() -> None:
    session, replay = replayed(
        [
            "mobile/v4_forumindex_user1.json",
            "mobile/v4_sendreply_bad_formhash.html",
            "mobile/v4_sendreply_success.json",
        ]
    )
    result = await session.reply("14", "a reply long enough to pass")
    assert result.post_id == "250"
    assert len(replay.sent("sendreply")) == 2


async def test_formhash_rejected_twice_is_a_clear_error() -> None:
    session, replay = replayed(["mobile/v4_forumindex_user1.json", "mobile/v4_sendreply_bad_formhash.html"])
    with pytest.raises(errors.SessionExpiredError) as caught:
        await session.reply("14", "a reply long enough to pass")
    assert caught.value.server_key == "request_tainting"
    assert len(replay.sent("sendreply")) == 2


@pytest.mark.parametrize(
    ("capture", "expected"),
    [
        ("mobile/v4_sendreply_guest.json", errors.LoginRequiredError),
        ("mobile/v4_sendreply_too_short.json", errors.MessageTooShortError),
        ("mobile/v4_sendreply_closed_thread.json", errors.ThreadClosedError),
        ("mobile/v4_sendreply_flood_second.json", errors.FloodControlError),
        ("mobile/v4_sendreply_no_tid.json", errors.NotFoundError),
    ],
)
async def test_reply_failures_are_typed(capture: str, expected: type) -> None:
    session, _ = replayed(
        ["mobile/v4_forumindex_user1.json"],
        aliases={capture: at("module=sendreply&tid=14&replysubmit=yes", "POST")},
    )
    with pytest.raises(expected) as caught:
        await session.reply("14", "some reply text")
    assert caught.value.server_key == json.loads((FIXTURES / capture).read_text())["Message"]["messageval"]


async def test_quote_reply_sends_noticetrimstr_and_reppid() -> None:
    session, replay = replayed(
        ["web/redirect_findpost.html", "mobile/v4_viewthread_tid1_p3_user1.json"],
        aliases={"mobile/v4_sendreply_with_quote.json": at("module=sendreply&tid=1&replysubmit=yes", "POST")},
    )
    result = await session.reply("1", "同意楼上 agreed", quote_post_id="54")
    assert result.post_id == "251"
    sent = form_of(replay.sent("sendreply")[-1])
    assert sent["reppid"] == "54" and sent["message"] == "同意楼上 agreed"
    quote = sent["noticetrimstr"]
    link = "[url=forum.php?mod=redirect&goto=findpost&pid=54&ptid=1]"  # as the web editor writes it
    assert quote.startswith(f"[quote][size=2]{link}[color=#999999]") and quote.endswith("[/color][/quote]")
    quoted = next(post for post in (await session.thread_page("1", 3)).posts if post.id == "54")
    assert f"{quoted.author.name} 发表于" in quote


async def test_new_thread_returns_its_ids_and_empty_subject_is_typed() -> None:
    session, replay = replayed(["mobile/v4_forumindex_user1.json", "mobile/v4_newthread_success.json"])
    result = await session.new_thread("8", "终端客户端发帖测试", "这是一条测试主题。")
    assert (result.thread_id, result.post_id) == ("49", "253")
    assert form_of(replay.sent("newthread")[0])["subject"] == "终端客户端发帖测试"
    empty, _ = replayed(
        ["mobile/v4_forumindex_user1.json"],
        aliases={"mobile/v4_newthread_no_subject.json": at("module=newthread&fid=8&topicsubmit=yes", "POST")},
    )
    with pytest.raises(errors.SubjectRequiredError):
        await empty.new_thread("8", "", "text")


async def test_vote_and_voting_twice() -> None:
    session, replay = replayed(["mobile/v4_forumindex_user1.json", "mobile/v4_pollvote_user1.json"])
    await session.vote("27", "5", ["4"])
    assert form_of(replay.sent("pollvote")[0])["pollanswers[]"] == "4"
    again, _ = replayed(
        ["mobile/v4_forumindex_user1.json"],
        aliases={
            "mobile/v4_pollvote_again_user2.json": at("module=pollvote&fid=5&tid=27&pollsubmit=yes", "POST")
        },
    )
    with pytest.raises(errors.AlreadyDoneError):
        await again.vote("27", "5", ["3"])


async def test_favourites_add_repeat_and_list() -> None:
    session, _ = replayed(
        [
            "mobile/v4_forumindex_user1.json",
            "mobile/v4_favthread_add.json",
            "mobile/v4_favthread_repeat.json",
            "mobile/v4_favforum_add.json",
            "mobile/v4_myfavthread_user1.json",
        ],
        aliases={"mobile/v4_myfavthread_user1.json": at("module=myfavthread")},
    )
    await session.add_favourite_thread("1")
    with pytest.raises(errors.AlreadyDoneError):
        await session.add_favourite_thread("1")
    await session.add_favourite_board("5")
    favourites = await session.favourite_threads()
    assert [thread.id for thread in favourites.items] == ["5", "22", "28"]
    assert favourites.total == 3


async def test_my_threads_as_guest_needs_login() -> None:
    session, _ = replayed([], aliases={"mobile/v4_mythread_guest.html": at("module=mythread")})
    with pytest.raises(errors.LoginRequiredError):
        await session.my_threads()


async def test_my_threads_and_replies() -> None:
    session, _ = replayed(
        [],
        aliases={
            "mobile/v4_mythread_user1.json": at("module=mythread"),
            "mobile/v4_mythread_user1_reply.json": at("module=mythread&type=reply"),
        },
    )
    mine = await session.my_threads()
    replied = await session.my_threads(replied=True)
    assert mine.items[0].id == "27" and mine.items[0].poll
    assert "1" in [thread.id for thread in replied.items]


async def test_profile_and_private_messages() -> None:
    session, _ = replayed(
        ["mobile/v4_profile_uid4.json", "mobile/v4_mypm_view_touid3.json", "mobile/v4_sendpm_success.json"],
        aliases={
            "mobile/v4_mypm_user1.json": at("module=mypm"),
            "mobile/v4_mypm_view_touid3.json": at("module=mypm&subop=view&touid=3"),
        },
    )
    profile = await session.profile("4")
    assert (profile.username, profile.posts, profile.threads, profile.credits) == ("user3", 38, 9, 86)
    inbox = await session.conversations()
    assert [(c.with_uid, c.with_name, c.unread) for c in inbox.items][:2] == [
        ("5", "user4", False),
        ("3", "user2", False),
    ]
    talk = await session.conversation("3")
    assert [message.from_name for message in talk.items] == ["user1", "user2", "user2"]
    await session.send_pm("5", "你好 user4")


async def test_pm_flood_and_guest_profile_are_typed() -> None:
    session, _ = replayed(
        [
            "mobile/v4_forumindex_user1.json",
            "mobile/v4_sendpm_flood.json",
            "mobile/v4_profile_guest_uid2.json",
        ]
    )
    with pytest.raises(errors.FloodControlError):
        await session.send_pm("5", "again")
    with pytest.raises(errors.LoginRequiredError):
        await session.profile("2")


async def test_session_round_trip_and_expiry_shows_as_guest() -> None:
    session, _ = replayed(["mobile/v4_login_success_user1.html", "mobile/v4_forumindex_user1.json"])
    await session.login(LoginRequest("user1", "pw"))
    secrets = session.export_session()
    restored, replay = replayed(["mobile/v4_forumindex_user1.json"])
    restored.restore_session(secrets)
    assert (await restored.refresh_user()).username == "user1"
    assert "SMHx_2132_auth=" in replay.requests[0].headers["cookie"]
    expired, _ = replayed(["mobile/v4_forumindex_after_logout.json"])
    expired.restore_session({"SMHx_2132_auth": "stale"})
    assert (await expired.refresh_user()).is_guest


async def test_logout_forgets_the_session() -> None:
    session, replay = replayed(
        ["mobile/v4_login_success_user1.html", "mobile/v4_forumindex_user1.json"],
        aliases={"mobile/v4_logout.json": at("module=login&mlogout=1&hash=3d251e7c")},
    )
    await session.login(LoginRequest("user1", "pw"))
    await session.logout()
    assert session.user.is_guest and session.export_session() == {}
    assert replay.sent("login")[-1].url.params["mlogout"] == "1"


async def test_gbk_site_gets_gbk_form_fields() -> None:
    check = json.dumps({"charset": "gbk", "truediscuzversion": "X3.5", "version": "4"}).encode()
    _, forumindex = load_capture("mobile/v4_forumindex_user1.json")
    _, replied = load_capture("mobile/v4_sendreply_success.json")
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        module = request.url.params.get("module")
        body = {"check": check, "forumindex": forumindex, "sendreply": replied}[module]
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    session = DiscuzSession(SITE, transport=httpx.MockTransport(answer))
    await session.reply("14", "你好，世界")  # no explicit probe: the first form learns the charset
    body = sent[-1].content
    assert ("message=" + quote_plus("你好，世界".encode("gbk"))).encode() in body
    assert quote_plus("你好".encode()).encode() not in body  # not UTF-8


async def test_network_failure_is_typed() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    session = DiscuzSession(SITE, transport=httpx.MockTransport(refuse))
    with pytest.raises(errors.NetworkError):
        await session.board_index()


async def test_html_where_data_was_expected() -> None:
    session, _ = replayed([], aliases={"web/forum_index_guest.html": at("module=forumindex")})
    with pytest.raises(errors.NotAForumError):
        await session.board_index()


async def test_requests_say_who_we_are() -> None:
    session, replay = replayed(["mobile/v4_check.json"])
    await session.probe()
    assert replay.requests[0].headers["user-agent"].startswith("forum-tui/")


async def test_probe_follows_a_move_to_https() -> None:
    _, check = load_capture("mobile/v4_check.json")

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.scheme == "http":
            return httpx.Response(301, headers={"Location": str(request.url.copy_with(scheme="https"))})
        return httpx.Response(200, content=check, headers={"Content-Type": "application/json"})

    session = DiscuzSession("http://bbs.example.com/", transport=httpx.MockTransport(answer))
    site = await session.probe()
    assert session.site_url == site.base_url == "https://bbs.example.com/"
    assert session.thread_url("5") == "https://bbs.example.com/forum.php?mod=viewthread&tid=5"


async def test_a_session_that_died_on_the_server_shows_as_expired() -> None:
    session, _ = replayed(
        ["mobile/v4_forumindex_user1.json"], aliases={"mobile/v4_mypm_guest.json": at("module=mypm")}
    )
    await session.refresh_user()
    assert not session.user.is_guest
    with pytest.raises(errors.SessionExpiredError):
        await session.conversations()
    assert session.user.is_guest


async def test_locked_out_after_too_many_failures() -> None:
    _, form = load_capture("web/login_form_inajax.xml")
    locked = "<root><![CDATA[密码错误次数过多，请 15 分钟后重新登录]]></root>"

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("member.php"):
            body = form if request.method == "GET" else locked.encode()
            return httpx.Response(200, content=body, headers={"Content-Type": "text/xml; charset=utf-8"})
        return httpx.Response(404)

    session = DiscuzSession(SITE, transport=httpx.MockTransport(answer))
    with pytest.raises(errors.TooManyLoginsError) as caught:
        await session.login(LoginRequest("user4", "guess"))
    assert caught.value.minutes == 15 and caught.value.server_key == "login_strike"


async def test_quoted_text_that_looks_like_bbcode_stays_text() -> None:
    _, replied = load_capture("mobile/v4_sendreply_success.json")
    row = {"pid": "77", "tid": "14", "author": "mallory", "position": "1", "dbdateline": "1795000000"}
    row["message"] = "see [/quote][url=http://evil.example/]here[/url] and list[T]"
    thread = {"tid": "14", "subject": "s", "replies": "0"}
    page = {"Variables": {"member_uid": "3", "formhash": "820b869d", "thread": thread, "postlist": [row]}}
    posted: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        module = request.url.params.get("module")
        if module == "viewthread":
            return httpx.Response(200, json=page)
        if module == "sendreply" and request.method == "POST":
            posted.append(request)
            return httpx.Response(200, content=replied)
        return httpx.Response(200, json={"Variables": {"member_uid": "3"}})

    session = DiscuzSession(SITE, transport=httpx.MockTransport(answer))
    await session.thread_page("14")
    await session.reply("14", "quoting mallory", quote_post_id="77")
    quote = form_of(posted[-1])["noticetrimstr"]
    assert quote.count("[quote]") == 1 and quote.count("[/quote]") == 1
    assert "evil.example" not in quote and quote.count("[url=") == 1  # only the findpost link
    assert "list[T]" in quote and "mallory 发表于" in quote


async def test_a_members_only_site_says_so_when_the_index_refuses_a_guest() -> None:
    session, _ = replayed([CHECK], aliases={"mobile/v4_favthread_guest.json": at("module=forumindex")})
    await session.probe()
    with pytest.raises(errors.LoginRequiredError) as caught:
        await session.board_index()
    assert "guests" in str(caught.value) and caught.value.server_key == "to_login//1"
