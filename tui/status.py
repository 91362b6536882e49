"""What the status bar shows — site, who you are, unread counts, activity, page x/y — as
plain state. The app owns one ``StatusState``; every screen's bar subscribes to it, so a
screen sets the page and every bar stays in step. Nothing here knows Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.model import CurrentUser

Listener = Callable[[], None]


@dataclass(slots=True)
class StatusState:
    """Change it through the setters so every subscribed bar redraws."""

    site: str = ""
    user: CurrentUser | None = None
    activity: str = ""
    page: int = 0
    pages: int = 0
    offline: str = ""  # "offline — saved at 12:03" while what is shown comes from the saved pages
    _listeners: list[Listener] = field(default_factory=list, repr=False)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after every change; returns the function that unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _publish(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _change(self, **values: object) -> None:
        """Set ``values`` and redraw the bars, unless nothing changed: screens set the same page
        and activity again with every page they show, and each redraw costs a frame's work."""
        if any(getattr(self, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(self, name, value)
            self._publish()

    def set_site(self, name: str) -> None:
        self._change(site=name)

    def set_user(self, user: CurrentUser | None) -> None:
        self.user = user  # the same user object may carry new unread counts: always redrawn
        self._publish()

    def set_activity(self, text: str) -> None:
        """A short note of what is going on ("Signing in…"); empty to clear."""
        self._change(activity=text)

    def set_page(self, page: int, pages: int) -> None:
        """Show "page x/y"; the thread list and the thread view call this."""
        self._change(page=page, pages=pages)

    def set_offline(self, saved_at: float | None) -> None:
        """Mark what is shown as read from the saved pages (saved at ``saved_at``); None: live."""
        from tui.saved import saved_at_text

        self._change(offline="" if saved_at is None else f"offline — saved at {saved_at_text(saved_at)}")

    def clear_page(self) -> None:
        self.set_page(0, 0)
