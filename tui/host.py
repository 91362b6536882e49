"""What a screen or widget may ask of the app it runs in.

Screens and widgets depend on this small protocol, not on the concrete ``ForumApp``: the app
implements it, and so does the tests' host around a single screen. The forum state itself is
the Textual-free ``ForumContext``; the host adds what needs the interface (asking the user to
log in, moving between screens, the one handler for failed workers).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.worker import Worker

    from tui.config import Settings
    from tui.context import ForumContext
    from tui.history import ReadingHistory
    from tui.status import StatusState

T = TypeVar("T")


class ForumHost(Protocol):
    settings: Settings
    context: ForumContext

    @property
    def status(self) -> StatusState: ...

    async def forum_request(self, request: Callable[[], Awaitable[T]]) -> T:
        """Run one forum request (logging in again once when a remembered session expired)."""
        ...

    def ask_to_log_in(self, message: str, then: Callable[[], None]) -> None:
        """A request needs a logged-in user: ask for a log-in, then run ``then``."""
        ...

    def open_board(self, board_id: str, name: str = "", page: int = 1) -> None: ...

    def open_thread(self, thread_id: str, *, page: int = 1, post_id: str | None = None) -> None: ...

    @property
    def history(self) -> ReadingHistory | None:
        """Where each thread was left, per account; None where positions are not kept."""
        ...

    def save_history(self) -> None:
        """Write the reading positions (off the event loop; a failure is said, never raised)."""
        ...

    def toggle_reading_mode(self) -> None:
        """Floors' text only, or with author lines again, on every open thread."""
        ...

    def open_target(self, text: str) -> None:
        """Open what a link or thread id points at, in the app (another site included)."""
        ...

    def open_profile(self, uid: str = "", name: str = "") -> None:
        """A member's profile; without a uid, the account's own."""
        ...

    def go_back(self) -> None:
        """Leave the current screen (never the bottom one of a session)."""
        ...

    def worker_failed(self, node: DOMNode, worker: Worker[object]) -> None:
        """A worker of ``node`` died of an unexpected error: say so and reset its screen."""
        ...


def forum_host(app: App[object]) -> ForumHost:
    """The running app as the host every screen and widget relies on."""
    return cast("ForumHost", app)
