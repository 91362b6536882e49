"""A checkbox whose two states differ in shape, not only in colour.

Textual's ``Checkbox`` draws ``▐X▌`` both ticked and unticked and tells them apart by colour
alone, which a monochrome or low-colour terminal (or a colour-blind reader) cannot see; it
also brings its toggle-button CSS to the log-in form's first frame. This one line is drawn
as ``[X] label`` or ``[ ] label``.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

from tui import keys

TICKED = "X"
UNTICKED = " "


class TickBox(Widget, can_focus=True):
    """``[X] label`` when ticked, ``[ ] label`` when not; Space, Enter or a click toggles it."""

    DEFAULT_CSS = """
    TickBox {
        width: auto;
        height: 1;
        &:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    }
    """
    BINDINGS = keys.bindings([keys.TICK])

    value: reactive[bool] = reactive(False)

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label

    def render(self) -> Text:
        return Text.assemble((f"[{TICKED if self.value else UNTICKED}] ", "bold"), self.label)

    def action_toggle(self) -> None:
        self.value = not self.value

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_toggle()
