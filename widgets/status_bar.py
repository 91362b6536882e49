"""The one-line status bar every screen shows: site, who you are, unread counts, page x/y.

The state lives once on the app (``app.status``, a ``StatusState``); each screen's bar
subscribes to its change signal, so a screen sets the page and every bar stays in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App
from textual.signal import Signal
from textual.widget import Widget

from tui.words import counted
from widgets.forum_text import clean

if TYPE_CHECKING:
    from tui.model import CurrentUser


@dataclass(slots=True)
class StatusState:
    """What the status bar shows. Change it through the setters so every bar redraws."""

    app: App
    site: str = ""
    user: CurrentUser | None = None
    activity: str = ""
    page: int = 0
    pages: int = 0
    changed: Signal[None] = field(init=False)

    def __post_init__(self) -> None:
        self.changed = Signal(self.app, "status-changed")

    def _publish(self) -> None:
        self.changed.publish(None)

    def set_site(self, name: str) -> None:
        self.site = name
        self._publish()

    def set_user(self, user: CurrentUser | None) -> None:
        self.user = user
        self._publish()

    def set_activity(self, text: str) -> None:
        """A short note of what is going on ("Signing in…"); empty to clear."""
        self.activity = text
        self._publish()

    def set_page(self, page: int, pages: int) -> None:
        """Show "page x/y"; the thread list and the thread view call this."""
        self.page, self.pages = page, pages
        self._publish()

    def clear_page(self) -> None:
        self.set_page(0, 0)

    def left(self) -> Text:
        """Site, user, unread counts, activity: untrusted names stay plain Text, never markup."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {clean(self.site) or 'no site'} ", style="bold")
        text.append("│ ")
        if self.user is None or self.user.is_guest:
            text.append("guest")
        else:
            text.append(clean(self.user.username), style="bold")
            if self.user.unread_pms:
                text.append(f"  ✉ {self.user.unread_pms} PM")
            if self.user.unread_notices:
                text.append(f"  ! {counted(self.user.unread_notices, 'notice')}")
        if self.activity:
            text.append(f"  {self.activity}", style="italic")
        return text

    def right(self) -> str:
        return f"page {self.page}/{self.pages} " if self.pages else ""


class StatusBar(Widget):
    """Docked at the bottom of a screen; redraws when ``app.status`` changes."""

    DEFAULT_CSS = """
    StatusBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $text;
    }
    """

    def on_mount(self) -> None:
        state = getattr(self.app, "status", None)
        if isinstance(state, StatusState):
            state.changed.subscribe(self, lambda _: self.refresh())

    def render(self) -> Text:
        state = getattr(self.app, "status", None)
        if not isinstance(state, StatusState):
            return Text("")
        left, right = state.left(), state.right()
        left.truncate(max(0, self.size.width - len(right) - 1), overflow="ellipsis")
        gap = max(0, self.size.width - left.cell_len - len(right))
        return Text.assemble(left, " " * gap, (right, "bold"))
