"""A table screen built from its ``COLUMNS`` and turned page by page with n/p."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from screens.base import TableScreen

MINIMUM_WIDTH = 20  # of the column that takes the rest


class PagedTableScreen(TableScreen):
    """A table shown a page at a time: n/p turn pages, ``action_refresh`` loads ``self.page``."""

    def __init__(self, page: int = 1) -> None:
        super().__init__()
        self.page = max(1, page)
        self.pages = 1

    def action_refresh(self) -> None:
        raise NotImplementedError

    def action_next_page(self) -> None:
        if self.page >= self.pages:
            self.notify("This is the last page.", timeout=2)
            return
        self.page += 1
        self.action_refresh()

    def action_previous_page(self) -> None:
        if self.page <= 1:
            self.notify("This is the first page.", timeout=2)
            return
        self.page -= 1
        self.action_refresh()


class TableListScreen(PagedTableScreen):
    """Rows in the ``COLUMNS`` of one table; the column without a width takes the rest.

    Subclasses load page ``self.page`` in ``action_refresh`` and open the selected row in
    ``action_open``.
    """

    TABLE_ID = "rows"
    COLUMNS: tuple[tuple[str, str, int | None], ...] = ()  # (label, key, width or None = the rest)

    def compose_body(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(id=self.TABLE_ID, cursor_type="row", zebra_stripes=True)
        for label, key, width in self.COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table

    def on_resize(self) -> None:
        self.fit_columns()

    def fit_columns(self) -> None:
        """The first column without a width takes what the others leave."""
        flexible = next((key for _, key, width in self.COLUMNS if width is None), None)
        if flexible is None:
            return
        table = self.table
        columns = table.columns
        fixed = sum(column.get_render_width(table) for key, column in columns.items() if key != flexible)
        column = columns[flexible]
        column.auto_width = False
        column.width = max(MINIMUM_WIDTH, self.size.width - fixed - 2 * table.cell_padding - 2)
        table.refresh()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        raise NotImplementedError
