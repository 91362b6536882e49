"""Reading threads on the demo forum over real HTTP: paging, jumping, filters, links."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from textual.notifications import Notification
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets._toast import Toast

import screens.thread as thread_screen_module
import widgets.thread_view as thread_view_module
from screens.thread import ThreadScreen, parse_jump
from tests.app_helpers import cursor_floor, cursor_number
from tests.thread_helpers import HostApp, OnePageSession, UniformThreadSession, captured_page, wait_for
from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.seed import BIG_THREAD_ID, BIG_THREAD_POSTS
from tui.model import (
    Attachment,
    AuthorCard,
    CurrentUser,
    LoginRequest,
    Poll,
    PollOption,
    Thread,
    ThreadPage,
    Timestamp,
)
from tui.model import Post as ModelPost
from tui.read_command import run_read
from tui.registry import open_session
from widgets.poll import PollWidget
from widgets.status_bar import StatusBar
from widgets.thread_view import PageSection, ThreadView

SIZE = (100, 30)
POLL_THREAD = "27"
CHECKIN_THREAD = "1"  # 126 floors by several authors, quote replies at floors 26, 51, ...


@pytest.fixture
async def session(forum_server):
    session = open_session(forum_server.url)
    yield session
    await session.aclose()


def thread_app(session, thread_id: str, **options) -> HostApp:
    return HostApp(session, ThreadScreen(session, thread_id, **options))


async def scrolled(pilot, view: ThreadView) -> None:
    """The scrolling asked for has been done, and any page load it set off is over."""
    await pilot.wait_for_scheduled_animations()
    await wait_for(pilot, lambda: not view.is_loading)


def view_of(app: HostApp) -> ThreadView:
    return app.screen.query_one(ThreadView)


def status(app: HostApp) -> str:
    """What the status bar and the thread's mode and problem lines say."""
    lines = [app.screen.query_one(StatusBar).render(), *(
        app.screen.query_one(selector).render() for selector in ("#thread-mode", "#problem")
    )]
    return " | ".join(str(line) for line in lines)


async def opened(pilot) -> ThreadView:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ThreadScreen))
    view = view_of(pilot.app)
    await wait_for(pilot, lambda: view.floors() and not view.is_loading and cursor_number(pilot.app))
    return view


async def test_opening_a_thread_shows_its_floors_authors_and_page(session) -> None:
    app = thread_app(session, str(BIG_THREAD_ID))
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        title = str(app.screen.query_one("#title").render())
        assert "Stress-test thread" in title
        floors = view.floors()
        assert [floor.post.floor for floor in floors[:3]] == [1, 2, 3]
        assert floors[0].post.author.name == "admin"
        assert cursor_number(app) == 1
        assert f"page 1/{-(-BIG_THREAD_POSTS // 10)}" in status(app)
        header = floors[1].shown_text(header_only=True)
        assert "#2 楼" in header and "admin" in header


async def test_n_and_shift_n_turn_pages(session) -> None:
    app = thread_app(session, str(BIG_THREAD_ID))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: cursor_number(app) == 11)
        assert "page 2/" in status(app)
        await pilot.press("N")
        await wait_for(pilot, lambda: cursor_number(app) == 1)
        assert "page 1/" in status(app)


async def test_scrolling_to_the_end_loads_the_next_page_with_a_marker(session) -> None:
    app = thread_app(session, str(BIG_THREAD_ID))
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        second_page = lambda: any(section.number == 2 for section in view.sections())  # noqa: E731
        for _ in range(20):
            if view.is_loading or second_page():
                break
            await pilot.press("pagedown")
        await wait_for(pilot, second_page)
        (second,) = [section for section in view.sections() if section.number == 2]
        mark = second.mark
        assert "page 2 of 520" in mark.block.render_line(mark.top).text
        floors = [floor.post.floor for floor in view.floors()]
        assert floors == list(range(floors[0], floors[0] + len(floors))), "pages join without gaps"


def drawn_lines_alive() -> int:
    """How many drawn lines (strips) are alive: those of the floors held, and any kept for
    floors already let go."""
    gc.collect()
    return sum(type(item) is Strip for item in gc.get_objects())


async def test_memory_stays_bounded_while_reading_on(session) -> None:
    app = thread_app(session, str(BIG_THREAD_ID))
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        alive: dict[int, int] = {}
        for page in range(2, 17):
            await pilot.press("n")
            await wait_for(pilot, lambda page=page: cursor_number(app) == (page - 1) * 10 + 1)
            alive[page] = drawn_lines_alive()
        assert len(view.sections()) <= view.max_pages
        assert view.sections()[0].number > 1, "pages far behind the reader were let go"
        assert len(view.floors()) <= view.max_pages * 10
        assert alive[16] <= alive[6] * 1.2, f"the lines drawn for floors let go are kept: {alive}"


async def test_pages_let_go_while_reading_on_are_freed(session) -> None:
    """The pages let go are freed, not kept alive by a list of the view's children from
    before they went (which held a whole page of floors until the next focus change)."""
    app = thread_app(session, str(BIG_THREAD_ID))
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        page_type = type(view.sections()[0])
        for page in range(2, 9):
            await pilot.press("n")
            await wait_for(pilot, lambda page=page: cursor_number(app) == (page - 1) * 10 + 1)
        await wait_for(pilot, lambda: view.is_settled)
        gc.collect()
        alive = sum(type(item) is page_type for item in gc.get_objects())
        assert alive == len(view.sections()), "pages let go are still alive"


async def test_jump_to_a_page_and_to_a_floor(session) -> None:
    app = thread_app(session, str(BIG_THREAD_ID))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("colon", *"300", "enter")
        await wait_for(pilot, lambda: cursor_number(app) == 2991)
        assert "page 300/" in status(app)
        await pilot.press("colon", *"#4321", "enter")
        await wait_for(pilot, lambda: cursor_number(app) == 4321)
        assert "page 433/" in status(app)


async def test_last_and_first_floor(session) -> None:
    app = thread_app(session, str(BIG_THREAD_ID))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("G")
        await wait_for(pilot, lambda: cursor_number(app) == BIG_THREAD_POSTS)
        await pilot.press("g")
        await wait_for(pilot, lambda: cursor_number(app) == 1)


async def test_only_author_toggle_follows_the_focused_floors_author(session) -> None:
    app = thread_app(session, CHECKIN_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        author = cursor_floor(app).post.author
        assert author.id != view.floors()[0].post.author.id
        await pilot.press("a")
        await wait_for(pilot, lambda: not view.is_loading and view.filter.author_id == author.id)
        await wait_for(pilot, lambda: view.floors() and view.floors()[0].post.author.id == author.id)
        assert {floor.post.author.id for floor in view.floors()} == {author.id}
        assert "only one author" in status(app)
        await pilot.press("a")
        await wait_for(pilot, lambda: len({floor.post.author.id for floor in view.floors()}) > 1)


async def test_an_author_name_with_markup_shows_literally_in_the_toast(forum_server, session) -> None:
    """Discuz! allows ``[`` in user names: the toast naming the author must not style or link."""
    name = "[b]x[/b][link=https://evil.example]y[/link]"
    forum_server.site.store.run(
        "UPDATE posts SET author = ? WHERE tid = ? AND position = 1", name, int(CHECKIN_THREAD)
    )
    app = thread_app(session, CHECKIN_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        assert view.floors()[0].post.author.name == name
        await pilot.press("a")
        await wait_for(pilot, lambda: any("Only posts by" in note.message for note in app.notifications))
        shown = [drawn(note) for note in app.notifications if "Only posts by" in note.message]
        assert shown == [f"Only posts by {name}."]


def drawn(note: Notification) -> str:
    """The text a notification's toast draws, as the user reads it."""
    return Toast(note).render().plain


async def test_reverse_order_shows_the_newest_first(session) -> None:
    app = thread_app(session, CHECKIN_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: view.filter.reverse and not view.is_loading and 126 in
                       [floor.post.floor for floor in view.floors()])
        replies = [floor.post.floor for floor in view.floors() if floor.post.floor != 1]
        assert replies[:3] == [126, 125, 124]
        assert "newest first" in status(app)


async def test_copy_link_puts_the_floor_url_on_the_clipboard(session) -> None:
    app = thread_app(session, CHECKIN_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "y")
        post = cursor_floor(app).post
        assert post.floor == 3
        assert app.clipboard == session.post_url(post.id, CHECKIN_THREAD)
        assert f"pid={post.id}" in app.clipboard


async def test_a_quote_link_jumps_to_the_quoted_floor_on_another_page(session) -> None:
    app = thread_app(session, CHECKIN_THREAD, page=3)
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("colon", *"#26", "enter")
        await wait_for(pilot, lambda: cursor_number(app) == 26)
        quoted = cursor_floor(app).quoted_post_ids()
        assert quoted, "floor 26 is a quote reply"
        await pilot.press("f")
        await wait_for(pilot, lambda: view.floor_for_post(quoted[0]) is cursor_floor(app) is not None)


async def test_opening_at_a_post_focuses_it(session) -> None:
    page = await session.thread_page(CHECKIN_THREAD, 7)
    target = page.posts[4]
    app = thread_app(session, CHECKIN_THREAD, post_id=target.id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: cursor_number(app) == target.floor)
        assert "page 7/" in status(app)


async def test_find_in_page_focuses_the_matching_floor(session) -> None:
    app = thread_app(session, CHECKIN_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("slash", *"打卡第 5 天", "enter", "escape")
        await wait_for(pilot, lambda: cursor_number(app) == 6)


async def test_enter_in_find_goes_to_each_next_match_and_wraps_with_a_word(session) -> None:
    app = thread_app(session, CHECKIN_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)

        def found() -> int:
            return next(floor.post.floor for floor in view.floors() if floor.found)

        await pilot.press("slash", *"下雨了", "enter")
        visited = [found()]
        while "Search went on from the top." not in notes(app):
            assert len(visited) < 40, visited
            await pilot.press("enter")
            visited.append(found())
        assert visited[0] == 3 and visited[:-1] == sorted(set(visited[:-1])) and len(visited) > 2
        assert all("下雨了" in floor.plain_text() for floor in view.floors() if floor.post.floor in visited)
        assert visited[-1] < visited[-2]  # went round to the first loaded match
        await pilot.press("escape")
        await wait_for(pilot, lambda: cursor_number(app) == visited[-1])


async def test_a_missing_thread_says_so_instead_of_crashing(session) -> None:
    app = thread_app(session, "99999")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
        await wait_for(pilot, lambda: "exist" in status(app).lower() or "not" in status(app).lower())
        assert not view_of(app).floors()


async def test_page_sections_each_start_with_their_marker(session) -> None:
    app = thread_app(session, str(BIG_THREAD_ID), page=5)
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        section = view.sections()[-1]
        assert isinstance(section, PageSection)
        first_line = view.span_of(section)[0]
        assert first_line == view.span_of(section.mark)[0] < view.span_of(section.floors()[0])[0]
        assert section.mark.block.render_line(section.mark.top).text.strip().startswith("── page")


def test_jump_text_means_a_page_or_a_floor() -> None:
    assert parse_jump("12") == ("page", 12)
    assert parse_jump(" #240 ") == ("floor", 240)
    assert parse_jump("240楼") == ("floor", 240)
    assert parse_jump("240f") == ("floor", 240)
    assert parse_jump("0") is None
    assert parse_jump("twelve") is None


async def test_voting_in_a_poll_counts_the_vote(forum_server) -> None:
    session = open_session(forum_server.url)
    account = DEMO_ACCOUNTS[1]
    await session.login(LoginRequest(username=account.username, password=account.password))
    app = thread_app(session, POLL_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        poll = app.screen.query_one(PollWidget)
        assert poll.poll.can_vote and not poll.poll.voted
        votes_before = poll.poll.options[0].votes
        poll.ballot.focus()  # one choice: radio buttons
        await pilot.press("enter", "v")
        await wait_for(pilot, lambda: any(poll.poll.voted for poll in app.screen.query(PollWidget)))
        poll = app.screen.query_one(PollWidget)
        assert poll.poll.options[0].votes == votes_before + 1
        assert "you voted" in str(poll.children[0].render())
    await session.aclose()


async def test_a_forum_engine_without_polls_shows_the_results_but_offers_no_vote() -> None:
    options = [PollOption("1", "yes", votes=3, percent=75.0), PollOption("2", "no", votes=1, percent=25.0)]
    page = ThreadPage(Thread("9", "Which?", "2"), [], page=1, pages=1, page_size=10)
    page.poll = Poll(options, voters=4, can_vote=True)
    fake = OnePageSession(page)  # implements no SupportsPolls
    app = HostApp(fake, ThreadScreen(fake, "9"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query(PollWidget))
        poll = app.screen.query_one(PollWidget)
        assert poll.ballot is None and not poll.query("#poll-vote")
        assert "voting is not offered" in str(poll.children[0].render())
        assert "yes" in str(poll.children[1].render())


async def test_a_page_that_fails_unexpectedly_is_a_message_not_a_silent_empty_view() -> None:
    class BrokenPages(OnePageSession):
        async def thread_page(self, thread_id, page=1, **options):
            raise RuntimeError("engine bug")

    broken = BrokenPages(ThreadPage(Thread("9", "s", "2"), [], page=1, pages=1, page_size=10))
    app = HostApp(broken, ThreadScreen(broken, "9"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "engine bug" in str(app.screen.query_one("#problem").render()))
        assert "Something went wrong" in str(app.screen.query_one("#problem").render())
        assert not view_of(app).is_loading and "loading" not in status(app)


async def test_a_server_gone_mid_session_is_a_message_not_a_crash(session, forum_server) -> None:
    app = thread_app(session, str(BIG_THREAD_ID))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        forum_server.stop()
        await pilot.press("colon", *"200", "enter")
        problem = app.screen.query_one("#problem")
        shown = lambda: problem.display and str(problem.render()).strip()  # noqa: E731
        await wait_for(pilot, shown, describe=lambda: status(app))
        assert "Traceback" not in str(problem.render())
        assert cursor_number(app) == 1, "what was on screen stays"
        assert not view_of(app).is_loading


async def test_escape_stops_a_slow_load(session) -> None:
    class SlowSession:
        """The real session, with pages past the first held back long enough to press Esc."""

        def __getattr__(self, name):
            return getattr(session, name)

        async def thread_page(self, thread_id, page=1, **options):
            if page > 1:
                await asyncio.sleep(30)
            return await session.thread_page(thread_id, page, **options)

    slow = SlowSession()
    app = HostApp(slow, ThreadScreen(slow, str(BIG_THREAD_ID)))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and cursor_number(app) == 1)
        view = view_of(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: view.loading_page == 2)
        assert "loading page 2" in status(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not view.is_loading)
        assert isinstance(app.screen, ThreadScreen), "Esc stopped the load instead of leaving"
        assert "loading" not in status(app)
        assert cursor_number(app) == 1


async def test_escape_leaves_the_thread_while_the_next_page_loads_unasked() -> None:
    """Nobody waits on a page loaded ahead of the reader: Esc goes back instead of stopping it."""
    held = asyncio.Event()

    class HeldSecondPage(UniformThreadSession):
        async def thread_page(self, thread_id, page=1, **options):
            if page == 2:
                await held.wait()
            return await super().thread_page(thread_id, page, **options)

    session = HeldSecondPage(pages=3, delay=0)
    below, thread = Screen(), ThreadScreen(session, "1")
    app = HostApp(session, below)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(thread)
        shown = lambda: app.screen is thread and thread.query(ThreadView) and view_of(app).floors()  # noqa: E731
        await wait_for(pilot, shown)
        view = view_of(app)
        await wait_for(pilot, lambda: view.loading_page == 2)  # page 1 ends within a screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not thread, describe=lambda: status(app))
        assert not app.status.activity, "the screen left behind still says it is loading"
        held.set()


def read_as_json(site_url: str, author_id: str, page: int) -> dict:
    """What ``forum-tui read URL --author UID --page N --format json`` prints."""
    import contextlib
    import io
    import json

    from tests.test_read_command import args

    out = io.StringIO()
    url = f"{site_url}forum.php?mod=viewthread&tid={BIG_THREAD_ID}"
    with contextlib.redirect_stdout(out):
        assert run_read(args(url, "json", author=author_id, page=page)) == 0
    return json.loads(out.getvalue())


def notes(app: HostApp) -> list[str]:
    return [note.message for note in app.notifications]


class CountingSession:
    """Wraps a session to count which pages were asked for."""

    def __init__(self, session) -> None:
        self.session = session
        self.asked: list[int] = []

    def __getattr__(self, name):
        return getattr(self.session, name)

    async def thread_page(self, thread_id, page=1, **options):
        self.asked.append(page)
        return await self.session.thread_page(thread_id, page, **options)


async def test_only_author_counts_pages_from_that_authors_posts_and_stops_at_the_end(session) -> None:
    counting = CountingSession(session)
    app = HostApp(counting, ThreadScreen(counting, str(BIG_THREAD_ID)))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        everyone = view.pages
        await pilot.press("a")
        await wait_for(pilot, lambda: view.filter.author_id and not view.is_loading and view.pages < everyone)
        expected = (await session.thread_page(str(BIG_THREAD_ID), 1, author_id=view.filter.author_id)).pages
        assert view.pages == expected and f"page 1/{expected}" in status(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: not view.is_loading and view.current_page() == 2)
        page_two = next(section for section in view.sections() if section.number == 2)  # page 3 may follow
        shown = [floor.post.floor for floor in page_two.floors()]
        printed = await asyncio.to_thread(read_as_json, session.site_url, view.filter.author_id, 2)
        assert printed["thread"]["pages"] == expected
        assert [post["floor"] for post in printed["posts"]] == shown
        counting.asked.clear()
        await pilot.press("G")
        await wait_for(pilot, lambda: not view.is_loading and view.sections()[-1].number == expected)
        for _ in range(30):  # at the end: scrolling on asks for nothing more
            await pilot.press("pagedown")
        await scrolled(pilot, view)
        assert all(page <= expected for page in counting.asked), counting.asked
        assert len(counting.asked) == len(set(counting.asked)), counting.asked
        floors = [floor.post.floor for floor in view.floors()]
        assert len(floors) == len(set(floors))


async def test_a_page_served_twice_is_not_shown_twice(session) -> None:
    """A forum that answers past the end with a page already held: the view takes it as the end."""

    class Repeating(CountingSession):
        async def thread_page(self, thread_id, page=1, **options):
            self.asked.append(page)
            result = await self.session.thread_page(thread_id, 1, **options)
            result.pages = 5  # claims more pages than it serves
            return result

    repeating = Repeating(session)
    app = HostApp(repeating, ThreadScreen(repeating, CHECKIN_THREAD))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        await pilot.press("G")
        await wait_for(pilot, lambda: not view.is_loading and view.pages == 1)
        for _ in range(10):
            await pilot.press("pagedown")
        await scrolled(pilot, view)
        assert repeating.asked.count(2) <= 1
        floors = [floor.post.floor for floor in view.floors()]
        assert floors.count(1) == 1


async def test_jumping_to_a_floor_past_the_end_says_how_many_floors(session) -> None:
    app = thread_app(session, CHECKIN_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("colon", *"#99999", "enter")
        await wait_for(pilot, lambda: notes(app))
        assert "The thread has 126 floors." in notes(app)
        assert cursor_number(app) == 1


def captured_thread(name: str) -> ThreadPage:
    import json

    from tests.conftest import FIXTURES
    from tui.discuz import parse

    variables = json.loads((FIXTURES / "mobile" / name).read_text(encoding="utf-8"))["Variables"]
    return parse.thread_page(variables, "http://127.0.0.1:8080/", page=1)


async def test_a_quote_without_a_link_is_followed_by_its_author_and_words() -> None:
    page = captured_thread("v4_viewthread_tid6_quotes.json")  # floor 4 quotes floor 2, no link
    session = OnePageSession(page)
    app = HostApp(session, ThreadScreen(session, "6"))
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("G")
        await wait_for(pilot, lambda: cursor_number(app) == 4)
        await pilot.press("f")
        await wait_for(pilot, lambda: cursor_number(app) == 2)
        quoting = view.floors()[3]
        del page.posts[1]  # the quoted floor is no longer loaded
        view.reload()
        await wait_for(pilot, lambda: len(view.floors()) == 3 and not view.is_loading)
        view.focus_floor(view.floors()[-1])
        await pilot.press("f")
        await wait_for(pilot, lambda: "The quoted floor was not found on the loaded pages." in notes(app))
        assert quoting.post.floor == 4


async def test_a_burst_of_page_downs_counts_every_key_and_the_cursor_follows() -> None:
    session = UniformThreadSession(pages=200)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        await wait_for(pilot, lambda: not view.is_loading)
        floors = view.floors()
        height = floors[1].height  # every floor but the first alike
        top, bottom = view.span_of(view.sections()[0])
        page_lines = bottom - top
        marker = view.span_of(floors[0])[0]  # the page marker above each page's floors
        assert page_lines == marker + floors[0].height + 9 * height
        screen = view.scrollable_content_region.height
        await pilot.press(*["pagedown"] * 50)
        await wait_for(pilot, lambda: not view.is_loading and not view.lines_owed, timeout=30)
        line = 50 * screen  # the line now at the top, counted from the top of page 1

        def floor_at(line: int) -> int:
            page, within = divmod(line, page_lines)
            first = floors[0].height
            index = 0 if within < marker + first else 1 + (within - marker - first) // height
            return page * 10 + index + 1

        top = view.first_visible_floor()
        assert top.post.floor in (floor_at(line), floor_at(line) + 1)
        assert cursor_number(app) in (top.post.floor, top.post.floor + 1)  # the first starting on screen
        on_screen_page = (cursor_number(app) - 1) // 10 + 1
        assert f"page {on_screen_page}/200" in status(app)
        await pilot.press("j")
        assert cursor_number(app) > top.post.floor


class AskedPagesSession(UniformThreadSession):
    """The uniform thread, noting each page asked for; a page in ``held`` is answered only once
    its event is set (a forum slow on that page)."""

    def __init__(self, pages: int, held: dict[int, asyncio.Event] | None = None) -> None:
        super().__init__(pages, delay=0)
        self.asked: list[int] = []
        self.held = held or {}

    async def thread_page(self, thread_id, page=1, **options):
        self.asked.append(page)
        if page in self.held:
            await self.held[page].wait()
        return await super().thread_page(thread_id, page, **options)


def counting_keys(view: ThreadView) -> list[int]:
    """How many screens the view has been asked to scroll, kept up to date in the one item."""
    asked = [0]
    scroll_screens = view.scroll_screens

    def counted(count: int) -> None:
        asked[0] += 1
        scroll_screens(count)

    view.scroll_screens = counted  # type: ignore[method-assign]
    return asked


def line_counter(view: ThreadView) -> Callable[[], int]:
    """The line at the top of the view, counted from the top of page 1 of a uniform thread (every
    page as tall as page 2 but page 1, whose first floor is taller); made while pages 1 and 2 are
    held."""
    first, second = view.sections()[:2]
    assert first.number == 1
    first_lines = view.span_of(first)[1] - view.span_of(first)[0]
    page_lines = view.span_of(second)[1] - view.span_of(second)[0]

    def top_line() -> int:
        number = view.sections()[0].number
        lines_before = 0 if number == 1 else first_lines + (number - 2) * page_lines
        return lines_before + round(view.scroll_y)

    return top_line


@pytest.mark.parametrize("delay", [0, 0.02])
async def test_page_downs_pressed_at_once_land_exactly_that_many_screens_on(delay: float) -> None:
    """However fast the keys come (faster than frames, while pages are placed at once or still
    on their way), each scrolls exactly a screen: none is lost, none counted twice."""
    session = UniformThreadSession(pages=200, delay=delay)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        await wait_for(pilot, lambda: len(view.sections()) >= 2 and view.is_settled)
        top_line = line_counter(view)
        start, screen = top_line(), view.scrollable_content_region.height
        asked = counting_keys(view)
        for _ in range(40):
            app.simulate_key("pagedown")
        await wait_for(pilot, lambda: asked[0] == 40 and view.is_settled and not view.lines_owed, timeout=30)
        assert top_line() - start == 40 * screen


async def test_page_downs_pressed_while_a_page_is_slow_all_count_once_it_comes() -> None:
    slow = asyncio.Event()
    session = AskedPagesSession(pages=40, held={3: slow})
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await first_floor_shown(pilot)
        await wait_for(pilot, lambda: len(view.sections()) >= 2)
        top_line = line_counter(view)
        start, screen = top_line(), view.scrollable_content_region.height
        await pilot.press(*["pagedown"] * 10)
        await wait_for(pilot, lambda: view.loading_page == 3 and view.lines_owed > 0)
        slow.set()
        await wait_for(pilot, lambda: view.is_settled and not view.lines_owed, timeout=30)
        assert top_line() - start == 10 * screen


async def first_floor_shown(pilot) -> ThreadView:
    """The thread screen with its first floor under the cursor, whatever is still loading."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ThreadScreen))
    view = view_of(pilot.app)
    await wait_for(pilot, lambda: view.floors() and cursor_number(pilot.app) == 1)
    return view


def fetching_ahead(app: HostApp) -> list:
    return [worker for worker in app.workers if worker.group == "ahead" and not worker.is_finished]


async def test_reading_on_draws_each_page_in_the_block_on_screen_in_the_key_s_own_move() -> None:
    """A page fetched ahead is drawn by the block already on screen, the farthest page above
    let go from it, with no widget mounted or removed, while the key is handled: each key moves
    the reader exactly a screen on, whatever went above."""
    session = AskedPagesSession(pages=40)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        for _ in range(12):
            last = view.sections()[-1].number
            await wait_for(pilot, lambda last=last: view.is_settled and last + 1 in session.asked)
            await wait_for(pilot, lambda: not fetching_ahead(app))
            top = view.first_visible_floor()
            offset = round(view.scroll_y) - view.span_of(top)[0]
            await pilot.press("pagedown")
            (block,) = view.children
            assert [floor.post.floor for floor in view.floors()] == [
                floor.post.floor for floor in block.floors
            ], "every page held is drawn by the one block"
            screen = view.scrollable_content_region.height
            moved = round(view.scroll_y) - view.span_of(top)[0] - offset
            assert moved == screen, "a screen on, whether a page was let go above or not"
        assert view.sections()[0].number > 1, "pages far above were let go"
        await pilot.pause()
        (block,) = view.children
        assert view.virtual_size.height == block.outer_size.height, "the height worked out is the layout's"
        assert len(view.sections()) <= view.max_pages


async def read_on(pilot, view: ThreadView, session: AskedPagesSession, *, pages: int) -> None:
    """PageDown ``pages`` times, each once the view has settled and asked for the next page."""
    for _ in range(pages):
        last = view.sections()[-1].number
        await wait_for(pilot, lambda last=last: view.is_settled and last + 1 in session.asked)
        await pilot.press("pagedown")
    await wait_for(pilot, lambda: view.is_settled)


async def test_reading_on_gives_the_freed_heap_back_now_and_then_not_with_every_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each page placed below lets one go above, and the next page takes the same memory again:
    given back to the system every time, it only came back page fault by page fault."""
    returned: list[int] = []
    monkeypatch.setattr(thread_view_module, "return_freed_heap", lambda: returned.append(1))
    monkeypatch.setattr(thread_view_module, "HEAP_RETURN_SECONDS", 3600.0)
    session = AskedPagesSession(pages=40)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        await read_on(pilot, view, session, pages=12)
        await pilot.pause()
        assert view.sections()[0].number > 3, "several pages were let go"
        assert len(returned) == 1, "given back once in the hour, not once a page"


async def test_the_heap_freed_by_the_last_pages_read_is_given_back_once_reading_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pages let go while a return is held back are given back when it is due, not only when
    the reader moves on again: else what a quick read on freed last stayed held for good."""
    events: list[str] = []
    monkeypatch.setattr(thread_view_module, "return_freed_heap", lambda: events.append("returned"))
    frozen_clock = SimpleNamespace(monotonic=lambda: 1000.0)  # no time passes between two pages
    monkeypatch.setattr(thread_view_module, "time", frozen_clock)
    monkeypatch.setattr(thread_view_module, "HEAP_RETURN_SECONDS", 0.05)
    let_go = PageSection.let_go
    monkeypatch.setattr(PageSection, "let_go", lambda page: (events.append("let go"), let_go(page))[1])
    session = AskedPagesSession(pages=40)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        await read_on(pilot, view, session, pages=8)
        assert events.count("let go") > 1 and events.count("returned") >= 1
        await wait_for(pilot, lambda: events[-1] == "returned", describe=lambda: f"a return after {events}")


async def test_pages_are_fetched_ahead_while_a_page_the_keys_wait_on_is_still_coming() -> None:
    """Keys held down keep a load on its way: the pages after it are asked for meanwhile, not
    only once it has come."""
    slow = asyncio.Event()
    session = AskedPagesSession(pages=40, held={2: slow})
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await first_floor_shown(pilot)
        await pilot.press(*["pagedown"] * 6)
        await wait_for(pilot, lambda: view.loading_page == 2 and view.lines_owed > 0)
        await wait_for(pilot, lambda: {3, 4, 5} <= set(session.asked))
        assert view.loading_page == 2 and view.lines_owed > 0, "asked while page 2 was still on its way"
        slow.set()
        await wait_for(pilot, lambda: not view.is_loading and not view.lines_owed)
        assert view.sections()[-1].number >= 3


async def test_a_click_on_a_floor_puts_the_cursor_there() -> None:
    session = UniformThreadSession(pages=3)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        third = view.floors()[2]
        assert view.span_of(third)[0] + 1 < view.scroll_y + view.size.height, "the third floor is on screen"
        await pilot.click(third.block, offset=(10, third.top + 1))  # its body line
        await wait_for(pilot, lambda: cursor_number(app) == 3)
        assert "floor 3" in third.shown_text() and view.page_reported == 1


async def test_floors_of_a_page_not_laid_out_yet_are_not_drawn_to_find_their_place() -> None:
    """A key pressed just after a page was placed asks where its floors are before the page has
    a width: they have no place yet, and are not drawn one column wide (every line) to say so."""
    session = UniformThreadSession(pages=3)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        page = await session.thread_page("1", 2)
        placed = PageSection(page, images=False)
        (block,) = placed.new_widgets()
        assert block.size.width == 0, "not laid out"
        floor = placed.floors()[0]
        assert block.floor_span(floor) == (0, 0)
        assert floor._body is None and floor._header is None, "no lines were drawn for it"
        assert view.floors(), "the pages laid out are unchanged"


async def test_r_typed_into_the_find_box_is_text_not_a_reply(session) -> None:
    app = thread_app(session, CHECKIN_THREAD)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("slash", "r", "R")
        assert app.screen.query_one("#thread-prompt").value == "rR"
        assert isinstance(app.screen, ThreadScreen)


class NamelessFileSession(OnePageSession):
    """One floor with a file whose name the page leaves out; the download's answer names it."""

    def __init__(self) -> None:
        nameless = Attachment(id="7", name="", url=f"{self.site_url}forum.php?mod=attachment&aid=7")
        author = AuthorCard(id="2", name="user1")
        when = Timestamp("2026-11-28 10:00")
        post = ModelPost(
            id="1", thread_id="1", floor=1, author=author, html="a file", time=when, attachments=[nameless]
        )
        super().__init__(ThreadPage(Thread(id="1", subject="Files", board_id="1"), [post], 1, 1, 10))

    async def download(self, url, sink, progress) -> str:
        sink.write(b"notes")
        progress(5, 5)
        return "笔记.zip"


async def test_a_file_without_a_name_is_saved_under_the_name_the_forum_sends(isolated_home) -> None:
    app = thread_app(NamelessFileSession(), "1")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: any(note.title == "Downloaded" for note in app.notifications))
    downloads = isolated_home / "Downloads"
    assert [path.name for path in downloads.iterdir()] == ["笔记.zip"]
    assert (downloads / "笔记.zip").read_bytes() == b"notes"


class PageRecordingScreen(ThreadScreen):
    """Keeps every page number the status bar was given, in order."""

    CSS_PATH = Path(thread_screen_module.__file__).with_name("thread.tcss")

    def __init__(self, *args, **options) -> None:
        super().__init__(*args, **options)
        self.pages_shown: list[int] = []

    def _show_status(self) -> None:
        super()._show_status()
        self.pages_shown.append(self.host.status.page)


async def as_soon_as(condition, timeout: float = 10.0) -> None:
    """Wait for ``condition`` as a fast typist would: not for the screen to finish its layout."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.002)


async def test_n_moves_one_page_on_per_key_and_never_back_however_fast() -> None:
    """n pressed as soon as the page ahead is there (while it is still being laid out), then a
    burst of n: each key one page on from the page read, the status bar never going back."""
    session = UniformThreadSession(pages=200)
    screen = PageRecordingScreen(session, "1")
    app = HostApp(session, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        read: list[int | None] = []
        for _ in range(6):
            await as_soon_as(lambda: view.laid_out(view.current_page() + 1) and not view.is_loading)
            before = cursor_number(app)
            app.simulate_key("n")
            await as_soon_as(lambda before=before: cursor_number(app) != before)
            read.append(cursor_number(app))
        assert read == [11, 21, 31, 41, 51, 61]
        presses = 12
        await pilot.press(*["n"] * presses)
        last = (6 + presses) * 10 + 1
        await wait_for(pilot, lambda: view.is_settled and cursor_number(app) == last, timeout=30)
        assert f"page {6 + presses + 1}/200" in status(app)
        shown = screen.pages_shown
        assert shown == sorted(shown), f"the page shown went back: {shown}"
        await pilot.press(*["N"] * 3)
        await wait_for(pilot, lambda: view.is_settled and cursor_number(app) == last - 30, timeout=30)
        assert f"page {6 + presses + 1 - 3}/200" in status(app)


async def test_an_author_card_with_a_line_break_or_tab_is_drawn_as_lines_without_them() -> None:
    """Names, groups and places come from the forum: a line break in one starts a new header
    line, and no control character reaches the terminal."""
    author = AuthorCard(id="2", name="bad\nname", group="grp\tx")
    when = Timestamp("2026-11-28 10:00")
    post = ModelPost(id="1", thread_id="1", floor=1, author=author, html="body", time=when)
    session = OnePageSession(ThreadPage(Thread(id="1", subject="Cards", board_id="1"), [post], 1, 1, 10))
    app = thread_app(session, "1")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        (floor,) = view.floors()
        drawn = [floor.block.render_line(floor.top + row).text for row in range(floor.height)]
        assert not any("\n" in line or "\t" in line for line in drawn), drawn
        assert drawn[0].rstrip().endswith("bad") and drawn[1].lstrip(" █").startswith("name")


async def test_a_line_break_in_the_site_s_or_user_s_name_stays_out_of_the_status_bar_s_one_line() -> None:
    """The site's name and the user's come from the forum: the bar shows them on its one line,
    and no line break of theirs reaches the terminal (it would move what follows a row down)."""
    session = OnePageSession(captured_page())
    app = thread_app(session, "1")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        app.status.set_site("Bad\nForum (127.0.0.1)")
        app.status.set_user(CurrentUser(uid="2", username="bad\nname", unread_pms=1))
        await pilot.pause()
        bar = app.screen.query_one(StatusBar)
        line = bar.render_line(0)
        assert "\n" not in line.text and line.cell_length == bar.size.width
        assert "Bad Forum (127.0.0.1)" in line.text and "bad name  ✉ 1 PM" in line.text


@pytest.mark.parametrize("keys", [1, 3])
async def test_page_downs_on_a_page_shorter_than_the_view_count_once_the_next_page_comes(keys: int) -> None:
    """While the pages held do not fill the view it does not scroll yet: keys pressed then are
    owed, and scrolled once the next page has come and the view can."""
    slow = asyncio.Event()
    session = AskedPagesSession(pages=30, held={2: slow})
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 40)) as pilot:
        view = await first_floor_shown(pilot)
        await wait_for(pilot, lambda: view.loading_page == 2)
        (first,) = view.sections()
        first_lines = view.span_of(first)[1] - view.span_of(first)[0]
        screen = view.scrollable_content_region.height
        assert first_lines < screen, "page 1 does not fill the view"
        asked = counting_keys(view)
        for _ in range(keys):
            app.simulate_key("pagedown")
        await wait_for(pilot, lambda: asked[0] == keys)
        slow.set()
        await wait_for(pilot, lambda: view.is_settled and not view.lines_owed and len(view.sections()) > 1)
        last = view.sections()[-1]
        page_lines = view.span_of(last)[1] - view.span_of(last)[0]
        number = view.sections()[0].number
        lines_before = 0 if number == 1 else first_lines + (number - 2) * page_lines
        assert lines_before + round(view.scroll_y) == keys * screen


async def test_after_a_jump_the_page_before_is_fetched_too() -> None:
    """Reading up from where a jump landed finds the page above there, as reading on does below."""
    session = AskedPagesSession(pages=40)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        await pilot.press("colon", *"30", "enter")
        await wait_for(pilot, lambda: view.sections() and view.sections()[0].number <= 29, timeout=10)
        assert {29, 30, 31} <= set(session.asked)


async def test_a_view_taller_than_the_pages_held_holds_more_and_settles() -> None:
    """On a tall terminal the pages held may not fill a few screens: the view keeps what is
    near the screen instead of letting it go and loading it again, endlessly."""
    session = AskedPagesSession(pages=30)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(60, 100)) as pilot:
        view = await opened(pilot)
        await pilot.press("colon", *"15", "enter")
        landed = lambda: cursor_number(app) == 141 and view.is_settled and not fetching_ahead(app)  # noqa: E731
        await wait_for(pilot, landed)
        asked = len(session.asked)
        for _ in range(5):
            await pilot.pause()
        assert len(session.asked) == asked and view.is_settled, session.asked[-10:]
        held = [section.number for section in view.sections()]
        assert held[0] < 15 < held[-1] and len(held) > view.max_pages, held
        assert cursor_number(app) == 141, "the reader stays where the jump took them"


@pytest.mark.parametrize("jump", [["g"], ["a"]])
async def test_page_downs_pressed_while_a_jump_is_on_its_way_count_from_where_it_lands(jump) -> None:
    """Keys pressed after a jump (to the first floor, or to one author's floors) scroll the
    pages it brings, not those it leaves, nor are they lost."""
    session = UniformThreadSession(pages=200, delay=0.02)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        await wait_for(pilot, lambda: len(view.sections()) >= 2 and view.is_settled)
        top_line = line_counter(view)
        asked = counting_keys(view)
        for key in ["pagedown"] * 5 + jump + ["pagedown"] * 2:
            app.simulate_key(key)
        await wait_for(pilot, lambda: asked[0] == 7 and view.is_settled and not view.lines_owed, timeout=30)
        screen = view.scrollable_content_region.height  # one line less with the filter's mode line
        assert top_line() == 2 * screen


class PictureOnPageThreeSession(UniformThreadSession):
    """The uniform thread, floor 25 showing a picture: page 3 is drawn by blocks of its own."""

    async def thread_page(self, thread_id, page=1, **options):
        result = await super().thread_page(thread_id, page, **options)
        for post in result.posts:
            if post.floor == 25:
                post.html += f'<br /><img src="{self.site_url}data/attachment/forum/sunset.jpg" />'
        return result


async def test_a_page_let_go_from_a_block_it_shared_lets_go_of_its_lines() -> None:
    """A page let go is freed of its drawn lines even when the block drawing it stays (it drew
    the page after it too) and no widget of its own was removed."""
    session = PictureOnPageThreeSession(pages=20, delay=0)
    app = HostApp(session, ThreadScreen(session, "1"))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        first = view.sections()[0].floors()
        while view.sections()[0].number == 1:
            await pilot.press("n")
            await wait_for(pilot, lambda: view.is_settled)
        assert len(view.children) > 1, "page 3's picture splits the blocks"
        assert all(floor._body is None and floor._header is None for floor in first), "page 1's lines"
