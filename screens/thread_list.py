"""A board's thread list: one row per thread with its marks, paged, sortable, digest filter.

Marks: ↑ sticky, ◆ digest, ✕ closed, % poll, @ attachment, ● new since your last visit;
highlighted threads show their subject in colour. Where the list does not say which threads are
closed (the mobile API), ✕ shows what each thread's own page last said.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from screens.table_list import PagedTableScreen
from tui import keys
from tui.history import account_key
from tui.model import ReplyResult, ThreadList, ThreadOrder, ThreadSummary
from tui.visits import BoardVisits, ClosedThreads
from widgets.forum_text import forum_text

ORDER_NAMES = {
    ThreadOrder.LAST_REPLY: "last reply",
    ThreadOrder.NEWEST: "newest",
    ThreadOrder.MOST_REPLIES: "most replies",
    ThreadOrder.MOST_VIEWS: "most views",
}
ORDERS = tuple(ORDER_NAMES)
LEGEND = "↑ sticky  ◆ digest  ✕ closed  % poll  @ attachment  ● new"
SUBJECT_MIN = 20
AUTHOR_MAX = 14
LAST_REPLY_MAX = 26
COUNTS_WIDTH = 10  # "Re/Views" of the account and search lists: "9999/99.9k" whole


def thread_marks(thread: ThreadSummary) -> Text:
    marks = Text(no_wrap=True)
    for shown, mark, style in (
        (thread.is_new, "●", "bold green"),
        (thread.sticky > 0, "↑", "bold"),
        (thread.digest > 0, "◆", "yellow"),
        (thread.closed, "✕", "red"),
        (thread.poll, "%", ""),
        (thread.has_attachment or thread.has_image, "@", ""),
    ):
        if shown:
            marks.append(mark, style=style)
    return marks


def thread_row(thread: ThreadSummary) -> tuple[Text, Text, Text, Text, Text]:
    """The cells of one row; every forum string stays literal text."""
    subject_style = "bold" if thread.is_new else ""
    if thread.highlighted:
        subject_style += " magenta"
    subject = forum_text(thread.subject, style=subject_style.strip())
    if thread.thread_type:
        subject = Text.assemble(forum_text(f"[{thread.thread_type}] ", style="dim"), subject)
    last = thread.last_reply.text if thread.last_reply else ""
    last_reply = forum_text(last, style="dim")
    if thread.last_poster:
        last_reply.append(" ")
        last_reply.append_text(forum_text(thread.last_poster))
    counts = Text(f"{abbreviated(thread.replies)}/{abbreviated(thread.views)}", justify="right")
    for cell in (subject, last_reply):
        cell.no_wrap, cell.overflow = True, "ellipsis"
    author = forum_text(thread.author)
    author.no_wrap, author.overflow = True, "ellipsis"
    return thread_marks(thread), subject, author, counts, last_reply


def abbreviated(count: int) -> str:
    """A count in at most six characters: 9999, 10.4k, 999.9k, 1.2M; never cut."""
    for limit, unit in ((1_000_000_000, "G"), (1_000_000, "M"), (10_000, "k")):
        if count >= limit:
            scale = limit if unit != "k" else 1000
            value = f"{count / scale:.1f}".removesuffix(".0")
            return f"{value}{unit}"
    return str(count)


def column_widths(available: int, wanted: dict[str, int]) -> dict[str, int]:
    """Widths for the thread list's columns: the subject gets the room, the others their
    content, with "Last reply" and then "Author" giving way on a narrow terminal."""
    widths = dict(wanted)
    widths["author"] = min(widths["author"], AUTHOR_MAX)
    widths["last"] = min(widths["last"], LAST_REPLY_MAX)
    subject_floor = max(SUBJECT_MIN, available // 2)
    for key, least in (("last", 10), ("author", 8)):
        spare = available - sum(width for k, width in widths.items() if k != "subject") - subject_floor
        if spare < 0:
            widths[key] = max(least, widths[key] + spare)
    widths["subject"] = max(SUBJECT_MIN, available - sum(w for k, w in widths.items() if k != "subject"))
    return widths


class ThreadListScreen(PagedTableScreen):
    """One board's threads. Enter opens a thread; ``c`` starts a new one."""

    TABLE_ID = "threads"

    BINDINGS = keys.bindings(keys.THREAD_LIST_KEYS)

    def __init__(self, board_id: str, *, name: str = "", page: int = 1) -> None:
        super().__init__(page)
        self.board_id = board_id
        self.board_name = name
        self.order = ThreadOrder.LAST_REPLY
        self.digest_only = False
        self.listing: ThreadList | None = None
        self.since: float | None = None  # the newest reply seen on the last visit ("new" is newer)

    def compose_body(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(id="threads", cursor_type="row", zebra_stripes=True)
        for label, key in (("", "marks"), ("Subject", "subject"), ("Author", "author"),
                           ("Re/Views", "counts"), ("Last reply", "last")):  # fmt: skip
            table.add_column(label, key=key)
        yield table
        yield Static(Text(LEGEND), id="legend")

    def on_mount(self) -> None:
        self._update_title()
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.listing is not None:
            self.host.status.set_page(self.page, self.pages)
            self._mark_closed(self.listing, redraw=True)  # a thread opened meanwhile may have said so

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Size every column to its content; the subject takes what the others leave."""
        table = self.table
        columns = table.columns
        wanted = {str(key.value): column.label.cell_len for key, column in columns.items()}
        for row in range(table.row_count):
            for key, cell in zip(wanted, table.get_row_at(row), strict=True):
                wanted[key] = max(wanted[key], cell.cell_len)
        padding = 2 * table.cell_padding * len(columns)
        widths = column_widths(self.size.width - padding - 2, wanted)  # 2: the scroll bar
        for key, column in columns.items():
            column.auto_width = False
            column.width = widths[str(key.value)]
        table.refresh(layout=True)

    def _update_title(self) -> None:
        title = forum_text(self.board_name or f"Board {self.board_id}", style="bold")
        title.append(f"  sorted by {ORDER_NAMES[self.order]}", style="dim")
        if self.digest_only:
            title.append("  digest only", style="yellow")
        self.set_title(title)

    def action_refresh(self) -> None:
        context, page, order, digest = self.host.context, self.page, self.order, self.digest_only
        size = self.host.settings.threads_per_page or None
        asked = {"board": self.board_id, "page": page, "order": order.value, "digest": digest, "size": size}
        self.load(
            lambda: context.read_saved(
                "thread_list",
                asked,
                ThreadList,
                lambda: context.require_session().thread_list(
                    self.board_id, page, order=order, digest_only=digest, page_size=size
                ),
            ),
            self._show_listing,
            busy=self.table,
        )

    def _show_listing(self, listing: ThreadList) -> None:
        self.listing = listing
        self.page, self.pages = listing.page, max(1, listing.pages)
        if listing.board.name:
            self.board_name = listing.board.name
        if listing.user is not None:
            self.host.context.signed_in(listing.user)
        self._update_title()
        since = self._last_visit(listing)
        self._mark_closed(listing, redraw=False)
        table = self.table
        table.clear()
        for thread in listing.threads:
            reply = thread.last_reply.exact if thread.last_reply else None
            thread.is_new = thread.is_new or bool(since and reply and reply.timestamp() > since)
            table.add_row(*thread_row(thread), key=thread.id)
        self._fit_columns()
        if not listing.threads:
            self.show_problem("No threads here.")
        self.host.status.set_page(self.page, self.pages)
        table.focus()

    def _last_visit(self, listing: ThreadList) -> float:
        """The newest reply this account had seen in this board before now (0: never visited),
        in the forum's own clock; the visit is noted the first time the screen shows a list,
        so later pages and reloads keep their marks."""
        replies = [thread.last_reply.exact.timestamp() for thread in listing.threads
                   if thread.last_reply and thread.last_reply.exact]  # fmt: skip
        if self.since is None:
            account = self._account()
            visits = BoardVisits()
            self.since = visits.last(account, self.board_id) or 0.0
            try:
                visits.visit(account, self.board_id, max([self.since, *replies]))
            except OSError as error:
                self.notify(f"The visit could not be noted: {error}", severity="warning", markup=False)
        return self.since

    def _account(self) -> str:
        session = self.host.context.session
        return account_key(session.site_url, session.user.uid) if session else ""

    def _mark_closed(self, listing: ThreadList, *, redraw: bool) -> None:
        """On a list that does not say which threads are closed, mark those whose own page last
        said so; ``redraw`` updates the marks already on screen."""
        if listing.marks_closed:
            return
        closed = ClosedThreads().of(self._account())
        for thread in listing.threads:
            if thread.closed != (thread.id in closed):
                thread.closed = not thread.closed
                if redraw and thread.id in self.table.rows:
                    self.table.update_cell(thread.id, "marks", thread_marks(thread))

    def _selected_thread(self) -> ThreadSummary | None:
        if self.listing is None or not self.table.row_count:
            return None
        row = self.table.cursor_row
        return self.listing.threads[row] if 0 <= row < len(self.listing.threads) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        thread = self._selected_thread()
        if thread is not None:
            self.host.open_thread(thread.id)

    def action_sort(self) -> None:
        """Cycle last reply → newest → most replies → most views."""
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self.page = 1
        self._update_title()
        self.action_refresh()

    def action_digest(self) -> None:
        self.digest_only = not self.digest_only
        self.page = 1
        self._update_title()
        self.action_refresh()

    def action_new_thread(self) -> None:
        from screens.composer import ComposerScreen

        session = self.host.context.session
        if session is None or session.user.is_guest:
            self.host.ask_to_log_in("Log in to start a new thread.", self.action_new_thread)
            return
        types = self.listing.thread_types if self.listing else []
        self.app.push_screen(
            ComposerScreen.new_thread(session, self.board_id, types, self.board_name),
            callback=self._thread_posted,
        )

    def _thread_posted(self, result: object) -> None:
        """A new thread opens (the list behind it is read again for when the reader comes back)."""
        self.action_refresh()
        if isinstance(result, ReplyResult) and result.thread_id:
            self.host.open_thread(result.thread_id)
