"""Reading aids of the thread view that act on the focused floor or the whole thread, kept
apart from the screen's moving and replying: reading mode, and the panels and files a floor
leads to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from tui import keys
from tui.config import Settings

if TYPE_CHECKING:
    from widgets.thread_view import ThreadView

FLOOR_BINDINGS = keys.bindings(keys.FLOOR_KEYS)


class FloorActions(Screen):
    """Mixed into the thread screen, which provides ``view`` and ``settings``."""

    view: ThreadView
    settings: Settings

    def action_toggle_reading_mode(self) -> None:
        """Text only, numbered (the web's 阅读模式); the app remembers it in the config."""
        toggle = getattr(self.app, "toggle_reading_mode", None)
        if callable(toggle):
            toggle()
        else:
            self.settings.reading_mode = not self.settings.reading_mode
            self.view.reading_mode = self.settings.reading_mode
