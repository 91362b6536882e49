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
from tui.discuz.web import pages as web_pages
from tui.discuz.web.session import WebPages
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


async def test_a_favourite_is_removed_only_by_its_owner_through_a_posted_form(sign_in) -> None:
    """spacecp_favorite's ``op=delete``: a GET or a POST without ``deletesubmit`` removes nothing,
    and another member's favourite id is "does not exist"."""
    owner, other = await sign_in("user1"), await sign_in("user2")
    await owner.add_favourite_thread("8")
    listed = (await owner.api.mobile("myfavthread")).data["Variables"]["list"]
    [favourite] = [row for row in listed if row["id"] == "8"]
    delete = {"op": "delete", "favid": favourite["favid"]}
    unsent = await owner.api.mobile("favthread", params={**delete, "deletesubmit": "true"})
    assert unsent.data["Message"]["messageval"] == "submit_invalid"
    unconfirmed = await owner.api.mobile("favthread", params=delete, fields=[("formhash", owner.formhash)])
    assert "Message" not in unconfirmed.data
    taken = await other.api.mobile(
        "favthread", params=delete, fields=[("formhash", other.formhash), ("deletesubmit", "true")]
    )
    assert taken.data["Message"]["messageval"] == "favorite_does_not_exist"
    assert "8" in [thread.id for thread in (await owner.favourite_threads()).items]


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


async def test_editing_in_a_closed_thread_is_refused_before_whose_post_it_is(sign_in) -> None:
    """X3.5 checks the thread (closed) before the post's author: even another's floor says closed."""
    member = await sign_in("user1")
    floors = (await member.thread_page("26", 1)).posts
    for floor in floors[:2]:  # user5's first floor, then user1's own reply
        with pytest.raises(errors.ThreadClosedError):
            await member.edit_post("26", floor.id, "改一下 an edit in a closed thread", subject="标题")


async def test_an_administrators_late_edit_carries_no_edit_note(forum_server: DemoForum, sign_in) -> None:
    admin, author = await sign_in("admin"), await sign_in("user1")
    posted = await author.reply("8", "管理员会改这一楼 the admin will edit this floor")
    forum_server.advance_clock(120)
    await admin.edit_post("8", posted.post_id, "管理员改过了 edited by the administrator")
    source = await admin.post_source("8", posted.post_id)
    assert source.text == "管理员改过了 edited by the administrator"
    page = await admin.thread_page("8", (await admin.thread_page("8", 1)).pages)
    edited = next(post for post in page.posts if post.id == posted.post_id)
    assert "本帖最后由" not in edited.html


async def test_the_edit_form_is_posted_back_with_its_hidden_ids_and_ticked_boxes(sign_in) -> None:
    """The form's action carries no ids (X3.5 puts fid/tid/pid in hidden fields) and the
    "use my signature" box stays ticked; a GET with ``editsubmit`` changes nothing."""
    author = await sign_in("user1")
    posted = await author.reply("8", "签名框要保持勾选 the signature box stays ticked")
    where = {"mod": "post", "action": "edit", "tid": "8", "pid": posted.post_id}
    page = await author.api.send("GET", "forum.php", params=where)
    form = web_pages.post_form(web_pages.document(page.text))
    assert form is not None
    assert "pid=" not in form.action and form.value("pid") == posted.post_id
    assert form.value("usesig") == "1"
    fields = {**dict(form.hidden), "message": "GET 改帖 an edit sent by GET", "inajax": "1"}
    sneaky = await author.api.send("GET", form.action, params=fields)
    assert "表单验证串不符" in sneaky.text
    assert "GET" not in (await author.post_source("8", posted.post_id)).text


async def test_an_edit_after_the_groups_time_to_edit_is_refused_in_the_sites_words(
    forum_server: DemoForum, sign_in
) -> None:
    forum_server.edit_minutes = 5
    author = await sign_in("user1")
    posted = await author.reply("8", "五分钟内可以改 editable for five minutes")
    forum_server.advance_clock(4 * 60)
    await author.edit_post("8", posted.post_id, "四分钟后改了 edited after four minutes")
    forum_server.advance_clock(2 * 60)
    with pytest.raises(errors.ForumError, match="已超过 5 分钟"):  # post_edit_timelimit
        await author.post_source("8", posted.post_id)
    with pytest.raises(errors.ForumError, match="已超过 5 分钟"):
        await author.edit_post("8", posted.post_id, "六分钟后再改 edited after six minutes")


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
    assert await rater.ratings("8", posted.post_id) == []  # the site's "no ratings" message
    form = await rater.rate_form("8", posted.post_id)
    assert [(credit.name, credit.minimum, credit.maximum) for credit in form.credits] == [
        ("威望", -1, 1),
        ("金钱", -5, 5),
    ]
    assert "很给力!" in form.reasons and not any(reason.startswith("--") for reason in form.reasons)
    with pytest.raises(errors.ForumError, match="请输入正确的分值"):  # thread_rate_range_invalid
        await rater.rate(form, {"2": 9}, "")
    with pytest.raises(errors.ForumError, match="请输入正确的分值"):  # no score at all
        await rater.rate(form, {"2": 0}, "")
    await rater.rate(form, {"1": 1, "2": 5}, "很给力!")
    given = await rater.ratings("8", posted.post_id)  # newest first; one moment's in any order
    assert sorted((rating.credit, rating.amount, rating.user, rating.reason) for rating in given) == [
        ("威望", 1, "user1", "很给力!"),
        ("金钱", 5, "user1", "很给力!"),
    ]
    assert all(rating.time and rating.time.text for rating in given)
    with pytest.raises(errors.AlreadyDoneError, match="重复评分"):  # thread_rate_duplicate
        await rater.rate_form("8", posted.post_id)
    with pytest.raises(errors.ForumError, match="自己"):  # thread_rate_member_invalid
        await author.rate_form("8", posted.post_id)
    with pytest.raises(errors.LoginRequiredError):
        await (await sign_in("")).rate_form("8", posted.post_id)


async def test_rating_more_than_the_daily_total_is_refused(sign_in) -> None:
    rater, author = await sign_in("user1"), await sign_in("user2")
    for number in range(6):  # 金钱 allows 30 in 24 hours: six ratings of +5
        posted = await author.reply("8", f"第 {number} 个回复 reply number {number}")
        await rater.rate(await rater.rate_form("8", posted.post_id), {"2": 5}, "")
    posted = await author.reply("8", "再来一个回复 one more reply")
    form = await rater.rate_form("8", posted.post_id)
    assert next(credit.left_today for credit in form.credits if credit.id == "2") == 0
    with pytest.raises(errors.PermissionDeniedError, match="24 小时"):  # thread_rate_ctrl
        await rater.rate(form, {"2": 1}, "")


async def test_the_rate_form_is_an_ajax_answer_and_its_submit_a_post(sign_in) -> None:
    """Like Discuz!: without ``inajax`` the action is undefined; a GET with ``ratesubmit`` is no
    submit (``submit_invalid``) and rates nothing."""
    rater, author = await sign_in("user1"), await sign_in("user2")
    posted = await author.reply("8", "只能用 AJAX 评分 rated through ajax only")
    where = {"mod": "misc", "action": "rate", "tid": "8", "pid": posted.post_id}
    plain = await rater.api.send("GET", "forum.php", params=where)
    assert "未定义操作" in plain.text
    form = await rater.rate_form("8", posted.post_id)
    fields = {**dict(form.hidden), "score2": "5", "inajax": "1"}
    sneaky = await rater.api.send("GET", form.action, params=fields)
    assert "表单验证串不符" in sneaky.text
    assert await rater.ratings("8", posted.post_id) == []


async def test_a_floors_ratings_show_under_it_on_the_thread_page(sign_in) -> None:
    rater, other, author = await sign_in("user1"), await sign_in("user4"), await sign_in("user2")
    posted = await author.reply("8", "评分会显示在楼下 ratings show under the floor")
    await rater.rate(await rater.rate_form("8", posted.post_id), {"1": 1, "2": 5}, "很给力!")
    await other.rate(await other.rate_form("8", posted.post_id), {"2": -2}, "山寨")
    web = WebPages(rater)
    pages = (await web.thread_page("8", 1)).pages
    floor = next(post for post in (await web.thread_page("8", pages)).posts if post.id == posted.post_id)
    assert [(rating.user, rating.credit, rating.amount, rating.reason) for rating in floor.ratings] == [
        ("user4", "金钱", -2, "山寨"),
        ("user1", "威望", 1, "很给力!"),
        ("user1", "金钱", 5, "很给力!"),
    ]
