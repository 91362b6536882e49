"""The board list: groups → boards → subboards, with today's posts and thread/post counts.

Boards the user pins with ``f`` are listed first under "Pinned"; members-only boards carry a
mark. The pins are a local list per site (the forum has no API to list favourite boards).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from screens.base import ListScreen
from tui import keys
from tui.model import Board, BoardIndex
from tui.pins import BoardPins
from tui.words import counted
from widgets.forum_text import clean, forum_text

MEMBERS_ONLY_MARK = "🔒"


def board_label(board: Board) -> Text:
    """Name, members-only mark, today's posts and totals, all forum text kept literal."""
    label = forum_text(board.name, style="bold")
    if board.members_only:
        label.append(f" {MEMBERS_ONLY_MARK} members only", style="dim")
    if board.today_posts:
        label.append(f"  +{board.today_posts} today", style="bold green")
    counts = [
        counted(number, what) for number, what in ((board.threads, "thread"), (board.posts, "post")) if number
    ]
    if counts:
        label.append("  " + " · ".join(counts), style="dim")
    return label


class BoardTree(Tree[Board]):
    """The board tree; Enter on a board opens it (Tree's own Enter toggles groups)."""

    def __init__(self) -> None:
        super().__init__(Text("boards"), id="boards")  # Text: a str label is parsed as markup
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 3


class BoardsScreen(ListScreen):
    """The site's boards. Enter opens a board's thread list."""

    BINDINGS = keys.bindings(keys.BOARD_KEYS)

    def __init__(self) -> None:
        super().__init__()
        self.pins = BoardPins()

    def compose_body(self) -> ComposeResult:
        yield BoardTree()

    @property
    def tree(self) -> BoardTree:
        return self.query_one(BoardTree)

    @property
    def list_widget(self) -> BoardTree:
        return self.tree

    def row_count(self) -> int:
        return self.tree.last_line + 1

    def row_text(self, row: int) -> str:
        node = self.tree.get_node_at_line(row)
        return node.label.plain if node is not None else ""

    def go_to_row(self, row: int) -> None:
        if 0 <= row < self.row_count():
            self.tree.move_cursor_to_line(row)

    def cursor_row(self) -> int:
        return self.tree.cursor_line

    def on_mount(self) -> None:
        self.set_title("Boards")
        self.host.status.clear_page()
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.host.status.clear_page()

    def action_refresh(self) -> None:
        context = self.host.context
        self.load(
            lambda: context.read_saved(
                "board_index", {}, BoardIndex, lambda: context.require_session().board_index()
            ),
            self._show_index,
            busy=self.tree,
        )

    def _site_key(self) -> str:
        from tui.accounts import site_key

        return site_key(self.host.context.session.site_url) if self.host.context.session else ""

    def _show_index(self, index: BoardIndex) -> None:
        self.host.context.board_index = index
        if index.user is not None:
            self.host.context.signed_in(index.user)
        tree = self.tree
        tree.clear()
        pinned = [board for pin in self.pins.for_site(self._site_key()) if (board := index.find(pin))]
        if pinned:
            pins = tree.root.add(Text("Pinned", style="bold"), expand=True)
            for board in pinned:
                pins.add_leaf(board_label(board), data=board)
        for group in index.groups:
            branch = tree.root.add(forum_text(group.name, style="bold underline"), expand=True)
            for board in group.boards:
                self._add_board(branch, board)
        tree.focus()
        self.go_to_row(1 if tree.root.children else 0)  # now: Enter pressed as the list shows opens it
        site = self.host.context.site_info
        self.set_title(forum_text(site.name if site and site.name else "Boards"))
        if not pinned and not any(group.boards for group in index.groups):
            self._show_no_boards(index)

    def _show_no_boards(self, index: BoardIndex) -> None:
        """An index with no boards: say so, and offer the log-in form to a guest."""
        if index.user is None or index.user.is_guest:
            message = "This forum shows no boards to you. Log in to see more."
            self.show_problem(message)
            self.host.ask_to_log_in(message, self.action_refresh)
        else:
            self.show_problem("This forum shows no boards to you. Press r to load the list again.")

    def _add_board(self, parent: TreeNode[Board], board: Board) -> None:
        if board.subboards:
            node = parent.add(board_label(board), data=board, expand=True)
            for sub in board.subboards:
                self._add_board(node, sub)
        else:
            parent.add_leaf(board_label(board), data=board)

    def _cursor_board(self) -> Board | None:
        node = self.tree.cursor_node
        return node.data if node is not None else None

    def on_tree_node_selected(self, event: Tree.NodeSelected[Board]) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the board under the cursor; on a group heading, fold or unfold it."""
        board = self._cursor_board()
        if board is not None:
            self.host.open_board(board.id, name=board.name)
        elif self.tree.cursor_node is not None:
            self.tree.cursor_node.toggle()

    def action_favourite(self) -> None:
        board = self._cursor_board()
        if board is None:
            self.notify("This is a group heading: move to one of its boards to pin it.", timeout=3)
            return
        pinned = self.pins.toggle(self._site_key(), board.id)
        self.notify(f"{'Pinned' if pinned else 'Unpinned'}: {clean(board.name)}", markup=False)
        if self.host.context.board_index is not None:
            self._show_index(self.host.context.board_index)
