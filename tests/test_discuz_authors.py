"""Floor author cards filled from ``module=profile``: real captures replayed, then the demo forum."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest

from tests.conftest import FIXTURES, load_capture
from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.server import DemoForum
from tui.discuz import session as session_module
from tui.discuz.replay import Replay, load
from tui.discuz.session import DiscuzSession
from tui.model import LoginRequest, ThreadPage

SITE = "http://127.0.0.1:8080/"
PROFILE = "GET " + SITE + "api/mobile/index.php?version=4&module=profile&uid={}"
PAGE_THREE_AUTHORS = {"1", "2", "3", "4", "5", "6", "7"}  # v4_viewthread_tid1_p3_user1
UID4 = "mobile/v4_profile_uid4.json"
GUEST_REFUSED = "mobile/v4_profile_guest_uid2.json"

Handler = Callable[[httpx.Request], Awaitable[httpx.Response | None]]


def replay_with_profiles(pages: list[str], profiles: dict[str, str]) -> Replay:
    """The thread pages, and for each uid the profile capture that answers ``profile&uid=<uid>``."""
    replay = Replay(FIXTURES, pages)
    replay.captures += [load(FIXTURES, name, answers=PROFILE.format(uid)) for uid, name in profiles.items()]
    return replay


def member_replay() -> Replay:
    """Page 3 of tid 1 as user1: uid 4 and user1's own profile are real, the rest answer uid 4's."""
    profiles = dict.fromkeys(PAGE_THREE_AUTHORS, UID4) | {"2": "mobile/v4_profile_self_user1.json"}
    return replay_with_profiles(["mobile/v4_viewthread_tid1_p3_user1.json"], profiles)


def session_over(replay: Replay, profile: Handler | None = None) -> DiscuzSession:
    """A session whose profile requests go to ``profile`` first (None: to the replay)."""

    async def handle(request: httpx.Request) -> httpx.Response:
        if profile is not None and request.url.params.get("module") == "profile":
            answer = await profile(request)
            if answer is not None:
                replay.requests.append(request)
                return answer
        return replay(request)

    return DiscuzSession(SITE, transport=httpx.MockTransport(handle))


def cards(page: ThreadPage, uid: str) -> list:
    return [post.author for post in page.posts if post.author.id == uid]


async def test_member_page_cards_get_group_and_counts_from_the_profile() -> None:
    replay = member_replay()
    session = session_over(replay)
    page = await session.thread_page("1", 3)
    assert len(page.posts) == 10
    (user3,) = cards(page, "4")
    assert (user3.name, user3.group, user3.threads, user3.posts, user3.credits) == (
        "user3",
        "注册会员",
        9,
        38,
        86,
    )
    assert user3.location == ""
    assert [(c.posts, c.threads, c.credits) for c in cards(page, "2")] == [(41, 9, 104)] * 2
    # The other authors were answered with uid 4's profile: about someone else, so ignored.
    for uid in PAGE_THREE_AUTHORS - {"2", "4"}:
        assert all(card.posts is None and card.threads is None for card in cards(page, uid))
    asked = sorted(request.url.params["uid"] for request in replay.sent("profile"))
    assert asked == sorted(PAGE_THREE_AUTHORS)  # each distinct author once

    again = await session.thread_page("1", 3)
    assert len(replay.sent("profile")) == len(PAGE_THREE_AUTHORS)  # known authors cost nothing
    assert cards(again, "4")[0].posts == 38


async def test_profiles_are_read_concurrently_within_the_bound() -> None:
    replay = member_replay()
    flying, most = 0, 0

    async def slow(request: httpx.Request) -> None:
        nonlocal flying, most
        flying += 1
        most = max(most, flying)
        await asyncio.sleep(0.02)
        flying -= 1
        return None  # then the replay answers

    page = await session_over(replay, slow).thread_page("1", 3)
    assert 1 < most <= session_module.AUTHOR_READS
    assert cards(page, "4")[0].group == "注册会员"


async def test_known_authors_are_read_again_after_the_cache_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    replay = member_replay()
    session = session_over(replay)
    await session.thread_page("1", 3)
    later = time.monotonic() + session_module.AUTHOR_TTL + 1
    monkeypatch.setattr(session_module.time, "monotonic", lambda: later)
    page = await session.thread_page("1", 3)
    assert len(replay.sent("profile")) == 2 * len(PAGE_THREE_AUTHORS)
    assert cards(page, "4")[0].posts == 38


async def test_location_is_province_and_city() -> None:
    _, body = load_capture(UID4)
    data = json.loads(body)
    data["Variables"]["space"].update(resideprovince="广东省", residecity="深圳市")

    async def with_home(request: httpx.Request) -> httpx.Response | None:
        return httpx.Response(200, json=data) if request.url.params["uid"] == "4" else None

    page = await session_over(member_replay(), with_home).thread_page("1", 3)
    assert cards(page, "4")[0].location == "广东省 深圳市"


async def test_guest_cards_get_the_counts_the_refusal_still_carries() -> None:
    """Guests get "home_no_privilege" with the space filled in; the web page shows them those
    counts beside each floor, so the cards do too."""
    replay = replay_with_profiles(
        ["mobile/v4_viewthread_tid1_p1.json"], dict.fromkeys(PAGE_THREE_AUTHORS, GUEST_REFUSED)
    )
    first = await DiscuzSession(SITE, transport=httpx.MockTransport(replay)).thread_page("1")
    user1 = cards(first, "2")
    assert user1 and all((card.posts, card.threads, card.credits) == (41, 9, 104) for card in user1)
    assert all(card.posts is None for post in first.posts for card in [post.author] if card.id != "2")


async def test_guest_asks_once_when_profiles_are_refused_outright() -> None:
    refusal = {"Message": {"messageval": "home_no_privilege//1", "messagestr": "x"}, "Variables": {}}

    async def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=refusal)

    replay = Replay(FIXTURES, ["mobile/v4_viewthread_tid1_p1.json", "mobile/v4_viewthread_tid1_p7.json"])
    session = session_over(replay, refuse)
    first = await session.thread_page("1")
    assert len(replay.sent("profile")) == 1
    for post in first.posts:
        assert (post.author.posts, post.author.threads, post.author.credits) == (None, None, None)
        assert post.author.name
    second = await session.thread_page("1", 7)
    assert second.posts and len(replay.sent("profile")) == 1  # refused: not asked again


def _server_error(request: httpx.Request) -> httpx.Response:
    return httpx.Response(500, html="<h1>Discuz! System Error</h1>")


def _garbage(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=b"\x00\xff not json {")


def _wrong_shape(request: httpx.Request) -> httpx.Response:
    bad = {"Variables": {"space": {"uid": request.url.params["uid"], "posts": "many", "group": "x"}}}
    return httpx.Response(200, json=bad)


def _space_as_list(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"Variables": {"space": [], "member_uid": "0"}})


def _network_down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("refused", request=request)


@pytest.mark.parametrize("failure", [_server_error, _garbage, _wrong_shape, _space_as_list, _network_down])
async def test_failing_profiles_leave_the_page_intact(failure: Callable) -> None:
    async def fail(request: httpx.Request) -> httpx.Response:
        return failure(request)

    replay = member_replay()
    session = session_over(replay, fail)
    page = await session.thread_page("1", 3)
    assert [post.floor for post in page.posts] == list(range(21, 31))
    assert all(post.author.name and post.author.posts is None for post in page.posts)
    assert session.user.username == "user1"  # a profile answer does not change who we are
    assert not session._author_reads


async def test_a_slow_profile_does_not_hold_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "AUTHOR_WAIT", 0.05)
    page_back = asyncio.Event()

    async def held(request: httpx.Request) -> None:
        await page_back.wait()  # no profile answers before the page is back

    replay = member_replay()
    session = session_over(replay, held)
    page = await asyncio.wait_for(session.thread_page("1", 3), timeout=10)
    assert all(post.author.posts is None for post in page.posts)
    page_back.set()
    await asyncio.gather(*session._author_reads.values())  # the reads went on and filled the cache
    later = await session.thread_page("1", 3)
    assert cards(later, "4")[0].posts == 38
    assert len(replay.sent("profile")) == len(PAGE_THREE_AUTHORS)
    await session.aclose()


async def test_demo_forum_cards_match_its_profiles(forum_server: DemoForum) -> None:
    account = DEMO_ACCOUNTS[1]
    session = DiscuzSession(forum_server.url)
    try:
        await session.login(LoginRequest(account.username, account.password))
        page = await session.thread_page("1")
        assert page.posts
        for post in page.posts:
            shown = await session.profile(post.author.id)
            card = post.author
            assert card.group and card.group == shown.group
            assert card.posts is not None and card.posts >= 0 and card.posts == shown.posts
            assert (card.threads, card.credits) == (shown.threads, shown.credits)
    finally:
        await session.aclose()
