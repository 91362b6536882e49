"""Tab on the log-in form moves the focus before the next key is delivered.

Keys that reach the app in one burst (the event loop was busy, e.g. just after start-up)
must each go to the field that is focused once the keys before them have acted.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from tests.app_helpers import demo_app, on_screen, wait_until
from widgets.form_controls import ChoicePicker

pytestmark = pytest.mark.usefixtures("memory_keyring")


def _burst(app, keys: list[str]) -> None:
    """Queue the keys on the app at once, as the driver does after a stall."""
    for key in keys:
        character = key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


async def test_tab_in_a_burst_of_keys_moves_to_the_password(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        username = app.screen.query_one("#username", Input)
        await wait_until(pilot, lambda: app.focused is username, "the username field focused")
        password = app.screen.query_one("#password", Input)
        _burst(app, [*"user1", "tab", *"demo-user1", "shift+tab"])
        typed = lambda: len(username.value) + len(password.value) == len("user1demo-user1")  # noqa: E731
        await wait_until(pilot, typed, "every key typed")
        await pilot.pause()
        assert (username.value, password.value) == ("user1", "demo-user1")
        assert app.focused is username


async def _focus_the_question_picker(pilot: Pilot) -> ChoicePicker:
    app = pilot.app
    await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
    picker = app.screen.query_one("#question", ChoicePicker)
    picker.focus()
    await wait_until(pilot, lambda: app.focused is picker, "the question picker focused")
    return picker


async def test_a_question_chosen_in_a_burst_gets_its_answer_typed_in_the_same_burst(forum_server) -> None:
    """Right on the question picker makes the answer's field, and the Tab and letters queued
    behind it land there; Left back to no question takes the field away again."""
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await _focus_the_question_picker(pilot)
        assert not app.screen.query("#answer")  # no question, no answer's field
        _burst(app, ["right", "tab", *"blue", "tab", "space"])
        answered = lambda: app.screen.query("#answer") and app.screen.query_one("#answer", Input).value  # noqa: E731
        await wait_until(pilot, lambda: answered() == "blue", "the answer typed")
        await wait_until(pilot, lambda: app.screen.query_one("#remember").value, "Remember me ticked")
        assert picker.value == 1
        picker.focus()
        await wait_until(pilot, lambda: app.focused is picker, "the question picker focused again")
        await pilot.press("left")
        await wait_until(pilot, lambda: not app.screen.query("#answer"), "the answer's field gone")
        assert picker.value == 0


async def test_enter_on_the_question_picker_lists_the_questions_to_pick_from(forum_server) -> None:
    app = demo_app(forum_server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await _focus_the_question_picker(pilot)
        await pilot.press("enter")
        assert picker.expanded
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: not picker.expanded, "the list closed")
        assert picker.value == 2 and app.focused is picker
        assert app.screen.query_one("#answer", Input)
        await pilot.click("#question")  # a click lists them too; Esc closes the list unchanged
        await wait_until(pilot, lambda: picker.expanded, "the list again")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not picker.expanded, "the list closed again")
        assert picker.value == 2 and app.focused is picker
