"""The end of a thread, as the web page ends it: guests read "Log in to reply" (您需要登录后才可以回帖),
members get a one-line quick reply (快速回复) that Enter sends and Tab grows into the composer."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from tui import keys

QUICK_REPLY_HINT = "快速回复 Quick reply: Enter sends, Tab opens the full composer"


class LoginToReply(Static, can_focus=True):
    """The guest's line: Enter or a click asks to log in (then the composer opens)."""

    BINDINGS = keys.bindings([keys.REPLY_LINE_LOG_IN])

    def action_press(self) -> None:
        self.post_message(ReplyLine.Wanted(""))

    def on_click(self) -> None:
        self.action_press()


class ReplyLine(Vertical):
    """Below the last floor of the thread's last page."""

    DEFAULT_CSS = """
    ReplyLine { height: auto; padding: 0 1 1 2; }
    ReplyLine > LoginToReply { color: $text-muted; }
    ReplyLine > LoginToReply:focus { color: $text; text-style: bold; background: $boost; }
    ReplyLine > Input { width: 100%; }
    """

    BINDINGS = keys.bindings([keys.REPLY_LINE_GROW, keys.REPLY_LINE_LEAVE])

    class Wanted(Message):
        """The full composer is wanted, starting with ``text`` (a guest logs in first)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Send(Message):
        """A member pressed Enter in the quick reply field."""

        def __init__(self, line: ReplyLine, text: str) -> None:
            super().__init__()
            self.line = line
            self.text = text

    def __init__(self, *, guest: bool, closed: bool, keep: Callable[[str], None] | None = None) -> None:
        """``keep`` gets the text of a quick reply left unsent when the line goes (the thread
        closed, or the page with it left behind), so that nothing typed is lost."""
        super().__init__(id="reply-line")
        self.guest = guest
        self.closed = closed
        self.keep = keep
        self._field: Input | None = None

    def compose(self) -> ComposeResult:
        if self.closed:
            yield Static(Text("This thread is closed: it takes no replies.", style="dim"))
        elif self.guest:
            yield LoginToReply(Text("您需要登录后才可以回帖 · Log in to reply (L or Enter here)"))
        else:
            self._field = Input(placeholder=QUICK_REPLY_HINT, id="quick-reply")
            yield self._field

    def focus_entry(self) -> bool:
        """Focus the field (or the guest's line); False when the thread takes no replies."""
        for widget in self.query("#quick-reply, LoginToReply"):
            widget.focus()
            return True
        return False

    def action_grow(self) -> None:
        field = next(iter(self.query("#quick-reply").results(Input)), None)
        if field is None:
            self.screen.focus_next()
            return
        self.post_message(self.Wanted(field.value))
        field.value = ""

    def action_leave_field(self) -> None:
        """Esc with a half-written quick reply goes back to the floors, the text kept in the
        field; with nothing written it is the thread's own Esc (back)."""
        field = next(iter(self.query("#quick-reply").results(Input)), None)
        if field is None or not field.value.strip():
            raise SkipAction()
        self.screen.focus_previous()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Send(self, event.value))

    def on_unmount(self) -> None:
        if self.keep is not None and self._field is not None and self._field.value.strip():
            self.keep(self._field.value)

    def sent(self) -> None:
        """The quick reply went through: the field empties for the next one."""
        for field in self.query("#quick-reply").results(Input):
            field.value = ""
