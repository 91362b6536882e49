"""Replying, quoting and starting threads on the demo forum over real HTTP, and what happens when
the forum says no: the reason in plain words, the text kept, the draft on disk."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import Input, Select, TextArea

from screens.composer import SHORT_DRAFT, ComposerScreen, DiscardScreen
from screens.thread import ThreadScreen
from tests.app_helpers import cursor_floor
from tests.thread_helpers import HostApp, wait_for
from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.site import CAPTCHA_ANSWER
from tui.drafts import Draft, DraftStore, draft_key
from tui.model import CurrentUser, LoginRequest, ReplyResult, ThreadType
from tui.registry import open_session

SIZE = (100, 30)
THREAD = "8"  # "pyproject.toml 入门", three floors
BOARD = "8"
REPLY = "这是一条测试回复 — a reply written by the test."


@pytest.fixture(autouse=True)
def quick_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drafts are written right after an edit: the tests wait for the file, not for a delay."""
    monkeypatch.setattr(ComposerScreen, "save_delay", 0.01)


@pytest.fixture
async def session(forum_server):
    session = open_session(forum_server.url)
    account = DEMO_ACCOUNTS[1]
    await session.login(LoginRequest(username=account.username, password=account.password))
    yield session
    await session.aclose()


def composer_of(app: HostApp) -> ComposerScreen:
    assert isinstance(app.screen, ComposerScreen)
    return app.screen


def editor_text(app: HostApp) -> str:
    return app.screen.query_one("#composer-text", TextArea).text


def message(app: HostApp) -> str:
    return str(app.screen.query_one("#composer-message").render())


def reply_focused(app: HostApp) -> bool:
    """The thread is back with the sent reply as the focused floor."""
    return cursor_floor(app) is not None and REPLY in cursor_floor(app).plain_text()


def saved_draft(session, *, thread_id: str = "", board_id: str = ""):
    return DraftStore().load(draft_key(session.site_url, thread_id=thread_id, board_id=board_id))


async def open_composer(pilot, key: str) -> ComposerScreen:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
    await wait_for(pilot, lambda: cursor_floor(app) is not None)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, ComposerScreen))
    await wait_for(pilot, lambda: isinstance(app.focused, TextArea))
    return composer_of(app)


async def draft_written(pilot) -> None:
    """Wait until the composer's draft on disk holds what is in its editor."""
    composer = composer_of(pilot.app)

    def written() -> bool:
        draft = composer.drafts.load(composer.draft_key)
        return draft is not None and draft.text == editor_text(pilot.app)

    await wait_for(pilot, written, describe=lambda: f"the draft {editor_text(pilot.app)!r} on disk")


async def write(pilot, text: str) -> None:
    pilot.app.focused.insert(text)
    await draft_written(pilot)


async def test_a_reply_appears_in_the_thread_and_is_focused(session) -> None:
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(pilot, "r")
        await write(pilot, REPLY)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
        await wait_for(pilot, lambda: reply_focused(app))
        assert cursor_floor(app).post.floor == 4
        assert cursor_floor(app).post.author.name == DEMO_ACCOUNTS[1].username
        assert saved_draft(session, thread_id=THREAD) is None, "a sent draft is removed"


RICH = (
    f"{REPLY}\n[b]bold[/b] [i]italic[/i] [color=red]red[/color] [size=5]big[/size] "
    "[url=https://example.com/]a link[/url] :)\n[quote]quoted words[/quote]\n"
    "[code]print('hi')[/code]\n[list][*]one[*]two[/list]\n"
    "[table][tr][td]a[/td][td]b[/td][/tr][/table]\n[hide]hidden words[/hide]\n"
    "[img]https://example.com/p.png[/img]"
)


def as_text(renderable) -> str:
    from rich.console import Console

    console = Console(width=70, record=True, file=open("/dev/null", "w"), color_system=None)  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


async def test_the_preview_shows_bbcode_as_the_thread_shows_the_post(session) -> None:
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(pilot, "r")
        await write(pilot, RICH)
        preview = composer.query_one("#composer-preview-text")
        await wait_for(pilot, lambda: "bold" in as_text(preview.content))
        shown = as_text(preview.content)
        assert "[b]" not in shown and "[quote]" not in shown and "[list]" not in shown
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: reply_focused(app))
        assert as_text(cursor_floor(app).body_renderable()) == shown


async def test_a_quote_reply_shows_the_quote(session) -> None:
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: cursor_floor(app) is not None)
        await pilot.press("right_square_bracket")
        quoted = cursor_floor(app).post
        assert quoted.floor == 2
        composer = await open_composer(pilot, "R")
        assert "Quoting #2 楼" in str(composer.query_one("#composer-quote").render())
        await write(pilot, REPLY)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: reply_focused(app))
        new_floor = cursor_floor(app)
        assert new_floor.document.quotes, "the reply carries a quote block"
        quote_text = new_floor.plain_text()
        assert quoted.author.name in quote_text
        assert "build-backend" in quote_text, "an excerpt of the quoted floor"
        assert new_floor.quoted_post_ids() == [quoted.id]
        await pilot.press("f")  # follows the quote back to the quoted floor
        await wait_for(pilot, lambda: cursor_floor(app).post.id == quoted.id)


async def test_a_new_thread_is_posted_with_its_subject(session) -> None:
    composer = ComposerScreen.new_thread(session, BOARD, [])
    results: list[ReplyResult | None] = []
    app = HostApp(session, composer)
    app.first_screen_callback = results.append
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"测试新帖 New thread")
        editor = app.screen.query_one("#composer-text", TextArea)
        editor.insert("新帖正文，足够长的内容。Body of the new thread.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results)
    (result,) = results
    page = await session.thread_page(result.thread_id)
    assert page.thread.subject == "测试新帖 New thread"
    assert "Body of the new thread" in page.posts[0].html
    assert saved_draft(session, board_id=BOARD) is None


async def test_a_board_with_thread_types_offers_them() -> None:
    session = open_session("http://127.0.0.1:9/")
    types = [ThreadType("1", "求助 Help"), ThreadType("2", "分享 Share")]
    app = HostApp(session, ComposerScreen.new_thread(session, BOARD, types))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ComposerScreen))
        select = app.screen.query_one("#composer-type", Select)
        select.value = "2"
        await pilot.press(*"subject")
        typed = lambda: getattr(saved_draft(session, board_id=BOARD), "subject", "") == "subject"  # noqa: E731
        await wait_for(pilot, typed, describe=lambda: "the draft with its subject")
        assert saved_draft(session, board_id=BOARD).type_id == "2"
    await session.aclose()


async def test_a_too_short_reply_says_why_and_keeps_the_text(session) -> None:
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(pilot, "r")
        await write(pilot, "短")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "short" in message(app).lower())
        assert isinstance(app.screen, ComposerScreen)
        assert editor_text(app) == "短"


async def test_flood_control_says_to_wait_and_keeps_the_text(session, forum_server) -> None:
    forum_server.flood_seconds = 30
    await session.reply(THREAD, "第一条回复，发得很快。The first quick reply.")
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(pilot, "r")
        await write(pilot, REPLY)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "too fast" in message(app))
        assert editor_text(app) == REPLY
        forum_server.advance_clock(31)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: reply_focused(app))


async def test_server_stopped_mid_session_keeps_the_draft(session, forum_server) -> None:
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(pilot, "r")
        await write(pilot, REPLY)
        forum_server.stop()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "reach" in message(app).lower() or "connect" in message(app).lower())
        assert editor_text(app) == REPLY
        assert not composer_of(app).sending
    assert saved_draft(session, thread_id=THREAD).text == REPLY


async def test_a_draft_comes_back_when_the_composer_is_opened_again(session) -> None:
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(pilot, "r")
        await write(pilot, REPLY)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscardScreen))
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
        await open_composer(pilot, "r")
        assert editor_text(app) == REPLY


async def test_discarding_asks_first_and_then_forgets_the_draft(session) -> None:
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(pilot, "r")
        await write(pilot, REPLY)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscardScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ComposerScreen))
        assert editor_text(app) == REPLY, "Esc on the question keeps writing"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscardScreen))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
    assert saved_draft(session, thread_id=THREAD) is None


async def test_esc_on_an_edit_left_as_it_was_closes_without_asking(session) -> None:
    posted = await session.reply(THREAD, REPLY)
    app = HostApp(session, ThreadScreen(session, THREAD, post_id=posted.post_id))
    async with app.run_test(size=SIZE) as pilot:
        mine = posted.post_id
        await wait_for(pilot, lambda: cursor_floor(app) is not None and cursor_floor(app).post.id == mine)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ComposerScreen) and editor_text(app) == REPLY)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
        await open_composer(pilot, "e")
        await write(pilot, " changed")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscardScreen))  # a changed edit still asks


async def test_esc_in_the_quick_reply_field_keeps_the_text_and_returns_to_the_floors(session) -> None:
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: cursor_floor(app) is not None)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "quick-reply")
        field = app.focused
        await pilot.press(*"half a reply")
        await pilot.press("escape")
        await wait_for(pilot, lambda: cursor_floor(app) is not None)
        assert isinstance(app.screen, ThreadScreen) and field.value == "half a reply"


async def test_a_quick_reply_left_unsent_comes_back_in_the_composer(session) -> None:
    thread = ThreadScreen(session, THREAD)
    app = HostApp(session, Screen())
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(thread)
        await wait_for(pilot, lambda: cursor_floor(app) is not None)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "quick-reply")
        await pilot.press(*"half a reply", "escape", "escape")  # back to the floors, then out
        await wait_for(pilot, lambda: app.screen is not thread)
        app.push_screen(ThreadScreen(session, THREAD))
        await wait_for(pilot, lambda: cursor_floor(app) is not None)
        await open_composer(pilot, "r")
        assert editor_text(app) == "half a reply"


async def test_a_captcha_is_shown_and_its_answer_sent(session, forum_server) -> None:
    forum_server.post_captcha = True
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(pilot, "r")
        await write(pilot, REPLY)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query_one("#composer-captcha").display)
        assert "captcha" in message(app).lower()
        assert isinstance(app.focused, Input)
        await pilot.press(*CAPTCHA_ANSWER.lower(), "enter")
        await wait_for(pilot, lambda: reply_focused(app))


# Nothing typed is lost: drafts written as the keys come, a damaged draft file kept aside and
# named, and "Keep draft" never closing the composer on a draft the disk refused.


def saved_reply(session) -> Draft | None:
    return DraftStore().load(draft_key(session.site_url, thread_id=THREAD))


async def test_a_short_draft_is_on_disk_after_every_key(session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ComposerScreen, "save_delay", 3600.0)  # only the per-key write can save it
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(pilot, "r")
        await pilot.press("h", "i")
        await wait_for(pilot, lambda: getattr(saved_reply(session), "text", "") == "hi")
        await pilot.press("!")
        await wait_for(pilot, lambda: getattr(saved_reply(session), "text", "") == "hi!")


async def test_a_long_draft_is_written_soon_after_the_last_key(
    session, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(pilot, "r")
        long_text = "字" * (SHORT_DRAFT + 10)
        app.focused.insert(long_text)
        await pilot.press("x")
        await wait_for(pilot, lambda: getattr(saved_reply(session), "text", "") == long_text + "x")


async def test_a_damaged_draft_is_kept_aside_and_named(session) -> None:
    store = DraftStore()
    store.save(draft_key(session.site_url, thread_id=THREAD), Draft(text="placeholder"))
    (damaged,) = store.folder.iterdir()
    damaged.write_bytes(b'{"key": "half a file')
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        await open_composer(pilot, "r")
        (kept,) = store.folder.iterdir()
        assert kept.read_bytes() == b'{"key": "half a file'
        assert message(app) == f"A saved draft could not be read (kept as {kept})."
        await pilot.press("escape")  # the empty composer closes…
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
        assert kept.exists()  # …and the damaged file is still there


async def test_keep_draft_stays_open_when_the_draft_cannot_be_written(
    session, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = HostApp(session, ThreadScreen(session, THREAD))
    async with app.run_test(size=SIZE) as pilot:
        composer = await open_composer(pilot, "r")
        app.focused.insert("words worth keeping")

        def refuse(self: DraftStore, key: str, draft: Draft) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(DraftStore, "save", refuse)
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DiscardScreen")
        await pilot.press("k")
        await wait_for(pilot, lambda: "could not be saved" in message(app))
        assert app.screen is composer
        assert "No space left on device" in message(app)
        assert composer.query_one("#composer-text", TextArea).text == "words worth keeping"


class BrokenReplies:
    """A guest session whose reply fails with an error no engine should raise (a bug)."""

    site_url = "http://127.0.0.1:9/"
    user = CurrentUser()

    async def reply(self, thread_id: str, text: str, **options: object) -> ReplyResult:
        raise RuntimeError("engine bug")


async def test_a_send_that_fails_unexpectedly_leaves_sending_and_keeps_the_text() -> None:
    session = BrokenReplies()
    app = HostApp(session, ComposerScreen(session, THREAD))  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ComposerScreen))
        await write(pilot, REPLY)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "engine bug" in message(app))
        composer = composer_of(app)
        assert not composer.sending and not composer.query_one("#composer-sending").has_class("-shown")
        assert editor_text(app) == REPLY
        assert "Something went wrong" in message(app)
