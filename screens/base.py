"""What every screen that loads from the forum shares: a load in a worker, Esc to cancel it,
an inline message line for what went wrong, and the status bar.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from tui.errors import ForumError, LoginRequiredError
from tui.host import ForumHost, forum_host
from widgets.failures import ReportsFailedWorkers
from widgets.forum_text import clean, forum_text
from widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.widgets import DataTable

T = TypeVar("T")
ResultType = TypeVar("ResultType")

LOAD_GROUP = "load"


def next_match(count: int, after: int, matches: Callable[[int], bool]) -> tuple[int, bool] | None:
    """The first index past ``after`` whose item ``matches``, going round to the top once.

    Returns the index and whether the search wrapped; None when nothing matches.
    """
    for step in range(1, count + 1):
        index = (after + step) % count
        if matches(index):
            return index, after + step >= count
    return None


FIND_WRAPPED = "Search went on from the top."


def report_failed_worker(app: App[object], node: DOMNode, worker: Worker[object]) -> None:
    """The one handler for a worker that died of an unexpected error: the error is logged and
    shown, and the screen it ran for puts itself back in a usable state (``recover``)."""
    error = worker.error
    app.log.error(f"worker {worker.name!r} failed: {error!r}")
    message = str(error) if isinstance(error, ForumError) else f"Something went wrong: {error}"
    app.notify(clean(message), title="Not done", severity="error", markup=False)
    screen = node if isinstance(node, Screen) else node.screen
    if isinstance(screen, ForumScreen):
        screen.recover(message)


class ShownAsStyled:
    """For a screen shown as soon as it is built (the app's first, the log-in form): its widgets
    were styled as they were mounted, and Textual would compute every style again as it first
    shows the screen, before that screen's first frame. And such a screen is laid out while the
    app still holds its frames back (start-up runs in ``App.batch_update``): Textual would draw
    the whole screen then and drop it, and the first frame written after would hold only what
    changed since (the form's labels without its fields), so it draws nothing until the hold
    ends and then the whole screen at once.

    List it before ``Screen`` among the bases: Textual calls each class's handler in the order
    of the MRO, and this one must turn ``refresh_styles`` off before ``Screen``'s reads it."""

    _styled_at_mount = True  # until the first ScreenResume

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if self._styled_at_mount:
            self._styled_at_mount = False
            event.refresh_styles = False

    def _compositor_refresh(self) -> None:
        if self.app._batch_count:  # type: ignore[attr-defined]
            self._repaint_required = True  # the whole screen, once the app draws again
            return
        super()._compositor_refresh()  # type: ignore[misc]


class StartScreen(ShownAsStyled, Screen[None]):
    """The app's bottom screen: the splash while connecting at start, under the others after."""


class ForumScreen(Screen[ResultType], ReportsFailedWorkers):
    """A screen whose content comes from the forum through its host (``self.host``).

    Every forum screen derives from it: a title line, a problem line, its body, the status
    bar; failed workers go to the host's handler, which calls ``recover``. Each screen lists
    its own keys (``tui.keys``), Esc included.
    """

    @property
    def host(self) -> ForumHost:
        return forum_host(self.app)

    def recover(self, message: str) -> None:
        """Back to a usable state after a worker failed: say what went wrong here."""
        self.show_problem(message)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between the message line and the status bar."""
        yield from ()

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="screen-title")
        problem = Static(id="problem", classes="problem")
        problem.display = False  # until there is something to say
        yield problem
        yield from self.compose_body()
        yield StatusBar()

    def set_title(self, title: str | Text) -> None:
        """The screen's heading line (pass forum text as ``Text`` so it is never markup)."""
        label = self.query_one("#title", Static)
        if label.content != title:  # an update that may change its size lays the whole screen out again
            width, height = label.styles.width, label.styles.height
            sized = height is not None and not height.is_auto and not (width is not None and width.is_auto)
            label.update(title, layout=not sized)

    def show_problem(self, message: str) -> None:
        """Say what went wrong on the screen itself (plain text, never markup)."""
        problem = self.query_one("#problem", Static)
        shown = forum_text(message)
        if problem.content != shown:  # an update lays the whole screen out again
            problem.update(shown)
        problem.display = bool(message)

    def load(
        self,
        request: Callable[[], Awaitable[T]],
        show: Callable[[T], None],
        *,
        busy: Widget,
        failed: Callable[[ForumError], bool] | None = None,
        reauth: bool = True,
    ) -> Worker[None]:
        """Run a forum request in a worker with ``busy`` showing a loading indicator.

        ``show`` gets the result; a ``ForumError`` is shown inline unless ``failed`` handles it
        (returns True); a request that needs a logged-in user opens the log-in screen and is
        retried after it; anything else goes to the host's handler for failed workers.
        ``reauth=False`` runs the request as is (for the log-in screen itself). A newer load
        replaces a running one.
        """

        async def run() -> None:
            busy.loading = True
            try:
                result = await (self.host.forum_request(request) if reauth else request())
            except ForumError as error:
                if failed is not None and failed(error):
                    return
                self.show_problem(str(error))
                if isinstance(error, LoginRequiredError) and reauth:
                    self.host.ask_to_log_in(
                        str(error), lambda: self.load(request, show, busy=busy, failed=failed)
                    )
                return
            finally:
                busy.loading = False
            self.show_problem("")
            show(result)

        return self.run_worker(run(), group=LOAD_GROUP, exclusive=True, exit_on_error=False)

    @property
    def loading_in_progress(self) -> bool:
        return any(
            worker.node is self
            and worker.group == LOAD_GROUP
            and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for worker in self.workers
        )

    def action_back(self) -> None:
        """Esc cancels a slow load first; otherwise it goes back a screen."""
        if self.loading_in_progress:
            self.workers.cancel_group(self, LOAD_GROUP)
            self.show_problem("Cancelled.")
            return
        self.host.go_back()


class ListScreen(ForumScreen):
    """A forum screen built around one list widget: vim keys, page keys and ``/`` to find.

    Subclasses say how to count rows, read a row's text and move to a row.
    """

    @property
    def list_widget(self) -> Widget:
        raise NotImplementedError

    def row_count(self) -> int:
        raise NotImplementedError

    def row_text(self, row: int) -> str:
        raise NotImplementedError

    def go_to_row(self, row: int) -> None:
        raise NotImplementedError

    def cursor_row(self) -> int:
        raise NotImplementedError

    def action_cursor_down(self) -> None:
        self.go_to_row(min(self.cursor_row() + 1, self.row_count() - 1))

    def action_cursor_up(self) -> None:
        self.go_to_row(max(self.cursor_row() - 1, 0))

    def action_first(self) -> None:
        self.go_to_row(0)

    def action_last(self) -> None:
        self.go_to_row(self.row_count() - 1)

    def action_page_down(self) -> None:
        self.go_to_row(min(self.cursor_row() + self._rows_per_screen(), self.row_count() - 1))

    def action_page_up(self) -> None:
        self.go_to_row(max(self.cursor_row() - self._rows_per_screen(), 0))

    def _rows_per_screen(self) -> int:
        return max(1, self.list_widget.scrollable_content_region.height - 1)

    def _find_box(self) -> Input | None:
        """The find field, once ``/`` has made it (most lists are never searched)."""
        found = self.query("#find").results(Input)
        return next(found, None)

    def action_find(self) -> None:
        find = self._find_box()
        if find is None:
            placeholder = "find: type, Enter for the next match, Esc to close"
            find = Input(placeholder=placeholder, id="find", classes="find")
            self.mount(find)
        find.display = True
        find.value = ""
        find.focus()

    def _find(self, text: str, after: int) -> tuple[int, bool] | None:
        """Move to the first row past ``after`` containing ``text`` (any case), wrapping."""
        wanted = text.casefold()
        if not wanted or not self.row_count():
            return None
        found = next_match(self.row_count(), after, lambda row: wanted in self.row_text(row).casefold())
        if found is not None:
            self.go_to_row(found[0])
        return found

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        """Jump to the first row containing the typed text as it is typed."""
        self._find(event.value, -1)

    @on(Input.Submitted, "#find")
    def _find_next(self, event: Input.Submitted) -> None:
        """Enter goes to the next matching row, going round to the top with a word about it."""
        if not event.value.strip():
            self._close_find()
            return
        found = self._find(event.value, self.cursor_row())
        if found is None:
            self.notify("No row matches.", severity="warning", timeout=3)
        elif found[1]:
            self.notify(FIND_WRAPPED, timeout=3)

    def _close_find(self) -> None:
        self.query_one("#find", Input).display = False
        self.list_widget.focus()

    def action_back(self) -> None:
        find = self._find_box()
        if find is not None and find.display:
            self._close_find()
            return
        super().action_back()


class TableScreen(ListScreen):
    """A list screen whose list is one ``DataTable`` (its id in ``TABLE_ID``), a row per item."""

    TABLE_ID = ""

    @property
    def table(self) -> DataTable[Text]:
        from textual.widgets import DataTable  # loaded with the first table, not on the start path

        return self.query_one(f"#{self.TABLE_ID}", DataTable)

    @property
    def list_widget(self) -> DataTable[Text]:
        return self.table

    def row_count(self) -> int:
        return self.table.row_count

    def row_text(self, row: int) -> str:
        return " ".join(str(cell) for cell in self.table.get_row_at(row))

    def go_to_row(self, row: int) -> None:
        if row >= 0:
            self.table.move_cursor(row=row)

    def cursor_row(self) -> int:
        return self.table.cursor_row
