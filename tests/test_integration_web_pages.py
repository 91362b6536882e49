"""The Discuz! engine on a site without a mobile API: the demo forum's web pages over real HTTP."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import httpx
import pytest

from tui import errors
from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.serve import _mode_lines, spawn_demo_process
from tui.demo.server import CAPTCHA_ANSWER, DemoForum
from tui.demo.site import SECQAA_ANSWER, SECQAA_QUESTION
from tui.discuz.session import DiscuzSession
from tui.engine import (
    SupportsFavourites,
    SupportsMessages,
    SupportsMyThreads,
    SupportsNotifications,
    SupportsPolls,
    SupportsProfiles,
    SupportsSearch,
    capability_gap,
    offers,
)
from tui.model import BoardIndex, LoginRequest, SearchQuery
from tui.read_command import run_read

USER1 = DEMO_ACCOUNTS[1]
USER3 = DEMO_ACCOUNTS[3]  # has a security question
WRITTEN = "中文 😀 𠮷 — written through the web form"


@pytest.fixture(params=["missing", "disabled"])
def web_only_forum(request: pytest.FixtureRequest) -> Iterator[DemoForum]:
    """The demo forum with ``api/mobile/`` answering 404, or with the mobile plugin switched off."""
    with DemoForum(mobile_api=request.param) as forum:
        yield forum


@pytest.fixture
async def guest(web_only_forum: DemoForum) -> AsyncIterator[DiscuzSession]:
    session = DiscuzSession(web_only_forum.url)
    await session.probe()
    yield session
    await session.aclose()


@pytest.fixture
async def member(guest: DiscuzSession) -> DiscuzSession:
    await guest.login(LoginRequest(USER1.username, USER1.password))
    return guest


async def test_probe_switches_to_the_web_pages(guest: DiscuzSession) -> None:
    assert guest.site is not None and not guest.site.api_enabled
    assert guest.site.name.startswith("DZ") and guest.site.version == "X3.5" and guest.site.language == "zh"
    index = await guest.board_index()
    assert index.find("8") is not None and index.find("10") is None  # members only: hidden from guests


async def test_last_page_of_a_thirteen_page_thread(guest: DiscuzSession) -> None:
    page = await guest.thread_page("1", 13)
    assert (page.page, page.pages) == (13, 13)
    assert [post.floor for post in page.posts] == [121, 122, 123, 124, 125, 126]
    assert page.thread.subject.startswith("【水楼】")
    assert all(post.author.name and post.author.group for post in page.posts)


async def test_one_authors_posts_and_newest_first(guest: DiscuzSession) -> None:
    everyone = await guest.thread_page("1")
    author = everyone.posts[1].author.id
    theirs = await guest.thread_page("1", author_id=author)
    assert theirs.posts and {post.author.id for post in theirs.posts} == {author}
    newest = await guest.thread_page("1", reverse=True)
    assert newest.posts[0].floor == 1 and newest.posts[1].floor == 126


async def test_thread_list_pages_and_marks(guest: DiscuzSession) -> None:
    first = await guest.thread_list("8")
    assert first.pages == 2 and first.threads[0].sticky == 3
    second = await guest.thread_list("8", 2)
    assert second.page == 2 and {thread.id for thread in first.threads}.isdisjoint(
        thread.id for thread in second.threads if not thread.sticky
    )
    python = await guest.thread_list("5")
    marks = {thread.id: thread for thread in python.threads}
    assert marks["27"].poll and marks["26"].closed and marks["5"].digest == 1


async def test_members_only_board_asks_a_guest_to_log_in(guest: DiscuzSession) -> None:
    with pytest.raises(errors.LoginRequiredError):
        await guest.thread_list("10")


async def test_log_in_reply_and_see_it_come_back(member: DiscuzSession) -> None:
    assert member.user.username == USER1.username
    posted = await member.reply("1", WRITTEN)
    assert posted.thread_id == "1" and posted.post_id
    where = await member.locate_post(posted.post_id, "1")
    page = await member.thread_page("1", where.page)
    mine = next(post for post in page.posts if post.id == posted.post_id)
    assert WRITTEN in mine.html and mine.floor == 127 and mine.author.name == USER1.username


async def test_quote_reply_and_new_thread(member: DiscuzSession) -> None:
    last = (await member.thread_page("1", 13)).posts[-1]
    quoted = await member.reply("1", "Quoting the last floor here.", quote_post_id=last.id)
    page = await member.thread_page("1", 13)
    reply = next(post for post in page.posts if post.id == quoted.post_id)
    assert 'class="quote"' in reply.html and f"pid={last.id}" in reply.html
    started = await member.new_thread("8", "网页发帖 subject", "网页发帖的正文，足够长了。")
    opened = await member.thread_page(started.thread_id)
    assert opened.thread.subject == "网页发帖 subject" and opened.posts[0].id == started.post_id


async def test_posting_refusals_are_typed(member: DiscuzSession) -> None:
    with pytest.raises(errors.ThreadClosedError):
        await member.reply("26", "A reply to a closed thread.")
    with pytest.raises(errors.MessageTooShortError):
        await member.reply("1", "短")


async def test_log_in_failures_say_what_went_wrong(guest: DiscuzSession) -> None:
    with pytest.raises(errors.WrongPasswordError) as wrong:
        await guest.login(LoginRequest(USER1.username, "not-the-password"))
    assert wrong.value.attempts_left == 4
    with pytest.raises(errors.SecurityQuestionRequiredError):
        await guest.login(LoginRequest(USER3.username, USER3.password))
    user = await guest.login(LoginRequest(USER3.username, USER3.password, USER3.question_id, USER3.answer))
    assert user.username == USER3.username
    await guest.logout()
    assert guest.user.is_guest and (await guest.refresh_user()).is_guest


async def test_attachments_inline_and_below_the_floor(member: DiscuzSession) -> None:
    notes = (await member.thread_page("29")).posts[0]
    assert {(item.name, item.is_image) for item in notes.attachments} == {
        ("client-notes.zip", False),
        ("screenshot.png", True),
    }
    assert notes.html.count("aid=3") == 1  # shown inline, so not listed again below
    sunset = (await member.thread_page("28")).posts[0]
    assert [item.url.rsplit("/", 1)[-1] for item in sunset.attachments] == ["sunset.png", "lake.png"]


async def test_vote_in_a_poll_through_its_form(member: DiscuzSession) -> None:
    before = await member.thread_page("27")
    assert before.poll is not None and before.poll.can_vote and not before.poll.voted
    choice = before.poll.options[3]
    await member.vote("27", before.thread.board_id, [choice.id])
    after = await member.thread_page("27")
    assert after.poll is not None and not after.poll.can_vote and after.poll.voted
    chosen = next(option for option in after.poll.options if option.text == choice.text)
    assert chosen.votes == choice.votes + 1
    assert after.poll.voters == before.poll.voters + 1
    with pytest.raises(errors.AlreadyDoneError):
        await member.vote("27", before.thread.board_id, [choice.id])


async def test_notifications_and_search_come_from_their_web_pages(member: DiscuzSession) -> None:
    notices = await member.notifications()
    assert notices.items and all(notice.text for notice in notices.items)
    found = await member.search(SearchQuery(text="Python"))
    assert found.items and any("Python" in result.subject for result in found.items)


async def test_the_board_tree_matches_the_api(guest: DiscuzSession, web_only_forum: DemoForum) -> None:
    """With the index naming sub-boards (``subforumsindex``) the web tree is the API's tree, and a
    board's own page lists its sub-boards with their counts either way."""
    web_only_forum.subforums_on_index = True

    def tree(index: BoardIndex) -> list[tuple[str, list[tuple[str, str]]]]:
        boards = [board for group in index.groups for board in group.boards]
        return [(board.id, [(sub.id, sub.name) for sub in board.subboards]) for board in boards]

    on_the_web = tree(await guest.board_index())
    web_only_forum.mobile_api = "on"
    through_the_api = DiscuzSession(web_only_forum.url)
    try:
        await through_the_api.probe()
        assert through_the_api.web is None
        assert on_the_web == tree(await through_the_api.board_index())
    finally:
        await through_the_api.aclose()
    assert ("5", [("11", "Django & Flask 框架"), ("12", "数据科学 Data Science")]) in on_the_web
    python = await guest.thread_list("5")
    assert [(sub.id, sub.parent_id, sub.threads is not None) for sub in python.subboards] == [
        ("11", "5", True),
        ("12", "5", True),
    ]


async def test_a_closed_thread_page_closes_the_thread(member: DiscuzSession) -> None:
    closed, open_ = await member.thread_page("26"), await member.thread_page("5")
    assert closed.thread.closed and not open_.thread.closed


async def test_features_only_the_api_offers_say_so(member: DiscuzSession) -> None:
    """The session says before any request what its web pages lack, and a call made anyway says
    the same."""
    lacking = (SupportsFavourites, SupportsMessages, SupportsMyThreads, SupportsProfiles)
    assert not any(offers(member, capability) for capability in lacking)
    given = (SupportsNotifications, SupportsSearch, SupportsPolls)
    assert all(offers(member, capability) for capability in given)
    assert capability_gap(member, SupportsMessages, "private messages") == (
        "This forum's web pages don't offer private messages."
    )
    with pytest.raises(errors.ApiDisabledError, match="private messages"):
        await member.conversations()
    with pytest.raises(errors.ApiDisabledError, match="favourites"):
        await member.favourite_threads()


async def test_saved_session_works_on_the_web_pages(member: DiscuzSession, web_only_forum: DemoForum) -> None:
    again = DiscuzSession(web_only_forum.url)
    again.restore_session(member.export_session())
    try:
        await again.probe()
        assert (await again.refresh_user()).username == USER1.username
    finally:
        await again.aclose()


def test_read_command_works_unchanged(web_only_forum: DemoForum, capsys: pytest.CaptureFixture[str]) -> None:
    options = argparse.Namespace(
        url=web_only_forum.url + "thread-1-13-1.html",
        page=None,
        author=None,
        reverse=False,
        format="json",
        timeout=30.0,
    )
    assert run_read(options) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["thread"]["page"] == 13 and document["thread"]["pages"] == 13
    assert [post["floor"] for post in document["posts"]] == [121, 122, 123, 124, 125, 126]
    assert all(post["text"] and post["author"] for post in document["posts"])


def test_read_command_line_on_a_site_without_the_api() -> None:
    """The real command line against ``serve-demo --no-mobile-api``."""
    server = spawn_demo_process(no_mobile_api=True)
    try:
        assert httpx.get(server.url + "api/mobile/index.php?version=4&module=check").status_code == 404
        done = subprocess.run(
            [sys.executable, "-m", "tui", "read", server.url + "forum.php?mod=viewthread&tid=1&page=2"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "#11 " in done.stdout and "#20 " in done.stdout and "page 2/13" in done.stdout
    finally:
        server.stop()


def test_serve_demo_says_the_api_is_missing(tmp_path: Path) -> None:
    missing = _mode_lines(DemoForum(tmp_path, mobile_api="missing"))
    assert any("api/mobile/ answers 404" in line for line in missing)
    assert not any("mobile" in line for line in _mode_lines(DemoForum(tmp_path)))


class _NotFound(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


async def test_a_site_that_is_no_forum_still_says_so() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    session = DiscuzSession(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        with pytest.raises(errors.ApiDisabledError):
            await session.probe()
        assert session.web is None
    finally:
        await session.aclose()
        server.shutdown()
        server.server_close()


async def test_log_in_captcha_from_the_web_form() -> None:
    with DemoForum(mobile_api="missing", login_captcha=True) as forum:
        session = DiscuzSession(forum.url)
        try:
            await session.probe()
            challenge = await session.captcha_for_login()
            assert challenge is not None and challenge.image.startswith(b"\x89PNG")
            with pytest.raises(errors.CaptchaRequiredError):
                await session.login(LoginRequest(USER1.username, USER1.password))
            request = LoginRequest(
                USER1.username, USER1.password, captcha=challenge, captcha_answer=CAPTCHA_ANSWER
            )
            assert (await session.login(request)).username == USER1.username
        finally:
            await session.aclose()


class _MobileApiAnswers(httpx.AsyncBaseTransport):
    """Real HTTP to the demo forum, except that ``api/mobile/`` gives one fixed answer."""

    def __init__(self, status: int, content_type: str, body: bytes) -> None:
        self.answer = (status, content_type, body)
        self.network = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/api/mobile/index.php"):
            status, content_type, body = self.answer
            return httpx.Response(status, headers={"Content-Type": content_type}, content=body)
        return await self.network.handle_async_request(request)

    async def aclose(self) -> None:
        await self.network.aclose()


@pytest.mark.parametrize(
    ("status", "content_type", "body"),
    [
        (403, "text/html; charset=iso-8859-1", b"<html><body><h1>Forbidden</h1></body></html>"),
        (404, "text/html", b""),
        (200, "text/html; charset=utf-8", b"<!DOCTYPE html><html><body>a shop, not an API</body></html>"),
        (200, "application/json", b'{"error":"mobile_is_closed"}'),
        (200, "text/html; charset=utf-8", b'{"testcookie":null}'),
    ],
    ids=["403", "404", "html", "mobile_is_closed", "plugin_off"],
)
async def test_every_kind_of_missing_api_switches_to_the_web_pages(
    forum_server: DemoForum, status: int, content_type: str, body: bytes
) -> None:
    session = DiscuzSession(forum_server.url, transport=_MobileApiAnswers(status, content_type, body))
    try:
        site = await session.probe()
        assert not site.api_enabled and session.web is not None
        assert (await session.thread_page("1", 13)).pages == 13
    finally:
        await session.aclose()


async def test_post_captcha_from_the_post_form() -> None:
    with DemoForum(mobile_api="missing", post_captcha=True) as forum:
        session = DiscuzSession(forum.url)
        try:
            await session.probe()
            await session.login(LoginRequest(USER1.username, USER1.password))
            assert await session.captcha_for_post() is None  # no post form seen yet
            with pytest.raises(errors.CaptchaRequiredError):
                await session.reply("1", WRITTEN)
            challenge = await session.captcha_for_post()
            assert challenge is not None and challenge.image.startswith(b"\x89PNG")
            posted = await session.reply("1", WRITTEN, captcha=challenge, captcha_answer=CAPTCHA_ANSWER)
            assert posted.post_id
        finally:
            await session.aclose()


async def test_the_post_forms_verification_question_is_asked_and_answered() -> None:
    """The post form's question slot: refused first in the forum's words, then the question read
    from the script that fills the slot; a wrong answer is refused, the right one posts, with
    the captcha picture beside it when the site asks both."""
    with DemoForum(mobile_api="missing", secqaa=True) as forum:
        session = DiscuzSession(forum.url)
        try:
            await session.probe()
            await session.login(LoginRequest(USER1.username, USER1.password))
            with pytest.raises(errors.CaptchaWrongError, match="验证问答"):
                await session.reply("1", WRITTEN)
            challenge = await session.captcha_for_post()
            assert challenge is not None and challenge.question == SECQAA_QUESTION and not challenge.image
            with pytest.raises(errors.CaptchaWrongError, match="验证问答"):
                await session.reply("1", WRITTEN, captcha=challenge, question_answer="3")
            challenge = await session.captcha_for_post()
            assert challenge is not None
            posted = await session.reply("1", WRITTEN, captcha=challenge, question_answer=SECQAA_ANSWER)
            assert posted.post_id

            forum.post_captcha = True
            with pytest.raises(errors.CaptchaWrongError):
                await session.new_thread("8", "问答和验证码", WRITTEN)
            both = await session.captcha_for_post()
            assert both is not None and both.image.startswith(b"\x89PNG") and both.question == SECQAA_QUESTION
            made = await session.new_thread(
                "8", "问答和验证码", WRITTEN, captcha=both, captcha_answer=CAPTCHA_ANSWER,
                question_answer=SECQAA_ANSWER,
            )
            assert made.thread_id
        finally:
            await session.aclose()
