"""The account's own lists: notifications, favourites, my threads and private messages.

Each is a ``PagedListScreen``: one table, paged with n/p, ``/`` to find, ``r`` to reload,
Esc to stop a load. Guests get the forum's "log in first" as a log-in screen that comes back
here after logging in (``ForumScreen.load`` does that).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Generic, TypeVar

from rich.text import Text

from screens.open_target import OpenTargetScreen
from screens.table_list import TableListScreen
from screens.thread_list import COUNTS_WIDTH, thread_row
from tui import keys
from tui.engine import (
    ForumSession,
    SupportsFavourites,
    SupportsMessages,
    SupportsMyThreads,
    SupportsNotifications,
    capability_gap,
)
from tui.errors import AlreadyDoneError, ForumError, PermissionDeniedError
from tui.model import Board, Conversation, Notice, NoticeKind, Page, PrivateMessage, ThreadSummary
from widgets.forum_text import forum_text

T = TypeVar("T")

NOTICE_KINDS = {
    NoticeKind.REPLY: "reply",
    NoticeKind.QUOTE: "quote",
    NoticeKind.MENTION: "@ you",
    NoticeKind.SYSTEM: "system",
    NoticeKind.OTHER: "",
}


async def toggle_favourite(session: ForumSession, thread_id: str) -> str:
    """Add a thread to the site's favourites, or take it out when it is there already; says which.

    Raises ``ForumError`` (a guest gets ``LoginRequiredError``)."""
    if gap := capability_gap(session, SupportsFavourites, "favourites"):
        raise PermissionDeniedError(gap)
    try:
        await session.add_favourite_thread(thread_id)
    except AlreadyDoneError:
        await session.remove_favourite_thread(thread_id)
        return "Removed from your favourites."
    return "Added to your favourites."


def unread_mark(unread: bool) -> Text:
    return Text("●", style="bold green") if unread else Text("")


class PagedListScreen(TableListScreen, Generic[T]):
    """A page of the account's things in a table; subclasses say what to fetch and show."""

    BINDINGS = keys.bindings(keys.PAGED_KEYS)
    HEADING = ""
    EMPTY = "Nothing here."
    CAPABILITY: type | None = None  # the engine protocol the screen needs; the app checks it
    FEATURE = ""  # what the screen shows, for "This forum does not offer …"
    ROW_HEIGHT: int | None = 1  # None: as tall as the row's text

    def __init__(self) -> None:
        super().__init__()
        self.items: list[T] = []

    def heading(self) -> Text:
        return Text(self.HEADING, style="bold")

    def fetch(self, session: ForumSession, page: int) -> Awaitable[Page[T]]:
        raise NotImplementedError

    def cells(self, item: T) -> tuple[Text, ...]:
        raise NotImplementedError

    def open_item(self, item: T) -> None:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.set_title(self.heading())
        self.start()

    def start(self) -> None:
        """What the screen does once shown: load its first page."""
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.host.status.set_page(self.page, self.pages)

    def action_refresh(self) -> None:
        page = self.page
        self.load(
            lambda: self.fetch(self.host.context.require_session(), page), self.show_page, busy=self.table
        )

    def show_page(self, listing: Page[T]) -> None:
        self.items = list(listing.items)
        self.page, self.pages = max(1, listing.page), max(1, listing.pages, listing.page)
        self.set_title(self.heading())
        table = self.table
        table.clear()
        for item in self.items:
            table.add_row(*self.cells(item), height=self.ROW_HEIGHT)
        if not self.items:
            self.show_problem(self.EMPTY)
        self.host.status.set_page(self.page, self.pages)
        table.focus()

    def selected(self) -> T | None:
        row = self.table.cursor_row
        return self.items[row] if self.items and 0 <= row < len(self.items) else None

    def action_open(self) -> None:
        item = self.selected()
        if item is not None:
            self.open_item(item)


class NotificationsScreen(PagedListScreen[Notice]):
    """提醒: replies, quotes, mentions and system notices, unread first. Enter opens the floor."""

    HEADING = "Notifications"
    EMPTY = "No notifications."
    CAPABILITY = SupportsNotifications
    FEATURE = "notifications"
    COLUMNS = (("", "mark", 2), ("Kind", "kind", 7), ("Notice", "text", None), ("When", "time", 17))

    def fetch(self, session: ForumSession, page: int) -> Awaitable[Page[Notice]]:
        return session.notifications(page)

    def cells(self, item: Notice) -> tuple[Text, ...]:
        return (
            unread_mark(item.unread),
            Text(NOTICE_KINDS[item.kind], style="dim"),
            forum_text(item.text, style="bold" if item.unread else ""),
            forum_text(item.time.text if item.time else "", style="dim"),
        )

    def open_item(self, item: Notice) -> None:
        if item.thread_id:
            self.host.open_thread(item.thread_id, post_id=item.post_id or None)
        else:
            self.notify("This notice points at no thread.", timeout=3)


class ThreadPageScreen(PagedListScreen[ThreadSummary]):
    """A page of threads (favourites, my threads) in the thread list's columns."""

    COLUMNS = (
        ("", "marks", 3),
        ("Subject", "subject", None),
        ("Author", "author", 12),
        ("Re/Views", "counts", COUNTS_WIDTH),
        ("Last reply", "last", 22),
    )

    def cells(self, item: ThreadSummary) -> tuple[Text, ...]:
        return thread_row(item)

    def open_item(self, item: ThreadSummary) -> None:
        self.host.open_thread(item.id)


class FavouritesScreen(ThreadPageScreen):
    """收藏: threads favourited on the site. ``x`` removes the selected one there."""

    BINDINGS = keys.bindings(keys.FAVOURITES_KEYS)
    HEADING = "Favourite threads"
    EMPTY = "No favourite threads yet: press F in a thread to add it."
    CAPABILITY = SupportsFavourites
    FEATURE = "favourites"

    def fetch(self, session: ForumSession, page: int) -> Awaitable[Page[ThreadSummary]]:
        return session.favourite_threads(page)

    def heading(self) -> Text:
        return Text.assemble((self.HEADING, "bold"), ("   b: favourite boards", "dim"))

    def action_favourite_boards(self) -> None:
        self.app.push_screen(FavouriteBoardsScreen())

    def action_remove(self) -> None:
        thread = self.selected()
        if thread is None:
            return

        async def remove() -> None:
            try:
                await self.host.forum_request(
                    lambda: self.host.context.require_session().remove_favourite_thread(thread.id)
                )
            except ForumError as error:
                self.show_problem(str(error))
                return
            self.notify("Removed from your favourites.", timeout=3)
            self.action_refresh()

        self.run_worker(remove(), group="remove", exclusive=True, exit_on_error=False)


class FavouriteBoardsScreen(PagedListScreen[Board]):
    """Boards favourited on the site (the board list's pins are the app's own and separate)."""

    HEADING = "Favourite boards on the site"
    EMPTY = "No boards favourited on the site."
    CAPABILITY = SupportsFavourites
    FEATURE = "favourites"
    COLUMNS = (("Board", "name", None),)

    def fetch(self, session: ForumSession, page: int) -> Awaitable[Page[Board]]:
        return session.favourite_boards(page)

    def cells(self, item: Board) -> tuple[Text, ...]:
        return (forum_text(item.name or f"board {item.id}"),)

    def open_item(self, item: Board) -> None:
        self.host.open_board(item.id, item.name)


class MyThreadListScreen(ThreadPageScreen):
    """My threads, or (``t``) the threads I replied to."""

    BINDINGS = keys.bindings(keys.MY_THREADS_KEYS)
    EMPTY = "Nothing posted yet."
    CAPABILITY = SupportsMyThreads
    FEATURE = "a list of your threads"

    def __init__(self, *, replies: bool = False) -> None:
        super().__init__()
        self.replies = replies

    def heading(self) -> Text:
        title = Text("My replies" if self.replies else "My threads", style="bold")
        title.append("   t: " + ("my threads" if self.replies else "my replies"), style="dim")
        return title

    def fetch(self, session: ForumSession, page: int) -> Awaitable[Page[ThreadSummary]]:
        return session.my_threads(page, replied=self.replies)

    def open_item(self, item: ThreadSummary) -> None:
        """A thread I replied to opens at my latest reply in it (the thread read by my posts)."""
        if not self.replies:
            super().open_item(item)
            return
        host = self.host
        session = host.context.require_session()
        me = session.user.uid

        async def open_at_mine() -> None:
            try:
                mine = await host.forum_request(lambda: session.thread_page(item.id, 1, author_id=me))
                if mine.pages > 1:
                    last = mine.pages
                    mine = await host.forum_request(lambda: session.thread_page(item.id, last, author_id=me))
            except ForumError:
                mine = None  # the thread itself still opens
            post_id = mine.posts[-1].id if mine is not None and mine.posts else None
            host.open_thread(item.id, post_id=post_id)

        self.run_worker(open_at_mine(), group="open", exclusive=True, exit_on_error=False)

    def action_toggle_replies(self) -> None:
        self.replies = not self.replies
        self.page = 1
        self.set_title(self.heading())
        self.action_refresh()


class MessagesScreen(PagedListScreen[Conversation]):
    """短消息: conversations, newest first. Enter opens one; ``c`` writes to someone new."""

    BINDINGS = keys.bindings(keys.MESSAGES_KEYS)
    HEADING = "Messages"
    EMPTY = "No messages."
    CAPABILITY = SupportsMessages
    FEATURE = "private messages"
    COLUMNS = (
        ("", "mark", 2),
        ("With", "with", 14),
        ("Last message", "text", None),
        ("When", "time", 17),
        ("#", "count", 4),
    )

    def fetch(self, session: ForumSession, page: int) -> Awaitable[Page[Conversation]]:
        return session.conversations(page)

    def cells(self, item: Conversation) -> tuple[Text, ...]:
        return (
            unread_mark(item.unread),
            forum_text(item.with_name),
            forum_text(" ".join(item.last_message.split()), style="bold" if item.unread else ""),
            forum_text(item.last_time.text if item.last_time else "", style="dim"),
            Text(str(item.count or ""), justify="right"),
        )

    def open_item(self, item: Conversation) -> None:
        self.app.push_screen(
            ConversationScreen(item.with_uid, item.with_name), callback=lambda _: self.action_refresh()
        )

    def action_write_message(self) -> None:
        def chosen(name: str | None) -> None:
            if name:
                write_message(self, to_name=name)

        self.app.push_screen(
            OpenTargetScreen("Write a message to whom? (their user name)", "user name"), callback=chosen
        )


def write_message(screen: PagedListScreen, *, to_uid: str = "", to_name: str = "") -> None:
    """The composer for a private message; the list reloads after it is sent."""
    from screens.composer import ComposerScreen

    session = screen.host.context.session
    if session is None:
        return

    def sent(result: object) -> None:
        if result:
            screen.notify("Message sent.", timeout=3)
            screen.action_refresh()

    screen.app.push_screen(
        ComposerScreen.private_message(session, to_uid=to_uid, to_name=to_name), callback=sent
    )


class ConversationScreen(PagedListScreen[PrivateMessage]):
    """One conversation, oldest message first like a chat; ``c`` (or Enter) writes a reply,
    ``u`` shows the other user's profile."""

    BINDINGS = keys.bindings(keys.CONVERSATION_KEYS)
    EMPTY = "No messages with this user yet: press c to write one."
    COLUMNS = (("From", "from", 14), ("Message", "text", None), ("When", "time", 17))
    ROW_HEIGHT = None

    def __init__(self, with_uid: str, with_name: str) -> None:
        super().__init__()
        self.with_uid = with_uid
        self.with_name = with_name

    def heading(self) -> Text:
        return Text.assemble(
            ("Messages with ", "bold"), forum_text(self.with_name or f"user {self.with_uid}")
        )

    def fetch(self, session: ForumSession, page: int) -> Awaitable[Page[PrivateMessage]]:
        return session.conversation(self.with_uid, page)

    def show_page(self, listing: Page[PrivateMessage]) -> None:
        listing.items.sort(key=lambda message: int(message.id) if message.id.isdigit() else 0)
        super().show_page(listing)
        self.go_to_row(self.row_count() - 1)

    def cells(self, item: PrivateMessage) -> tuple[Text, ...]:
        mine = item.from_uid != self.with_uid
        return (
            forum_text(item.from_name, style="bold cyan" if mine else "bold"),
            forum_text(item.text),
            forum_text(item.time.text if item.time else "", style="dim"),
        )

    def open_item(self, item: PrivateMessage) -> None:
        self.action_write_message()

    def action_write_message(self) -> None:
        write_message(self, to_uid=self.with_uid, to_name=self.with_name)

    def action_profile(self) -> None:
        self.host.open_profile(self.with_uid, self.with_name)
