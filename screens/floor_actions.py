"""Reading aids of the thread view that act on the focused floor or the whole thread, kept
apart from the screen's moving and replying: reading mode, the reading position, and the
panels and files a floor leads to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.screen import Screen

from tui import keys
from tui.config import Settings
from tui.history import ReadingHistory, account_key
from widgets.post import PostWidget
from widgets.thread_view import ThreadView

if TYPE_CHECKING:
    from tui.engine import ForumSession

FLOOR_BINDINGS = keys.bindings(keys.FLOOR_KEYS)


class FloorActions(Screen):
    """Mixed into the thread screen, which provides ``view``, ``session``, ``thread_id`` and
    ``settings``."""

    view: ThreadView
    session: ForumSession
    thread_id: str
    settings: Settings

    def action_toggle_reading_mode(self) -> None:
        """Text only, numbered (the web's 阅读模式); the app remembers it in the config."""
        toggle = getattr(self.app, "toggle_reading_mode", None)
        if callable(toggle):
            toggle()
        else:
            self.settings.reading_mode = not self.settings.reading_mode
            self.view.reading_mode = self.settings.reading_mode

    # Reading position ----------------------------------------------------------------------

    @property
    def history(self) -> ReadingHistory | None:
        return getattr(self.app, "history", None)

    def _history_account(self) -> str:
        return account_key(self.session.site_url, self.session.user.uid)

    def resume_reading(self) -> bool:
        """Open the thread where this account stopped reading it; False when there is no such place."""
        history = self.history
        entry = history.position(self._history_account(), self.thread_id) if history else None
        if entry is None or entry.floor <= 1 or not entry.post_id:
            return False
        self.notify(f"Back at floor #{entry.floor}, where you stopped (g or 1: the top).", timeout=4)
        self.run_worker(self.view.go_to_post(entry.post_id), group="locate", exclusive=True)
        return True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Each floor the reader focuses becomes the thread's reading position."""
        history, floor = self.history, event.widget
        if history is None or not isinstance(floor, PostWidget) or floor.parent is None:
            return
        view = floor.parent.parent
        thread = view.thread if isinstance(view, ThreadView) else None
        if thread is None or view.filter.author_id or view.filter.reverse:
            return  # a filtered view's floors are not where the thread reads on
        history.record(
            self._history_account(),
            self.thread_id,
            subject=thread.subject,
            floor=floor.post.floor,
            floors=thread.replies + 1,
            post_id=floor.post.id,
        )

    def on_unmount(self) -> None:
        save = getattr(self.app, "save_history", None)
        if callable(save):
            save()
