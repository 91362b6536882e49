"""The app on a forum without a mobile API: the same screens, read from the web pages."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser
from textual.command import CommandList, CommandPalette
from textual.widgets import Label

from screens.thread import ThreadScreen
from tests.app_helpers import (
    boards_shown,
    browse_as_guest,
    cursor_floor,
    demo_app,
    log_in,
    on_screen,
    record_notifications,
    screen_text,
    wait_for_thread_list,
    wait_until,
)
from tests.test_app_browse import PYTHON_THREAD, marks_of, open_board, open_thread_screen
from tests.test_composer import editor_text, message, open_composer, write
from tests.thread_helpers import HostApp, wait_for
from tui.app import ForumApp
from tui.config import Settings
from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.server import CAPTCHA_ANSWER, DemoForum
from tui.demo.site import SECQAA_ANSWER, SECQAA_QUESTION
from tui.model import LoginRequest
from tui.registry import open_session

OFF_TOPIC = "8"
THREAD = "8"  # three floors
WRITTEN = "网页回复 中文 😀 𠮷 through the composer"


@pytest.fixture
def web_only_forum() -> Iterator[DemoForum]:
    with DemoForum(mobile_api="missing") as forum:
        yield forum


@pytest.mark.usefixtures("memory_keyring")
async def test_log_in_and_browse_say_once_that_the_web_pages_are_read(web_only_forum: DemoForum) -> None:
    app = demo_app(web_only_forum.url)
    titles: list[str] = []
    notify = app.notify

    def note(message: str, **options: object) -> None:
        titles.append(str(options.get("title", "")))
        notify(message, **options)  # type: ignore[arg-type]

    app.notify = note  # type: ignore[method-assign]
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot, "user1", "demo-user1")
        status = screen_text(app).splitlines()[-1]
        assert "web pages" in status and "user1" in status
        app.open_board(OFF_TOPIC, page=2)
        await wait_for_thread_list(pilot)
        assert app.screen.listing.page == 2 and "page 2/2" in screen_text(app).splitlines()[-1]
        assert titles.count("Reading the web pages") == 1


async def test_a_failed_sign_in_says_once_that_the_web_pages_are_read(web_only_forum, memory_keyring) -> None:
    """A remembered account whose sign-in fails is told about once, and so is the site's kind,
    though the site is asked again after the failure."""
    first = demo_app(web_only_forum.url)
    async with first.run_test(size=(110, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(first, "LoginScreen"), "the log-in screen")
        pilot.app.screen.query_one("#remember").value = True
        await log_in(pilot, "user1", "demo-user1")
    memory_keyring.entries.clear()  # neither the account's session nor its password is kept now
    again = ForumApp(Settings())  # no URL: the last account is opened
    shown = record_notifications(again)
    async with again.run_test(size=(110, 30)) as pilot:
        await wait_until(pilot, lambda: boards_shown(again), "the boards, as a guest")
        assert "guest" in screen_text(again).splitlines()[-1]
    titles = [note.title for note in shown]
    assert titles.count("Reading the web pages") == 1, titles


async def test_a_thread_link_opens_at_its_page(web_only_forum: DemoForum) -> None:
    app = ForumApp(Settings(), start=f"{web_only_forum.url}thread-1-13-1.html")
    async with app.run_test(size=(110, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen"), "the thread view")
        await wait_until(pilot, lambda: "page 13/13" in screen_text(app).splitlines()[-1], "page 13 of 13")
        assert "web pages" in screen_text(app).splitlines()[-1]


@pytest.fixture
async def member_session(web_only_forum: DemoForum):
    session = open_session(web_only_forum.url)
    await session.probe()
    account = DEMO_ACCOUNTS[1]
    await session.login(LoginRequest(username=account.username, password=account.password))
    yield session
    await session.aclose()


async def send_a_reply(pilot) -> None:  # type: ignore[no-untyped-def]
    """Write ``WRITTEN`` in a new reply's composer and press Ctrl+S."""
    await open_composer(pilot, "r")
    await write(pilot, WRITTEN)
    await pilot.press("ctrl+s")


async def wait_for_the_reply(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the thread is back with the sent reply focused."""
    app = pilot.app
    await wait_for(pilot, lambda: cursor_floor(app) is not None and WRITTEN in cursor_floor(app).plain_text())


async def test_composer_replies_through_the_web_form(member_session, web_only_forum: DemoForum) -> None:
    """The composer sends through the web post form, the post captcha included, and the thread
    comes back with the reply focused."""
    web_only_forum.post_captcha = True
    app = HostApp(member_session, ThreadScreen(member_session, THREAD))
    async with app.run_test(size=(100, 30)) as pilot:
        await send_a_reply(pilot)
        await wait_for(pilot, lambda: app.screen.query_one("#composer-captcha").display)
        await pilot.press(*CAPTCHA_ANSWER.lower(), "enter")
        await wait_for_the_reply(pilot)
        assert cursor_floor(app).post.author.name == DEMO_ACCOUNTS[1].username


async def test_composer_asks_the_web_forms_question(member_session, web_only_forum: DemoForum) -> None:
    """The post form's question shows in the composer's challenge form; a wrong answer keeps the
    text and asks again, the right one sends."""
    web_only_forum.secqaa = True
    app = HostApp(member_session, ThreadScreen(member_session, THREAD))
    async with app.run_test(size=(100, 30)) as pilot:
        await send_a_reply(pilot)
        answer_box = "composer-captcha-question-answer"
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == answer_box)
        assert SECQAA_QUESTION in str(app.screen.query_one("#composer-captcha-question", Label).render())
        await pilot.press("3", "enter")
        await wait_for(pilot, lambda: "验证问答" in message(app) and app.focused.id == answer_box)
        assert editor_text(app) == WRITTEN
        await pilot.press(*SECQAA_ANSWER, "enter")
        await wait_for_the_reply(pilot)


def palette_commands(app: ForumApp) -> list[str]:
    """The names the open command palette lists (each prompt's first line; its help follows)."""
    commands = app.screen.query_one(CommandList)
    prompts = (commands.get_option_at_index(index).prompt for index in range(commands.option_count))
    return [str(prompt).splitlines()[0] for prompt in prompts]


@pytest.mark.usefixtures("memory_keyring")
async def test_what_the_web_pages_lack_is_not_offered_and_its_keys_say_so(web_only_forum: DemoForum) -> None:
    """Favourites, messages, own threads and profiles: left out of the palette, and their keys say
    plainly that the web pages don't offer them instead of opening a screen that fails."""
    app = demo_app(web_only_forum.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot, "user1", "demo-user1")
        shown = app.notifications
        for key, feature in (
            ("P", "private messages"),
            ("asterisk", "favourites"),
            ("M", "a list of your threads"),
            ("U", "profiles"),
        ):
            await pilot.press(key)
            said = f"This forum's web pages don't offer {feature}."
            await wait_until(pilot, lambda said=said: said in [item.message for item in shown], said)
            assert on_screen(app, "BoardsScreen")

        await pilot.press("ctrl+p")
        listed_all = lambda: CommandPalette.is_open(app) and "Reading mode" in palette_commands(app)  # noqa: E731
        await wait_until(pilot, listed_all, "the palette's commands")
        listed = palette_commands(app)
        assert "Search" in listed and "Notifications" in listed and "Go to board…" in listed
        assert not {"Messages", "Favourites", "My threads", "Profile"} & set(listed)
        await pilot.press("escape")

        app.open_thread(THREAD)
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen") and app.focused, "the thread")
        for key, feature in (("F", "favourites"), ("p", "profiles")):
            await pilot.press(key)
            said = f"This forum's web pages don't offer {feature}."
            await wait_until(pilot, lambda said=said: said in [item.message for item in shown], said)
            assert on_screen(app, "ThreadScreen")


@pytest.mark.usefixtures("memory_keyring")
async def test_a_closed_thread_read_from_its_web_page_says_so(web_only_forum: DemoForum) -> None:
    """The lock beside the subject on the web page closes the thread in the view: its heading says
    closed and r says it takes no replies, without a composer."""
    app = demo_app(web_only_forum.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot, "user1", "demo-user1")
        await open_thread_screen(pilot, "26")  # closed
        assert "closed" in screen_text(app)
        await pilot.press("r")
        said = "This thread is closed: it takes no replies."
        await wait_until(pilot, lambda: said in [item.message for item in app.notifications], said)
        assert on_screen(app, "ThreadScreen")


async def test_the_web_list_shows_closed_threads_from_their_lock(web_only_forum: DemoForum) -> None:
    """The list page draws a lock for a closed thread where the template does (before a pin or a
    poll's icon, the heading cell's class "lock"); the list shows ✕ for it without opening it."""
    web_only_forum.site.store.run("UPDATE threads SET closed = 1 WHERE tid = 2")  # the global sticky
    page = httpx.get(f"{web_only_forum.url}forum.php?mod=forumdisplay&fid=5").text
    for tid in ("26", "2"):
        row = LexborHTMLParser(page).css_first(f"tbody[id$=thread_{tid}]")
        assert row.css_first("td.icn i.fico-lock") is not None and row.css_first("th.lock") is not None
    app = demo_app(web_only_forum.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await browse_as_guest(pilot)
        await open_board(pilot, "Python 编程")
        assert "✕" in marks_of(app, "26")
        assert "✕" in marks_of(app, "2") and "↑" in marks_of(app, "2")
        assert "✕" not in marks_of(app, PYTHON_THREAD)


async def test_a_floors_ratings_show_under_it(member_session, web_only_forum: DemoForum) -> None:
    """The thread page's rating table under a rated floor shows as a line under the post."""
    last = (await member_session.thread_page("26", 1)).posts[-1]  # user5's short reply
    form = await member_session.rate_form("26", last.id)
    await member_session.rate(form, {"1": 1, "2": 5}, "很给力!")
    app = demo_app(web_only_forum.url)
    async with app.run_test(size=(110, 30)) as pilot:
        await log_in(pilot, "user1", "demo-user1")
        await open_thread_screen(pilot, "26")
        rated = "评分 user1 威望 +1 金钱 +5 很给力!"
        await wait_until(pilot, lambda: rated in screen_text(app), "the ratings under the reply")
