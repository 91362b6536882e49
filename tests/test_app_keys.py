"""Key bindings: the help screen lists the active ones, remaps from the config work, and a
broken config is reported with its line while the defaults keep working."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_helpers import (
    demo_app,
    log_in,
    on_screen,
    screen_text,
    wait_for_thread_list,
    wait_until,
)
from tui import keys
from tui.config import load_settings

pytestmark = pytest.mark.usefixtures("memory_keyring")


async def open_python_board(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await log_in(pilot)
    app.open_board("5", "Python 编程")
    await wait_for_thread_list(pilot)


async def test_question_mark_lists_the_bindings_of_the_current_screen(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_python_board(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: on_screen(app, "HelpScreen"), "the help screen")
        text = screen_text(app)
        for line in ("n  ", "Next page", "Previous page", "Sort", "Digest only", "New thread", "esc, q"):
            assert line in text
        assert "Pin / unpin board" not in text  # that is the board list's key, not this screen's
        await pilot.press("escape")
        await wait_until(pilot, lambda: on_screen(app, "ThreadListScreen"), "the thread list again")
        await pilot.press("q")
        await wait_until(pilot, lambda: on_screen(app, "BoardsScreen"), "the board list")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: on_screen(app, "HelpScreen"), "the board list's help")
        assert "Pin / unpin board" in screen_text(app)


async def test_the_help_box_keeps_its_border_at_80_by_24(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_python_board(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: on_screen(app, "HelpScreen"), "the help screen")
        await pilot.pause()
        lines = [line.rstrip() for line in screen_text(app).splitlines()]
        top = next(i for i, line in enumerate(lines) if "╭" in line)
        bottom = next(i for i, line in enumerate(lines) if "╰" in line)
        assert lines[top].endswith("╮") and lines[bottom].endswith("╯")
        assert all(line.endswith("│") for line in lines[top + 1 : bottom])


async def test_every_help_row_keeps_its_config_name_in_one_column(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        app.open_thread("27")
        await wait_until(pilot, lambda: on_screen(app, "ThreadScreen") and app.focused, "the thread")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: on_screen(app, "HelpScreen"), "the thread view's help")
        rows = str(app.screen.query_one("#help-box Static").render()).splitlines()
        quick = next(line for line in rows if line.endswith("quick_reply"))  # the longest description
        reply = next(line for line in rows if line.endswith(" reply"))
        assert quick[: -len("quick_reply")].endswith("  "), quick
        assert len(quick) - len("quick_reply") == len(reply) - len("reply")


async def test_a_remapped_key_works_and_shows_in_help(forum_server, isolated_home: Path) -> None:
    config = isolated_home / "config.toml"
    config.write_text('[keys]\nnext_page = "x"\n', encoding="utf-8")
    app = demo_app(forum_server.url, load_settings(config), config_path=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        app.open_board("8", "灌水乐园")
        await wait_for_thread_list(pilot)
        await pilot.press("n", "x")  # had n still turned the page, x would go on to page 3
        await wait_until(pilot, lambda: app.screen.listing.page == 2, "page 2 through the remapped key")
        assert app.screen.page == 2, "n is no longer next page"
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: on_screen(app, "HelpScreen"), "help")
        assert any(
            line.split()[1:3] == ["x", "Next"] for line in screen_text(app).splitlines() if "│" in line
        )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('theme = "nord"\n[keys\nnext_page = "x"\n', "line 2"),
        ('[keys]\nnext_page = "x"\nnot_an_action = "y"\n', "line 3"),
        ('[keys]\nnext_page = "bogus"\n', "line 2: 'bogus' is not a key name"),
    ],
)
async def test_a_broken_config_is_reported_with_its_line_and_defaults_work(
    forum_server, isolated_home: Path, content: str, expected: str
) -> None:
    config = isolated_home / "config.toml"
    config.write_text(content, encoding="utf-8")
    app = demo_app(forum_server.url, load_settings(config), config_path=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.notifications, "a notification")
        messages = [note.message for note in app.notifications]
        assert any(expected in message and str(config) in message for message in messages), messages
        await log_in(pilot)
        app.open_board("8", "灌水乐园")
        await wait_for_thread_list(pilot)
        await pilot.press("j", "j", "G", "g")
        assert app.screen.cursor_row() == 0
        await pilot.press("G")
        assert app.screen.cursor_row() == len(app.screen.listing.threads) - 1


async def test_a_key_remapped_onto_another_actions_key_names_the_action_that_lost_it(
    forum_server, isolated_home: Path
) -> None:
    config = isolated_home / "config.toml"
    config.write_text('[keys]\ndigest = "c"\n', encoding="utf-8")
    app = demo_app(forum_server.url, load_settings(config), config_path=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.notifications, "a notification")
        messages = [note.message for note in app.notifications]
        wanted = 'digest = "c" takes that key from new_thread in the thread list'
        assert any(wanted in message for message in messages), messages
        await log_in(pilot)  # and the app goes on


@pytest.mark.parametrize(
    ("remap", "wanted"),
    [
        ('next_floor = "r"', 'next_floor = "r" takes that key from reply in the thread view'),
        ('send = "f2"', 'send = "f2" takes that key from toggle_preview in the composer'),
    ],
)
async def test_a_clash_on_a_screen_not_yet_opened_is_named_at_start(
    forum_server, isolated_home: Path, remap: str, wanted: str
) -> None:
    config = isolated_home / "config.toml"
    config.write_text(f"[keys]\n{remap}\n", encoding="utf-8")
    app = demo_app(forum_server.url, load_settings(config), config_path=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.notifications, "a notification")
        messages = [note.message for note in app.notifications]
        assert any(wanted in message for message in messages), messages
        await log_in(pilot)  # and the app goes on


def test_keymap_keeps_known_actions_and_names_the_line_of_unknown_ones(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n\nnext_page = "x, ctrl+n"\nfly = "f"\n', encoding="utf-8")
    known = {key.id for key in keys.THREAD_LIST_KEYS}
    keymap, problem = keys.keymap_from_config({"next_page": "x, ctrl+n", "fly": "f"}, known, config)
    assert keymap == {"next_page": "x,ctrl+n"}
    assert "line 4" in problem and "'fly'" in problem
    assert keys.keymap_from_config({"next_page": "x"}, known) == ({"next_page": "x"}, "")


def test_a_key_name_textual_does_not_know_is_reported_and_the_default_kept() -> None:
    known = {key.id for key in keys.APP_KEYS}
    keymap, problem = keys.keymap_from_config({"help": "bogus", "open_url": "ctrl+wat, O"}, known)
    assert keymap == {"open_url": "O"}  # help keeps "?", open_url keeps the one good key
    assert "'bogus' is not a key name (for 'help')" in problem and "'ctrl+wat'" in problem
    for good in ("question_mark", "?", "ctrl+n", "f2", "left_square_bracket", "G", "shift+tab", "escape"):
        assert keys.is_key_name(good), good
    for bad in ("bogus", "ctrl+", "hyperdrive+a", "", "f99"):
        assert not keys.is_key_name(bad), bad
