"""The one-line status bar every screen shows: site, who you are, unread counts, page x/y.

It draws the host's ``StatusState`` (``tui.status``) and redraws whenever that changes.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from tui.host import forum_host
from tui.status import StatusState
from tui.words import counted
from widgets.forum_text import clean


def one_line(name: str) -> str:
    """A name the forum sent, for the bar's one line: control sequences go, and its line
    breaks and tabs become spaces (a line break reaching the terminal moves all after it)."""
    return " ".join(clean(name).splitlines()).replace("\t", " ")


def status_left(state: StatusState) -> Text:
    """Site, user, unread counts, activity: untrusted names stay plain Text, never markup."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {one_line(state.site) or 'no site'} ", style="bold")
    text.append("│ ")
    if state.user is None or state.user.is_guest:
        text.append("guest")
    else:
        text.append(one_line(state.user.username), style="bold")
        if state.user.unread_pms:
            text.append(f"  ✉ {state.user.unread_pms} PM")
        if state.user.unread_notices:
            text.append(f"  ! {counted(state.user.unread_notices, 'notice')}")
    if state.activity:
        text.append(f"  {state.activity}", style="italic")
    if state.offline:
        text.append(f"  {state.offline}", style="bold yellow")
    return text


def status_right(state: StatusState) -> str:
    return f"page {state.page}/{state.pages} " if state.pages else ""


class StatusBar(Widget):
    """Docked at the bottom of a screen; redraws when the host's status changes."""

    DEFAULT_CSS = """
    StatusBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $text;
    }
    """

    _unsubscribe: Callable[[], None] | None = None

    def on_mount(self) -> None:
        self._unsubscribe = forum_host(self.app).status.subscribe(self.refresh)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def render_line(self, y: int) -> Strip:
        """The bar's line, made from ``render``'s text directly: it changes with every page read
        on, and Textual's way for any renderable costs several times as much."""
        width = self.size.width
        style = self.visual_style.rich_style
        if y:
            return Strip.blank(width, style)
        line = self.render()
        segments = Segment.apply_style(line.render(self.app.console, end=""), style)
        return Strip(segments, line.cell_len).adjust_cell_length(width, style)

    def render(self) -> Text:
        state = forum_host(self.app).status
        left, right = status_left(state), status_right(state)
        left.truncate(max(0, self.size.width - len(right) - 1), overflow="ellipsis")
        gap = max(0, self.size.width - left.cell_len - len(right))
        return Text.assemble(left, " " * gap, (right, "bold"))
