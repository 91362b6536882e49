"""The threads this account read, newest first: the last floor read and how many floors are
new since. Enter opens a thread where reading stopped."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from screens.base import TableScreen
from tui import keys
from tui.errors import ForumError
from tui.history import ReadEntry, account_key
from tui.model import Timestamp
from tui.times import shown_time
from widgets.forum_text import forum_text

CHECKED_AT_ONCE = 3  # thread counts asked of the forum at a time
CHECKED_MOST = 40  # only the newest entries are checked: each costs a request


def new_floors_text(entry: ReadEntry, floors_now: int | None) -> Text:
    """"+3 new" when the thread grew since it was read, "–" when not, "…" while asking."""
    if floors_now is None:
        return Text("…", style="dim")
    grown = floors_now - entry.floors
    return Text(f"+{grown} new", style="bold green") if grown > 0 else Text("–", style="dim")


class HistoryScreen(TableScreen):
    """Every thread read on this site with this account, the latest first."""

    TABLE_ID = "history"

    BINDINGS = keys.bindings((keys.BACK, *keys.LIST_KEYS))

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[ReadEntry] = []
        self.floors_now: dict[str, int] = {}

    def compose_body(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(id="history", cursor_type="row", zebra_stripes=True)
        for label, key in (("Thread", "subject"), ("Last read", "floor"), ("New", "new"), ("When", "when")):
            table.add_column(label, key=key)
        yield table

    def on_mount(self) -> None:
        session, history = self.host.context.session, self.host.history
        self.set_title(Text("Threads you read, latest first", style="bold"))
        if session is None or history is None:
            self.show_problem("Open a forum first.")
            return
        self.entries = history.entries(account_key(session.site_url, session.user.uid))
        if not self.entries:
            self.show_problem("No threads read yet with this account on this site.")
        self._fill()
        self.table.focus()
        self.run_worker(self._check_new_floors(), group="counts", exit_on_error=False)

    def _fill(self) -> None:
        table, row = self.table, self.table.cursor_row
        table.clear()
        site_info = self.host.context.site_info
        language = site_info.language if site_info else "en"
        for entry in self.entries:
            read = Timestamp("", datetime.fromtimestamp(entry.read_at, UTC))
            table.add_row(
                forum_text(entry.subject or f"Thread {entry.thread_id}"),
                Text(f"#{entry.floor} of {entry.floors}"),
                new_floors_text(entry, self.floors_now.get(entry.thread_id)),
                Text(shown_time(read, language=language), style="dim"),
                key=entry.thread_id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    async def _check_new_floors(self) -> None:
        """Ask the forum how many floors each listed thread has now (one small page each)."""
        session = self.host.context.session
        slots = asyncio.Semaphore(CHECKED_AT_ONCE)

        async def count(entry: ReadEntry) -> None:
            async with slots:
                try:
                    first = lambda: session.thread_page(entry.thread_id, 1, page_size=1)  # noqa: E731
                    page = await self.host.forum_request(first)
                except ForumError:
                    self.floors_now[entry.thread_id] = entry.floors  # unknown: shown as nothing new
                    return
            self.floors_now[entry.thread_id] = page.thread.replies + 1
            self.table.update_cell(entry.thread_id, "new", new_floors_text(entry, page.thread.replies + 1))

        if session is not None:
            await asyncio.gather(*(count(entry) for entry in self.entries[:CHECKED_MOST]))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        row = self.table.cursor_row
        if 0 <= row < len(self.entries):
            self.host.open_thread(self.entries[row].thread_id)
