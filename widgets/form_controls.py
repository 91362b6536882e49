"""Light form controls for the log-in form, the app's first frame.

Textual's ``Button`` and ``Select`` each bring several widgets and kilobytes of CSS to parse
before the form can be drawn; these draw one line each and do the same jobs: a button pressed
by Enter, Space or a click, and a chooser that steps through its choices with Left/Right and
lists them all on Enter or a click.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList

from tui import keys


class FormButton(Widget, can_focus=True):
    """A one-line button: its label on a coloured background."""

    DEFAULT_CSS = """
    FormButton {
        width: auto;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
        &.-primary { background: $primary; text-style: bold; }
        &:hover { background: $panel-lighten-2; }
        &.-primary:hover { background: $primary-lighten-1; }
        &:focus {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    BINDINGS = keys.bindings([keys.PRESS])

    class Pressed(Message):
        """The button was pressed."""

        def __init__(self, button: FormButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> FormButton:
            return self.button

    def __init__(self, label: str, *, id: str, primary: bool = False) -> None:
        super().__init__(id=id, classes="-primary" if primary else "")
        self.label = label

    def render(self) -> Text:
        return Text(self.label)  # never markup

    def action_press(self) -> None:
        self.post_message(self.Pressed(self))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_press()


class ChoiceList(OptionList):
    """The chooser's list of every choice; Enter or a click picks one, Esc closes it."""

    BINDINGS = keys.bindings([keys.CLOSE_CHOICES])
    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 10; margin-bottom: 1; }
    """

    def __init__(self, picker: ChoicePicker) -> None:
        super().__init__(*picker.choices, classes="choice-list")
        self.picker = picker

    def on_mount(self) -> None:
        self.highlighted = self.picker.value
        self.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.picker.value = event.option_index
        self.action_close()

    def action_close(self) -> None:
        self.picker.focus()
        self.picker.collapse()

    def on_blur(self) -> None:
        self.picker.collapse()


class ChoicePicker(Widget, can_focus=True):
    """One of a few choices, shown as ``‹ choice ›``: Left/Right step through them, Enter or a
    click lists them all below its container (``expanded``)."""

    DEFAULT_CSS = """
    ChoicePicker {
        width: 1fr;
        height: 1;
        background: $surface;
        &:focus { background-tint: $foreground 5%; text-style: bold; }
    }
    """
    BINDINGS = keys.bindings(keys.PICKER_KEYS)

    value: reactive[int] = reactive(0)
    """The index of the choice made."""

    def __init__(self, choices: Sequence[str], *, id: str) -> None:
        super().__init__(id=id)
        self.choices = tuple(choices)
        self._list: ChoiceList | None = None

    def validate_value(self, value: int) -> int:
        return value if 0 <= value < len(self.choices) else self.value

    @property
    def expanded(self) -> bool:
        """The list of every choice is shown."""
        return self._list is not None

    def render(self) -> Text:
        """``‹ choice ›``, the choice cut short with "…" where the row is narrower."""
        choice = Text(self.choices[self.value], no_wrap=True)
        choice.truncate(max(1, self.size.width - 4), overflow="ellipsis")
        return Text.assemble(("‹ ", "dim"), choice, (" ›", "dim"))

    def action_step(self, step: int) -> None:
        self.value = (self.value + step) % len(self.choices)

    def action_expand(self) -> None:
        """List the choices under the container the picker sits in (on the log-in form, the
        column of fields, whose names are docked beside it), the one made highlighted."""
        row = self.parent
        if self._list is not None or row is None or row.parent is None:
            return
        self._list = ChoiceList(self)
        row.parent.mount(self._list, after=row)

    def collapse(self) -> None:
        if self._list is not None:
            self._list.remove()
            self._list = None

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_expand()
