"""The Discuz! engine against the project's demo forum over real HTTP on 127.0.0.1."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from tui import errors
from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.server import DemoForum
from tui.discuz.session import DiscuzSession
from tui.model import LoginRequest
from tui.read_command import run_read

USER1 = DEMO_ACCOUNTS[1]
USER3 = DEMO_ACCOUNTS[3]  # has a security question


@pytest.fixture
def forum_url(forum_server: DemoForum) -> str:
    return forum_server.url


@pytest.fixture
async def guest(forum_url: str) -> AsyncIterator[DiscuzSession]:
    session = DiscuzSession(forum_url)
    await session.probe()
    yield session
    await session.aclose()


@pytest.fixture
async def member(guest: DiscuzSession) -> DiscuzSession:
    await guest.login(LoginRequest(USER1.username, USER1.password))
    return guest


async def test_probe_and_board_index_as_guest(guest: DiscuzSession) -> None:
    assert guest.site is not None and guest.site.charset == "utf-8"
    index = await guest.board_index()
    assert index.find("5") is not None and index.find("8") is not None
    assert index.user is not None and index.user.is_guest


async def test_login_reads_board_list_and_page_two(member: DiscuzSession) -> None:
    assert member.user.username == USER1.username and not member.user.is_guest
    board = await member.thread_list("8")
    assert board.threads and board.board.id == "8"
    assert board.threads[0].sticky >= board.threads[-1].sticky
    page = await member.thread_page("1", 2)
    assert page.page == 2 and [post.floor for post in page.posts] == list(range(11, 21))


async def test_each_image_of_a_floor_is_shown_once_inline_or_listed(member: DiscuzSession) -> None:
    """v1 alone: images the message places show in it and leave the list; the one it does not
    place (screenshot.png) is listed only; the zip is listed."""
    sunset = (await member.thread_page("28")).posts[0]
    assert "sunset.png" in sunset.html and "lake.png" in sunset.html and not sunset.attachments
    notes = (await member.thread_page("29")).posts[0]
    assert [(item.name, item.is_image) for item in notes.attachments] == [
        ("client-notes.zip", False),
        ("screenshot.png", True),
    ]
    assert "screenshot.png" not in notes.html


async def test_reply_appears_in_the_thread(member: DiscuzSession) -> None:
    text = "集成测试：终端客户端的回复 integration reply from the engine"
    result = await member.reply("1", text)
    last = await member.thread_page(result.thread_id, 9999)
    posted = next(post for post in last.posts if post.id == result.post_id)
    assert "integration reply from the engine" in posted.html
    assert posted.author.name == USER1.username


async def test_quote_reply_carries_the_quoted_floor(member: DiscuzSession) -> None:
    first = await member.reply("1", "被引用的楼层 the floor that gets quoted")
    quoted = await member.reply("1", "引用回复 a reply quoting it", quote_post_id=first.post_id)
    last = await member.thread_page("1", 9999)
    posted = next(post for post in last.posts if post.id == quoted.post_id)
    assert "the floor that gets quoted" in posted.html and "a reply quoting it" in posted.html


async def test_new_thread_is_listed_in_its_board(member: DiscuzSession) -> None:
    result = await member.new_thread(
        "8", "集成测试新主题 engine thread", "新主题内容 body of the engine thread"
    )
    board = await member.thread_list("8")
    assert result.thread_id in [thread.id for thread in board.threads]
    page = await member.thread_page(result.thread_id)
    assert page.thread.subject == "集成测试新主题 engine thread" and page.posts[0].is_first


async def test_guest_cannot_open_the_members_only_board(guest: DiscuzSession) -> None:
    with pytest.raises(errors.LoginRequiredError):
        await guest.thread_list("10")


async def test_security_question_is_asked_for_and_accepted(guest: DiscuzSession) -> None:
    with pytest.raises(errors.SecurityQuestionRequiredError):
        await guest.login(LoginRequest(USER3.username, USER3.password))
    user = await guest.login(
        LoginRequest(USER3.username, USER3.password, question_id=USER3.question_id, answer=USER3.answer)
    )
    assert user.username == USER3.username


async def test_saved_session_survives_into_a_new_session(member: DiscuzSession, forum_url: str) -> None:
    secrets = member.export_session()
    again = DiscuzSession(forum_url)
    again.restore_session(secrets)
    try:
        assert (await again.refresh_user()).username == USER1.username
    finally:
        await again.aclose()
    await member.logout()
    assert member.user.is_guest


def test_read_command_prints_a_thread_as_json(forum_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    options = argparse.Namespace(
        url=forum_url + "forum.php?mod=viewthread&tid=1",
        page=2,
        author=None,
        reverse=False,
        format="json",
        timeout=30.0,
    )
    assert run_read(options) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["thread"]["tid"] == "1" and document["thread"]["page"] == 2
    assert [post["floor"] for post in document["posts"]] == list(range(11, 21))
    assert all(post["time"] and post["text"] for post in document["posts"])


async def test_wrong_password_costs_one_attempt_and_says_how_many_are_left(guest: DiscuzSession) -> None:
    with pytest.raises(errors.WrongPasswordError) as first:
        await guest.login(LoginRequest(USER1.username, "not-the-password"))
    with pytest.raises(errors.WrongPasswordError) as second:
        await guest.login(LoginRequest(USER1.username, "still-not-it"))
    assert (first.value.attempts_left, second.value.attempts_left) == (4, 3)
    assert (await guest.login(LoginRequest(USER1.username, USER1.password))).username == USER1.username


def test_read_command_line_prints_a_post_link_page(forum_url: str) -> None:
    """The real command line, as a user runs it: a post link prints the page holding the post."""
    page_two = httpx.get(forum_url + "api/mobile/index.php?version=4&module=viewthread&tid=1&page=2").json()
    fifteenth = next(post for post in page_two["Variables"]["postlist"] if post["position"] == "15")
    link = forum_url + f"forum.php?mod=redirect&goto=findpost&pid={fifteenth['pid']}&ptid=1"
    done = subprocess.run(
        [sys.executable, "-m", "tui", "read", link, "--format", "text"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "【水楼】每日打卡签到楼 Daily check-in thread"
    assert "#15 " in done.stdout and "page 2/" in done.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "tui", "read", forum_url + "thread-99999-1-1.html"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode != 0 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
