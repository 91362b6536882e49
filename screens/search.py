"""搜索: the site's own search. Words and an optional author; from a thread list the search is
limited to that board unless the box is unticked. Enter on a hit opens the thread at the
matching floor: the one the site names, else the first floor holding the words."""

from __future__ import annotations

from collections.abc import Awaitable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input

from screens.account import PagedListScreen
from screens.thread_list import COUNTS_WIDTH
from tui.engine import ForumSession, SupportsSearch
from tui.errors import ForumError
from tui.model import Page, SearchQuery, SearchResult
from widgets.forum_text import forum_text

SNIPPET_LENGTH = 120


class SearchScreen(PagedListScreen[SearchResult]):
    """Type, Enter, then pick a hit; n/p page through the results."""

    EMPTY = "Nothing found."
    CAPABILITY = SupportsSearch
    FEATURE = "search"
    COLUMNS = (
        ("Thread", "subject", None),
        ("Board", "board", 12),
        ("Author", "author", 10),
        ("Re/Views", "counts", COUNTS_WIDTH),
        ("Date", "time", 16),
    )
    ROW_HEIGHT = 2
    CSS_PATH = "search.tcss"

    def __init__(self, *, board_id: str = "", board_name: str = "", text: str = "") -> None:
        super().__init__()
        self.board_id = board_id
        self.board_name = board_name
        self.search_query = SearchQuery(text=text, board_id=board_id)

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="search-form"):
            yield Input(
                self.search_query.text, placeholder="Words to search for, then Enter", id="search-text"
            )
            yield Input(placeholder="Author (optional)", id="search-author")
            if self.board_id:
                label = f"Only in {self.board_name}" if self.board_name else "Only in this board"
                yield Checkbox(label, value=True, id="search-board")
        yield from super().compose_body()

    def heading(self) -> Text:
        if not (self.search_query.text or self.search_query.author):
            return Text("Search", style="bold")
        title = Text("Search: ", style="bold")
        title.append_text(forum_text(self.search_query.describe()))
        return title

    def start(self) -> None:
        """Search at once when opened with words, else wait for them."""
        if self.search_query.text:
            self.action_refresh()
        else:
            self.query_one("#search-text", Input).focus()

    @on(Input.Submitted, "#search-text")
    @on(Input.Submitted, "#search-author")
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        only_board = self.board_id and self.query_one("#search-board", Checkbox).value
        self.search_query = SearchQuery(
            text=self.query_one("#search-text", Input).value.strip(),
            author=self.query_one("#search-author", Input).value.strip(),
            board_id=self.board_id if only_board else "",
        )
        self.page = 1
        self.items = []
        self.table.clear()  # the last search's hits must not pass for this one's
        self.action_refresh()

    def action_refresh(self) -> None:
        if not (self.search_query.text or self.search_query.author):
            self.show_problem("Type words (or an author) to search for, then press Enter.")
            return
        self.set_title(self.heading())
        super().action_refresh()

    def fetch(self, session: ForumSession, page: int) -> Awaitable[Page[SearchResult]]:
        return session.search(self.search_query, page)

    def cells(self, item: SearchResult) -> tuple[Text, ...]:
        thread = forum_text(item.subject, style="bold")
        snippet = " ".join(item.snippet.split())
        if snippet:
            thread.append("\n")
            thread.append_text(forum_text(snippet[:SNIPPET_LENGTH], style="dim"))
        counts = "" if item.replies is None else f"{item.replies}/{item.views or 0}"
        return (
            thread,
            forum_text(item.board),
            forum_text(item.author),
            Text(counts, justify="right"),
            forum_text(item.time.text if item.time else "", style="dim"),
        )

    def open_item(self, item: SearchResult) -> None:
        if item.post_id or not self.search_query.text:
            self.host.open_thread(item.thread_id, post_id=item.post_id or None)
            return
        words = self.search_query.text

        async def open_at_match() -> None:
            self.host.status.set_activity("Finding the matching floor…")
            try:
                post_id = await self.host.forum_request(
                    lambda: self.host.context.require_session().first_floor_matching(item.thread_id, words)
                )
            except ForumError:
                post_id = ""  # the thread itself still opens
            finally:
                self.host.status.set_activity("")
            self.host.open_thread(item.thread_id, post_id=post_id or None)

        self.run_worker(open_at_match(), group="open", exclusive=True, exit_on_error=False)
