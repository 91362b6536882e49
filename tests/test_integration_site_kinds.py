"""Every kind of site the demo forum can be, over real HTTP: GBK, BIG5, captchas, a verification
question, guests forbidden. In each, the long thread reads at page 13, a member with a Chinese
name logs in, and a reply with characters no legacy charset holds comes back as typed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.test_read_command import forum_requests, without_view_counts
from tui import errors
from tui.cli import main
from tui.content import html_to_text
from tui.demo.server import DemoForum
from tui.demo.site import CAPTCHA_ANSWER, SECQAA_ANSWER
from tui.discuz.session import DiscuzSession
from tui.model import CaptchaChallenge, LoginRequest

LONG_THREAD = "1"  # 126 floors: 13 pages of 10
TYPED = "中文 😀 𠮷"
XIAOMING = LoginRequest("小明同学", "demo-xiaoming")
MODES = {
    "gbk": {"charset": "gbk"},
    "big5": {"charset": "big5"},
    "captcha": {"login_captcha": True, "post_captcha": True},
    "secqaa": {"secqaa": True},
    "guests-forbidden": {"guests_forbidden": True},
}


@pytest.fixture(params=list(MODES))
def forum(request: pytest.FixtureRequest) -> Iterator[DemoForum]:
    with DemoForum(**MODES[request.param]) as forum:
        yield forum


@pytest.fixture
async def guest(forum: DemoForum) -> AsyncIterator[DiscuzSession]:
    session = DiscuzSession(forum.url)
    await session.probe()
    yield session
    await session.aclose()


def answers(challenge: CaptchaChallenge | None) -> dict[str, object]:
    """The right answers to what the demo forum asked."""
    if challenge is None:
        return {}
    return {
        "captcha": challenge,
        "captcha_answer": CAPTCHA_ANSWER if challenge.image else "",
        "question_answer": SECQAA_ANSWER if challenge.question else "",
    }


async def read_last_page(session: DiscuzSession) -> list[int]:
    page = await session.thread_page(LONG_THREAD, 13)
    assert (page.page, page.pages) == (13, 13)
    return [post.floor for post in page.posts]


async def test_read_log_in_and_reply_with_what_no_legacy_charset_holds(
    forum: DemoForum, guest: DiscuzSession
) -> None:
    if forum.guests_forbidden:
        with pytest.raises(errors.LoginRequiredError):
            await read_last_page(guest)
    else:
        assert (await read_last_page(guest))[:6] == [121, 122, 123, 124, 125, 126]
    login_challenge = await guest.captcha_for_login()
    assert (login_challenge is not None) == forum.login_captcha
    if login_challenge is not None:
        assert login_challenge.required  # the demo's own log-in form carries the captcha
        with pytest.raises(errors.CaptchaRequiredError):
            await guest.login(XIAOMING)
        login_challenge = await guest.captcha_for_login()
    user = await guest.login(
        LoginRequest(
            XIAOMING.username,
            XIAOMING.password,
            captcha=login_challenge,
            captcha_answer=CAPTCHA_ANSWER if login_challenge else "",
        )
    )
    assert user.username == "小明同学"
    assert (await read_last_page(guest))[:6] == [121, 122, 123, 124, 125, 126]

    post_challenge = await guest.captcha_for_post()
    assert (post_challenge is not None) == (forum.post_captcha or forum.secqaa)
    if post_challenge is not None:
        assert bool(post_challenge.image) == forum.post_captcha
        assert bool(post_challenge.question) == forum.secqaa
    result = await guest.reply(LONG_THREAD, f"{TYPED} 回复测试", **answers(post_challenge))
    page = await guest.thread_page(LONG_THREAD, 13)
    posted = next(post for post in page.posts if post.id == result.post_id)
    assert html_to_text(posted.html).strip() == f"{TYPED} 回复测试"
    assert posted.author.name == "小明同学"


@pytest.mark.parametrize("forum", ["captcha", "secqaa"], indirect=True)
async def test_a_wrong_answer_is_refused_and_a_new_challenge_passes(
    forum: DemoForum, guest: DiscuzSession
) -> None:
    await guest.login(XIAOMING if not forum.login_captcha else await _with_login_captcha(guest))
    challenge = await guest.captcha_for_post()
    assert challenge is not None
    wrong = {"captcha": challenge, "captcha_answer": "0000" if challenge.image else ""}
    wrong["question_answer"] = "不知道" if challenge.question else ""
    with pytest.raises(errors.CaptchaWrongError):
        await guest.reply(LONG_THREAD, f"{TYPED} 第二次", **wrong)
    result = await guest.reply(LONG_THREAD, f"{TYPED} 第二次", **answers(await guest.captcha_for_post()))
    assert result.post_id


async def _with_login_captcha(session: DiscuzSession) -> LoginRequest:
    challenge = await session.captcha_for_login()
    return LoginRequest(
        XIAOMING.username, XIAOMING.password, captcha=challenge, captcha_answer=CAPTCHA_ANSWER
    )


async def test_guests_are_told_the_forum_is_members_only(forum: DemoForum, guest: DiscuzSession) -> None:
    if not forum.guests_forbidden:
        assert (await guest.board_index()).groups
        return
    with pytest.raises(errors.LoginRequiredError) as caught:
        await guest.board_index()
    assert "guests" in str(caught.value)


def test_read_command_shows_the_reply_on_a_legacy_charset_site_the_same_in_one_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for charset in ("gbk", "big5"):
        with DemoForum(charset=charset) as forum:
            import asyncio

            async def reply() -> None:
                session = DiscuzSession(forum.url)
                try:
                    await session.login(XIAOMING)
                    await session.reply(LONG_THREAD, f"{TYPED} 给 read 看")
                finally:
                    await session.aclose()

            asyncio.run(reply())
            url = forum.url + f"forum.php?mod=viewthread&tid={LONG_THREAD}"
            assert main(["read", url, "--page", "13"]) == 0
            by_session = capsys.readouterr().out
            assert f"{TYPED} 给 read 看" in by_session
            with forum_requests(forum) as asked:  # the site is known now: one request, no session
                assert main(["read", url, "--page", "13"]) == 0
            assert asked == ["viewthread"], asked
            assert without_view_counts(capsys.readouterr().out) == without_view_counts(by_session)


@pytest.mark.parametrize("charset", ["gbk", "big5"])
async def test_new_thread_and_quote_keep_what_was_typed_on_a_legacy_charset_site(charset: str) -> None:
    with DemoForum(charset=charset) as forum:
        session = DiscuzSession(forum.url)
        try:
            await session.login(XIAOMING)
            started = await session.new_thread("8", f"{TYPED} 新主题", f"{TYPED} 主题内容，够长了")
            listed = await session.thread_list("8")
            assert f"{TYPED} 新主题" in [thread.subject for thread in listed.threads]
            first = (await session.thread_page(started.thread_id)).posts[0]
            quoted = await session.reply(started.thread_id, "引用一下 quoting it", quote_post_id=first.id)
            page = await session.thread_page(started.thread_id)
            assert page.thread.subject == f"{TYPED} 新主题"
            reply = next(post for post in page.posts if post.id == quoted.post_id)
            assert f"{TYPED} 主题内容" in html_to_text(reply.html) and "&#" not in reply.html
        finally:
            await session.aclose()
