"""The command palette (Ctrl+P): go to a board, the account's notifications, messages,
favourites, threads and search, open a URL or thread id, switch site or account, log out,
toggle the theme.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.host import forum_host

if TYPE_CHECKING:
    from tui.model import Board, BoardIndex


def _boards(index: BoardIndex | None) -> Iterator[Board]:
    """Every board and subboard the app has seen, in tree order."""
    stack = [board for group in reversed(index.groups) for board in reversed(group.boards)] if index else []
    while stack:
        board = stack.pop()
        yield board
        stack.extend(reversed(board.subboards))


class ForumCommands(Provider):
    """The forum's commands; boards are searchable by name once the board list has loaded.

    The app's own commands run as actions by name, so this module needs only the host.
    """

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """The commands, less the account ones the session cannot give (a site without them)."""
        from tui import engine

        run = self.app.run_action
        needs: dict[str, type] = {
            "Notifications": engine.SupportsNotifications,
            "Messages": engine.SupportsMessages,
            "Favourites": engine.SupportsFavourites,
            "My threads": engine.SupportsMyThreads,
            "Search": engine.SupportsSearch,
            "Profile": engine.SupportsProfiles,
        }
        commands = [
            ("Go to board…", self._pick_board, "Pick a board of this site by name"),
            ("Notifications", partial(run, "notifications"), "Replies, quotes, mentions and site notices"),
            ("Messages", partial(run, "messages"), "Private messages (短消息)"),
            ("Favourites", partial(run, "favourites"), "Threads favourited on the site (收藏)"),
            ("My threads", partial(run, "my_threads"), "Threads I started, or replied to"),
            ("Search", partial(run, "search"), "The site's own search (搜索)"),
            ("Profile", partial(run, "my_profile"), "Your profile: group, credits, counts, signature"),
            (
                "Open thread by URL or id…",
                partial(run, "open_target"),
                "A thread, board or forum URL, or an id",
            ),
            (
                "Switch site or account…",
                partial(run, "switch_site"),
                "The log-in screen with remembered accounts",
            ),
            ("Log out", partial(run, "log_out"), "Log out and forget the saved session and password"),
            ("Toggle theme", partial(run, "toggle_theme"), "Switch between dark and light"),
            ("History", partial(run, "show_history"), "Threads you read, latest first, with new floors"),
            ("Export thread", partial(run, "export_thread"), "The open thread as Markdown in Downloads"),
            (
                "Reading mode",
                forum_host(self.app).toggle_reading_mode,
                "Floors' text only, numbered; again for authors",
            ),
        ]
        session = forum_host(self.app).context.session
        return [
            (name, callback, help_text)
            for name, callback, help_text in commands
            if session is None or name not in needs or engine.offers(session, needs[name])
        ]

    def _pick_board(self) -> None:
        from widgets.forum_text import clean

        host = forum_host(self.app)
        boards = list(_boards(host.context.board_index))
        if not boards:
            self.app.notify("Open the board list first.")
            return
        self.app.search_commands(
            [(clean(board.name), partial(host.open_board, board.id, board.name)) for board in boards],
            placeholder="Board name…",
        )

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
