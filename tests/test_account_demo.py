"""The account's own things through the Discuz! engine against the demo forum over real HTTP:
notifications, search, favourites and private messages between two demo users."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from tui import errors
from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.server import DemoForum
from tui.demo.web_account import SEARCH_SECONDS
from tui.discuz import web_notices
from tui.discuz.session import DiscuzSession
from tui.model import LoginRequest, SearchQuery

ACCOUNTS = {account.username: account for account in DEMO_ACCOUNTS}
WORD = "Quetzalcoatl"  # in no seeded post or title


@pytest.fixture
async def sign_in(forum_server: DemoForum) -> AsyncIterator[Callable[[str], Awaitable[DiscuzSession]]]:
    """Sessions on the demo forum: a guest for "", else logged in as that demo user."""
    sessions: list[DiscuzSession] = []

    async def open_as(username: str) -> DiscuzSession:
        session = DiscuzSession(forum_server.url)
        sessions.append(session)
        await session.probe()
        if username:
            await session.login(LoginRequest(username, ACCOUNTS[username].password))
        return session

    yield open_as
    for session in sessions:
        await session.aclose()


async def test_a_reply_by_another_user_is_a_notification_at_its_floor(sign_in) -> None:
    author, replier = await sign_in("user1"), await sign_in("user2")
    posted = await replier.reply("27", "我用 3.12，大家呢？I'm on 3.12.")
    notices = await author.notifications()
    first = notices.items[0]
    assert first.unread and (first.thread_id, first.post_id, first.actor) == ("27", posted.post_id, "user2")
    assert not (await author.notifications()).items[0].unread  # reading them marked them read
    where = await author.locate_post(first.post_id, first.thread_id)
    assert where.thread_id == "27"


async def test_the_web_notice_page_lists_the_same_notices(sign_in) -> None:
    author, replier = await sign_in("user1"), await sign_in("user2")
    posted = await replier.reply("27", "网页版提醒测试 web notice test")
    answer = await author.api.send("GET", "home.php", params={"mod": "space", "do": "notice"})
    listed = web_notices.notices(answer.text).items
    assert listed[0].unread and listed[0].post_id == posted.post_id and listed[0].actor == "user2"


async def test_guests_are_told_to_log_in_for_notifications(sign_in) -> None:
    with pytest.raises(errors.LoginRequiredError, match="Log in to see your notifications"):
        await (await sign_in("")).notifications()


async def test_members_search_post_bodies_and_land_on_the_floor(sign_in) -> None:
    replier, searcher = await sign_in("user2"), await sign_in("user1")
    posted = await replier.reply("8", f"午饭吃了 {WORD} 牌饺子。")
    found = await searcher.search(SearchQuery(text=WORD))
    assert [hit.thread_id for hit in found.items] == ["8"]
    assert await searcher.first_floor_matching("8", WORD.lower()) == posted.post_id


async def test_guests_search_titles_only(sign_in) -> None:
    replier, guest = await sign_in("user2"), await sign_in("")
    await replier.reply("8", f"午饭吃了 {WORD} 牌饺子。")
    assert (await guest.search(SearchQuery(text=WORD))).items == []


async def test_search_within_one_board_and_by_author(forum_server: DemoForum, sign_in) -> None:
    member = await sign_in("user1")
    in_board = await member.search(SearchQuery(text="Python", board_id="5"))
    assert in_board.items and {hit.board_id for hit in in_board.items} == {"5"}
    forum_server.advance_clock(SEARCH_SECONDS)
    by_author = await member.search(SearchQuery(author="user4"))
    assert by_author.items and all(hit.thread_id for hit in by_author.items)


async def test_a_second_search_too_soon_is_flood_controlled(forum_server: DemoForum, sign_in) -> None:
    member = await sign_in("user1")
    await member.search(SearchQuery(text="Python"))
    assert (await member.search(SearchQuery(text="Python"))).items  # the same search is reused
    with pytest.raises(errors.FloodControlError) as raised:
        await member.search(SearchQuery(text="Weekend"))
    assert raised.value.seconds == SEARCH_SECONDS
    forum_server.advance_clock(SEARCH_SECONDS)
    await member.search(SearchQuery(text="Weekend"))


async def test_an_expired_search_is_renewed(forum_server: DemoForum, sign_in) -> None:
    member = await sign_in("user1")
    first = await member.search(SearchQuery(text="Python"))
    forum_server.advance_clock(7200)
    again = await member.search(SearchQuery(text="Python"), 1)
    assert [hit.thread_id for hit in again.items] == [hit.thread_id for hit in first.items]


async def test_favourite_add_list_remove(sign_in) -> None:
    member = await sign_in("user1")
    await member.add_favourite_thread("8")
    assert "8" in [thread.id for thread in (await member.favourite_threads()).items]
    with pytest.raises(errors.AlreadyDoneError):
        await member.add_favourite_thread("8")
    await member.remove_favourite_thread("8")
    assert "8" not in [thread.id for thread in (await member.favourite_threads()).items]
    with pytest.raises(errors.NotFoundError):
        await member.remove_favourite_thread("8")


async def test_a_private_message_arrives_in_the_other_inbox(sign_in) -> None:
    sender, receiver = await sign_in("user1"), await sign_in("user4")
    await sender.send_pm(receiver.user.uid, "周末一起去爬山吗？Hiking this weekend?")
    inbox = await receiver.conversations()
    talk = next(item for item in inbox.items if item.with_uid == sender.user.uid)
    assert talk.unread and "Hiking" in talk.last_message
    messages = await receiver.conversation(sender.user.uid)
    assert "Hiking this weekend?" in messages.items[-1].text


async def test_edit_my_post_and_the_refusals(forum_server: DemoForum, sign_in) -> None:
    author, other = await sign_in("user1"), await sign_in("user2")
    posted = await author.reply("8", "第一版 first version of my reply")
    source = await author.post_source("8", posted.post_id)
    assert source.text == "第一版 first version of my reply" and source.subject == ""
    forum_server.advance_clock(120)
    await author.edit_post("8", posted.post_id, "第二版 second version of my reply")
    page = await author.thread_page("8", 1)
    edited = next(post for post in page.posts if post.id == posted.post_id)
    assert "second version" in edited.html and "本帖最后由 user1" in edited.html
    assert (await author.post_source("8", posted.post_id)).text == "第二版 second version of my reply"
    with pytest.raises(errors.PermissionDeniedError):
        await other.edit_post("8", posted.post_id, "不是我的帖子 not mine at all")
    with pytest.raises(errors.MessageTooShortError):
        await author.edit_post("8", posted.post_id, "短")


async def test_editing_a_first_floor_changes_the_subject(sign_in) -> None:
    author = await sign_in("user1")
    first = (await author.thread_page("27", 1)).posts[0]
    source = await author.post_source("27", first.id)
    assert source.subject.startswith("【投票】")
    await author.edit_post("27", first.id, source.text, subject="新标题 New subject")
    assert (await author.thread_page("27", 1)).thread.subject == "新标题 New subject"


async def test_rate_a_floor_and_the_refusals(sign_in) -> None:
    rater, author = await sign_in("user1"), await sign_in("user2")
    posted = await author.reply("8", "请大家评评分 rate me please")
    form = await rater.rate_form("8", posted.post_id)
    assert [(credit.name, credit.minimum, credit.maximum) for credit in form.credits] == [
        ("威望", -1, 1),
        ("金钱", -5, 5),
    ]
    assert "很给力!" in form.reasons
    with pytest.raises(errors.ForumError, match="范围"):
        await rater.rate(form, {"2": 9}, "")
    await rater.rate(form, {"1": 1, "2": 5}, "很给力!")
    given = await rater.ratings("8", posted.post_id)
    assert [(rating.credit, rating.amount, rating.user, rating.reason) for rating in given] == [
        ("威望", 1, "user1", "很给力!"),
        ("金钱", 5, "user1", "很给力!"),
    ]
    with pytest.raises(errors.AlreadyDoneError):
        await rater.rate_form("8", posted.post_id)
    with pytest.raises(errors.ForumError, match="自己"):
        await author.rate_form("8", posted.post_id)
    with pytest.raises(errors.LoginRequiredError):
        await (await sign_in("")).rate_form("8", posted.post_id)
