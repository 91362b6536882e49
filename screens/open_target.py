"""Ask for one line: a URL or thread id to open (the ``o`` key, the palette), or a user name."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui import keys


class OpenTargetScreen(ModalScreen[str | None]):
    """Dismisses with what was typed, or None on Esc."""

    BINDINGS = keys.bindings([keys.CANCEL])
    DEFAULT_CSS = """
    OpenTargetScreen { align: center middle; }
    #open-box {
        width: 80;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 1 2;
    }
    """

    def __init__(
        self,
        label: str = "Open a forum, board or thread URL, or a thread id on this site",
        placeholder: str = "https://bbs.example.com/thread-123-1-1.html or 123",
    ) -> None:
        super().__init__()
        self.label = label
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="open-box"):
            yield Label(self.label)
            yield Input(placeholder=self.placeholder, id="target")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)
