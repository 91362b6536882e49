"""The posts of a thread as an endless list that only ever holds a few pages.

A 5,000-post thread must open as fast as a short one and keep memory flat, so the view
never holds the whole thread: it fetches one page at a time (when the reader reaches an
end, or jumps), places it, and lets go of the page farthest away once more than
``max_pages`` are held (but never of one within a screen of the view: a tall view holds
more). Each page starts with a visible page marker. Removing or adding pages above the
reader keeps the floor they are reading where it was on screen.

The pages held are drawn by one ``FloorBlock`` while they are only text: placing a page adds
its lines at the block's end and letting one go takes them from its start, with no widget
mounted or removed; a page with a poll, images under its floors or no posts has widgets of its
own. A page already parsed is placed while the key asking for it is handled.

While the reader is on the last page held, the next few are fetched ahead and kept parsed, and
the next one is laid out below it: ``n`` or scrolling past the end finds it there without
waiting on the network, and a page placed from memory needs no fetch even when keys come
faster than the forum answers. Fetched pages stay parsed in a small in-memory cache
(``PARSED_PAGES``, least recently used out), so going back to a page let go costs the forum
nothing either.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TypeGuard, TypeVar

from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerError

from tui.content import Document, Quote, document_to_text
from tui.drafts import draft_key, keep_unsent
from tui.engine import ForumSession, SupportsPolls, SupportsSmilies, offers
from tui.errors import ForumError
from tui.host import forum_host
from tui.model import Thread, ThreadPage
from tui.times import site_language, zone_for
from widgets.failures import ReportsFailedWorkers
from widgets.forum_text import clean
from widgets.let_go import let_go_of_removed, return_freed_heap
from widgets.poll import PollWidget
from widgets.post import BlockItem, Floor, FloorBlock, PageMark, TimeStyle, floor_blocks, shows_images
from widgets.reply_line import ReplyLine

T = TypeVar("T")

PARSED_PAGES = 8  # parsed pages a thread view keeps in memory (models only, not laid out)
FETCHED_AHEAD = 3  # pages past the last one held kept parsed while the reader is on it
HEAP_RETURN_SECONDS = 1.0  # reading on gives the freed heap back at most this often
QUOTE_MATCH_CHARS = 40  # how much of a quote's text must match the start of the quoted floor

# Picks the floor to put the cursor on among a freshly loaded page's floors.
FocusRule = Callable[[list[Floor]], Floor | None]


def first_floor(posts: list[Floor]) -> Floor | None:
    return posts[0] if posts else None


def last_floor(posts: list[Floor]) -> Floor | None:
    return posts[-1] if posts else None


def post_with_id(post_id: str) -> FocusRule:
    return lambda posts: next((post for post in posts if post.post.id == post_id), None)


def post_at_floor(floor: int) -> FocusRule:
    return lambda posts: next((post for post in posts if post.post.floor == floor), None)


class PageSection:
    """One fetched page as the view holds it: its mark and floors (drawn by blocks the view
    shares between pages, see ``FloorBlock``), and the widgets of its own: the poll on page
    one, or the line saying the page has no posts."""

    def __init__(
        self,
        page: ThreadPage,
        *,
        images: bool,
        smilies: Mapping[str, str] | None = None,
        votable: bool = True,
        times: TimeStyle | None = None,
        reading: bool = False,
    ) -> None:
        self.page = page
        self._floors = [
            Floor(post, page=page.page, images=images, smilies=smilies, times=times, reading=reading)
            for post in page.posts
        ]
        self.mark = PageMark(page.page, page.pages)
        self.poll = (
            PollWidget(page.poll, votable=votable) if page.poll is not None and page.page == 1 else None
        )
        self.empty = None if page.posts else Static("No posts on this page.", classes="page-empty")

    @property
    def number(self) -> int:
        return self.page.page

    def floors(self) -> list[Floor]:
        return self._floors

    def items(self) -> list[BlockItem]:
        """What blocks draw of the page: its mark and its floors."""
        return [self.mark, *self._floors]

    def new_widgets(self) -> list[Widget]:
        """The widgets drawing the page on its own, in order, made when it is placed: blocks
        of its mark and floors (split after each floor with images, whose pictures follow once
        fetched), its poll under its mark, or its notice."""
        if self.poll is not None:
            return [*floor_blocks([self.mark]), self.poll, *floor_blocks(self._floors)]
        return [*floor_blocks(self.items()), *([self.empty] if self.empty is not None else [])]

    def joins_a_block(self) -> bool:
        """Whether the page is only text a block can draw: no poll, no notice, no images."""
        return self.poll is None and self.empty is None and not any(map(shows_images, self._floors))

    def let_go(self) -> None:
        """The page left the view: a floor kept elsewhere (find, an anchor) holds no lines, and
        floors and blocks let go of each other, so that the floors (their parsed bodies) are
        freed as soon as the page is, not by a pass of the cycle collector later."""
        for floor in self._floors:
            floor.forget_lines()
            floor.block = None
        self.mark.block = None


@dataclass(slots=True)
class ThreadFilter:
    """Which posts and in what order: only one author's, and/or newest first."""

    author_id: str | None = None
    reverse: bool = False


class ThreadView(VerticalScroll, ReportsFailedWorkers, can_focus=True, inherit_bindings=False):
    """Lazily loaded floors of one thread; the screen drives it with the methods below.

    The view holds a cursor floor: while the view has the keyboard focus, it is drawn with a
    bar and its exact time, and the floor actions act on it."""

    DEFAULT_CSS = """
    ThreadView { height: 1fr; }
    ThreadView > .post--image { margin: 0 0 1 2; }
    """

    class Loaded(Message):
        """A page arrived and is on screen."""

        def __init__(self, page: ThreadPage) -> None:
            super().__init__()
            self.page = page

    class LoadFailed(Message):
        def __init__(self, error: ForumError) -> None:
            super().__init__()
            self.error = error

    class Loading(Message):
        """Loading started (``page`` set; not for a page already parsed, placed at once) or ended
        (``page`` None, also when cancelled)."""

        def __init__(self, page: int | None) -> None:
            super().__init__()
            self.page = page

    class CursorMoved(Message):
        """The cursor went to another floor (the reading position)."""

        def __init__(self, floor: Floor) -> None:
            super().__init__()
            self.floor = floor

    class Position(Message):
        """The page the reader is on changed."""

        def __init__(self, page: int, pages: int) -> None:
            super().__init__()
            self.page = page
            self.pages = pages

    def __init__(
        self,
        session: ForumSession,
        thread_id: str,
        *,
        images: bool = True,
        page_size: int | None = None,
        max_pages: int = 4,
        time_zone: str = "local",
        reading: bool = False,
        id: str | None = None,
        classes: str = "",
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._reading = reading  # reading mode (see ``reading_mode``)
        self.time_zone = time_zone  # the config's "local" or "forum"
        self.session = session
        self.thread_id = thread_id
        self.images = images
        self.page_size = page_size
        self.max_pages = max_pages
        self.filter = ThreadFilter()
        self.thread: Thread | None = None
        self.pages = 1
        self.loading_page: int | None = None
        self._loading_from_memory = False  # the page loading is parsed already: no waiting on it
        self._load_number = 0
        self._pending: list[Callable[[], None]] = []  # keys pressed while the pages were in flux
        self._laying_out = False  # pages were mounted or removed and are not yet laid out again
        self._reported: tuple[int, int] | None = None
        self._owed_lines = 0  # scrolling asked for past the loaded pages, done when they arrive
        self.smilies: dict[str, str] | None = None  # the site's smiley table, read with the first page
        self._parsed: OrderedDict[tuple[object, ...], ThreadPage] = OrderedDict()
        self._own_widgets: set[tuple[object, ...]] = set()  # parsed pages a block cannot draw alone
        self._ahead: dict[tuple[object, ...], Worker[ThreadPage]] = {}  # fetches ahead in flight
        self._ahead_failed: set[tuple[object, ...]] = set()  # not asked ahead again (a load shows why)
        self._unasked_load = False  # the load in progress was not asked for by a key
        self._jumping = False  # the load in progress replaces the pages held, until it settles
        self._cursor: Floor | None = None
        self._lit: list[Floor] = []  # floors drawn lit or found
        self._found: Floor | None = None  # where find stopped, marked
        self._sections: list[PageSection] = []  # the pages held, in order
        # The view's height as last set by placing a page at once, and the block's height in it.
        self._height_set: tuple[Size, int] | None = None
        self._heap_returned_at = -HEAP_RETURN_SECONDS  # when reading on last gave the heap back
        self._heap_return_due = False  # a return of the heap reading on freed is on its way

    # What is loaded -------------------------------------------------------------------

    def sections(self) -> list[PageSection]:
        return list(self._sections)

    def floors(self) -> list[Floor]:
        """Every floor held, in reading order."""
        return [floor for section in self.sections() for floor in section.floors()]

    def focused_floor(self) -> Floor | None:
        """The cursor floor, while the view has the keyboard focus (as the reader sees it)."""
        cursor = self._cursor
        return cursor if self.has_focus and cursor is not None and cursor.is_attached else None

    def floor_for_post(self, post_id: str) -> Floor | None:
        return next((floor for floor in self.floors() if floor.post.id == post_id), None)

    def floor_quoted_in(self, floor: Floor, quote: Quote) -> Floor | None:
        """The loaded floor a quote without a link came from: same author, and its words
        start the same; the nearest one above the quoting floor wins."""
        words = " ".join(document_to_text(Document(quote.blocks)).split()).rstrip(" .…")
        words = words[:QUOTE_MATCH_CHARS]
        if not words:
            return None
        floors = self.floors()
        above = floors[: floors.index(floor)] if floor in floors else floors
        for candidate in reversed(above):
            if quote.author and clean(candidate.post.author.name) != quote.author:
                continue
            if words in " ".join(document_to_text(candidate.document).split()):
                return candidate
        return None

    def current_page(self) -> int:
        """The page of the focused floor when it is on screen, else of the first page on screen."""
        floor = self.focused_floor()
        if floor is not None and self._on_screen(floor):
            return floor.page
        for section in self._sections:
            if self.span_of(section)[1] > self.scroll_y:
                return section.number
        return 1

    def span_of(self, item: Widget | BlockItem | PageSection) -> tuple[int, int]:
        """Top and bottom of a descendant (or a floor, a page mark, a page) in the view's
        scrollable space."""
        if isinstance(item, PageSection):
            if item.mark.block is None or not item.mark.block.is_attached:
                return 0, 0
            last = self._last_shown(item)
            margin = last.styles.margin.bottom if isinstance(last, Widget) else 0
            return self.span_of(item.mark)[0], self.span_of(last)[1] + margin
        if isinstance(item, (Floor, PageMark)):
            if item.block is None:
                return 0, 0
            block_top = self.span_of(item.block)[0]
            top, bottom = item.block.floor_span(item)
            return block_top + top, block_top + bottom
        top, node = 0, item
        while node is not self and isinstance(node, Widget):
            top += node.virtual_region.y
            node = node.parent
        return top, top + item.outer_size.height

    @staticmethod
    def _last_shown(section: PageSection) -> Widget | BlockItem:
        """What the page shows last: its notice, else the pictures under its last floor, else
        that floor (or its poll, or its mark)."""
        if section.empty is not None:
            return section.empty
        floors = section.floors()
        if floors:
            block = floors[-1].block
            if block is not None and block.items[-1] is floors[-1] and block.pictures:
                return block.pictures[-1]
            return floors[-1]
        return section.poll or section.mark

    def _blocks(self) -> list[FloorBlock]:
        """The blocks drawing the pages held, in reading order."""
        return [widget for widget in self.children if isinstance(widget, FloorBlock)]

    def _on_screen(self, floor: Floor) -> bool:
        top, bottom = self.span_of(floor)
        return bottom > self.scroll_y and top < self.scroll_y + self.size.height

    def first_visible_floor(self) -> Floor | None:
        """The first floor whose bottom is below the top of the viewport."""
        return next((floor for floor, _, bottom in self._floor_spans() if bottom > self.scroll_y), None)

    def _floor_spans(self) -> Iterator[tuple[Floor, int, int]]:
        """Every floor held with its top and bottom in the view's scrollable space, in reading
        order (each block's place worked out once, not once per floor)."""
        for block in self._blocks():
            block_top = self.span_of(block)[0]
            for floor, top, bottom in block.floor_spans():
                yield floor, block_top + top, block_top + bottom

    @property
    def lines_owed(self) -> int:
        """Lines scrolled past the pages held, scrolled once the next page is placed."""
        return self._owed_lines

    @property
    def is_loading(self) -> bool:
        return self.loading_page is not None

    @property
    def waiting_page(self) -> int | None:
        """The page loading that the reader may wait on: one already parsed (fetched ahead)
        is placed at once, and a "loading" line shown and hidden for it would only make the
        screen jump (and lay every floor out twice)."""
        return None if self._loading_from_memory else self.loading_page

    @property
    def is_settled(self) -> bool:
        """No page on its way or being laid out: where the floors are drawn is where they are.

        In between, a page just mounted has no place yet and one just removed still has its
        old one, so the page on screen cannot be worked out from them."""
        return not self.is_loading and not self._laying_out

    # Loading ----------------------------------------------------------------------------

    def open_page(self, page: int, focus: FocusRule = first_floor) -> None:
        """Show ``page`` alone (a jump), focusing the floor ``focus`` picks."""
        self._load(max(1, page), "replace", focus)

    def reload(self, focus: FocusRule = first_floor) -> None:
        """Start again from page one, e.g. after the filter changed."""
        self.forget_pages()
        self.open_page(1, focus)

    def load_next(self, focus: FocusRule | None = None, *, unasked: bool = False) -> bool:
        """Append the page after the last one held; False when there is none (or busy).

        ``unasked``: loaded ahead of the reader (near an end, or fetched ahead): unless keys wait
        on it, Esc does not stop it but goes back."""
        sections = self.sections()
        if self.is_loading or not sections or sections[-1].number >= self.pages:
            return False
        self._load(sections[-1].number + 1, "append", focus, unasked=unasked)
        return True

    def load_previous(self, focus: FocusRule | None = None, *, unasked: bool = False) -> bool:
        sections = self.sections()
        if self.is_loading or not sections or sections[0].number <= 1:
            return False
        self._load(sections[0].number - 1, "prepend", focus, unasked=unasked)
        return True

    def cancel_loading(self) -> bool:
        """Stop a slow load the reader waits on; True when there was one."""
        if not self.is_loading or (self._unasked_load and not self._pending and not self._owed_lines):
            return False
        self._pending.clear()
        self._owed_lines = 0
        self._laying_out = False
        self.workers.cancel_group(self, "load")
        self._loading_done(self._load_number)
        return True

    def when_loaded(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the page on its way is on screen and laid out (a key pressed
        meanwhile); every key pressed counts, run in the order pressed."""
        self._pending.append(action)

    def _load(self, page: int, mode: str, focus: FocusRule | None, *, unasked: bool = False) -> None:
        if mode == "append" and self._place_at_once(page, focus):
            return
        self._unasked_load = unasked
        self._jumping = mode == "replace"
        if self._jumping:  # what was asked for on the pages left behind is void
            self._owed_lines = 0
            self._pending.clear()
        self._load_number += 1
        self.loading_page = page
        self._loading_from_memory = self._asked(page) in self._parsed
        if not self._loading_from_memory:
            self.post_message(self.Loading(page))
        work = self._fetch(page, mode, focus, self._load_number)
        self.run_worker(work, group="load", exclusive=True, exit_on_error=False)

    def _loading_done(self, number: int) -> None:
        """End the load ``number`` unless a newer one replaced it."""
        if number == self._load_number and self.loading_page is not None:
            self.loading_page = None
            self._jumping = self._jumping and self._laying_out  # a jump placed settles later
            self.post_message(self.Loading(None))

    # The parsed pages and fetching ahead ---------------------------------------------

    def _asked(self, page: int) -> tuple[object, ...]:
        return (page, self.filter.author_id, self.filter.reverse, self.page_size)

    async def _request_page(self, asked: tuple[object, ...]) -> ThreadPage:
        """Ask the forum for a page and keep the parsed answer."""
        page, author_id, reverse, page_size = asked
        params = {
            "thread": self.thread_id, "page": page, "author": author_id, "reverse": reverse, "size": page_size
        }
        host = forum_host(self.app)
        result = await host.forum_request(
            lambda: host.context.read_saved(
                "thread_page",
                params,
                ThreadPage,
                lambda: self.session.thread_page(
                    self.thread_id, page, author_id=author_id, reverse=reverse, page_size=page_size
                ),
            )
        )
        self._parsed[asked] = result
        while len(self._parsed) > PARSED_PAGES:
            self._parsed.popitem(last=False)
        return result

    async def _read_page(self, page: int) -> ThreadPage:
        """A page from the parsed pages, else the fetch ahead of it, else the forum."""
        asked = self._asked(page)
        ahead = self._ahead.get(asked)
        if ahead is not None:
            with contextlib.suppress(WorkerError):
                await ahead.wait()  # if it failed, the page is asked again below to show why
        if asked in self._parsed:
            self._parsed.move_to_end(asked)
            return self._parsed[asked]
        return await self._request_page(asked)

    def forget_pages(self) -> None:
        """Drop the parsed pages (the thread changed: a reply, a vote)."""
        self._parsed.clear()
        self._own_widgets.clear()
        self._ahead_failed.clear()

    def laid_out(self, page: int) -> bool:
        return any(section.number == page for section in self.sections())

    def _fetch_ahead(self) -> None:
        """While the reader is on the last page held, keep the next ``FETCHED_AHEAD`` pages
        parsed in memory (past the one loading, if any: keys held down keep a load on its way
        all the time) and lay the next one out below, so that ``n`` or reading on (even at key
        repeat) never waits on the network (the farthest page above then goes)."""
        sections = self.sections()
        if not sections or self.current_page() != sections[-1].number:
            return
        following = sections[-1].number + 1
        if following > self.pages:
            return
        if not self.is_loading and self._asked(following) in self._parsed:
            # Once the frame showing what the reader did is drawn: not on the key's time.
            self.call_after_refresh(self._place_parsed_ahead, following)
        first = following + 1 if self.loading_page == following else following
        for page in range(first, min(self.pages, first + FETCHED_AHEAD - 1) + 1):
            self._fetch_into_memory(page)

    def _place_parsed_ahead(self, page: int) -> None:
        """Lay out ``page``, parsed ahead, below the last page held, unless that changed since."""
        sections = self.sections()
        if self.is_attached and self.is_settled and sections and sections[-1].number + 1 == page:
            self.load_next(unasked=True)

    def _fetch_into_memory(self, page: int) -> None:
        """Fetch and parse ``page`` in the background, unless it is parsed or on its way."""
        asked = self._asked(page)
        if asked in self._parsed or asked in self._ahead or asked in self._ahead_failed:
            return

        async def fetch() -> ThreadPage:
            try:
                result = await self._request_page(asked)
            except ForumError:
                self._ahead_failed.add(asked)
                raise
            finally:
                self._ahead.pop(asked, None)
            if self.is_attached:
                self._fetch_ahead()  # lays it out when it is the next one and the reader is there
            return result

        self._ahead[asked] = self.run_worker(fetch(), group="ahead", exit_on_error=False)

    async def _fetch(self, page: int, mode: str, focus: FocusRule | None, number: int) -> None:
        try:
            read = self._read_page(page)
            offline = forum_host(self.app).context.offline  # the smiley table is not saved
            if self.smilies is None and offers(self.session, SupportsSmilies) and not offline:
                # the first load reads the smiley table alongside the page
                result, self.smilies = await asyncio.gather(read, self.session.smilies())
            else:
                result = await read
            self._take_facts(result)
            if mode != "replace" and self._already_held(result, page):
                # The forum answered a page past the end with one we hold: that is the end.
                self.pages = max(section.number for section in self.sections())
                self._pending.clear()
                self._report_position()
                return
            placed = self._append_parsed(page) if mode == "append" else None
            if placed is None:
                await self._place(result, mode, focus)
        except ForumError as error:
            self._pending.clear()
            self._owed_lines = 0
            self.post_message(self.LoadFailed(error))
            return
        finally:
            self._loading_done(number)
        if placed is not None:  # drawn already: the reader is kept in place once the load is over
            self._settle_appended(*placed, focus)
            return
        self.post_message(self.Loaded(result))
        self.call_after_refresh(self._after_layout)

    def _take_facts(self, result: ThreadPage) -> None:
        """What a page answered says of the whole thread."""
        self.thread = result.thread
        self.pages = max(1, result.pages)
        self.page_size = self.page_size or result.page_size or None

    def _already_held(self, result: ThreadPage, asked: int) -> bool:
        """Whether the answer is not the page asked for but one already on screen."""
        held = {floor.post.id for floor in self.floors()}
        return result.page != asked or (bool(result.posts) and all(p.id in held for p in result.posts))

    async def _place(self, result: ThreadPage, mode: str, focus: FocusRule | None) -> None:
        """Mount the page where it belongs, drop the farthest page, keep the reader in place."""
        section = self._section_for(result)
        anchor = self._anchor() if mode == "prepend" else None
        self._laying_out = True  # until _settle, after the next refresh
        try:
            with self.app.batch_update():  # one layout for the page mounted and the one let go
                await self._mount_section(section, mode)
            await self._place_reply_line()
        except BaseException:  # stopped half-way (Esc, a jump): nothing will settle it
            self._laying_out = False
            raise
        target = focus(section.floors()) if focus is not None else None
        self.call_after_refresh(self._settle, anchor, target, mode == "replace")

    def _section_for(self, result: ThreadPage) -> PageSection:
        return PageSection(
            result,
            images=self.images,
            smilies=self.smilies,
            votable=offers(self.session, SupportsPolls),
            times=self._time_style(result),
            reading=self.reading_mode,
        )

    def _place_at_once(self, page: int, focus: FocusRule | None) -> bool:
        """Place the next page from the parsed pages while the key asking for it is handled
        (see ``_append_parsed``), keeping the reader in place; False when it needs a load."""
        placed = self._append_parsed(page)
        if placed is None:
            return False
        self._settle_appended(*placed, focus)
        return True

    def _settle_appended(self, section: PageSection, above: int, focus: FocusRule | None) -> None:
        """A page was drawn below the others: what is read moves up by the lines let go above
        it, then the reader settles there (see ``_settle``)."""
        y, owed = self.scroll_y, self._owed_lines
        if above and owed:  # one move for both: the frame shows where the keys went
            self._owed_lines = 0
            self.scroll_lines(max(0, y - above) - y + owed)
        elif above:
            self.scroll_to(y=max(0, y - above), animate=False, immediate=True)
        self._settle(None, focus(section.floors()) if focus is not None else None, False)
        self.call_after_refresh(self._after_layout)  # the page before, near the top after a jump

    def _append_parsed(self, page: int) -> tuple[PageSection, int] | None:
        """Draw ``page``, parsed already, below the pages held, in the block drawing them, and
        let the farthest pages go from its start: no worker, no widget mounted or removed, and
        the new height known at once, so a key scrolling past the end moves in the frame it is
        drawn in. The page placed and the lines let go above it (the caller scrolls up by them),
        or None when the page is not parsed or needs widgets of its own (a poll, images)."""
        result = self._parsed.get(self._asked(page))
        block = self.children[0] if len(self.children) == 1 else None
        if result is None or self._laying_out or not self._is_open(block) or self._already_held(result, page):
            return None  # (while a page is laid out, where the block is is not known yet)
        height = block.height_now()
        farthest = self._farthest("append")
        above = self._lines_of(farthest)
        fills_the_view = height is not None and height - above >= self.scrollable_content_region.height
        if not (fills_the_view and self.show_vertical_scrollbar):
            return None  # the view would start or stop scrolling (its width changing with the scroll bar)
        if self._asked(page) in self._own_widgets:
            return None
        section = self._section_for(result)
        if not section.joins_a_block():
            self._own_widgets.add(self._asked(page))  # (knowing it parses every floor)
            return None
        self._parsed.move_to_end(self._asked(page))
        self._take_facts(result)
        self._sections = [*self._sections[len(farthest) :], section]
        block.discard([item for gone in farthest for item in gone.items()])
        block.extend(section.items())
        self._let_go_of(farthest, widgets_removed=False)
        # The view's height is the block's, with what the last layout put around it: the block's
        # height that layout counted, or the one counted here since (no layout yet in between).
        set_here = self._height_set
        counted = set_here[1] if set_here and set_here[0] == self.virtual_size else block.outer_size.height
        new_height = block.height_now() or 0
        # Set without a repaint of the view itself (its own lines, under the block, stay as they
        # are); the block asked for the layout that follows.
        view_height = self.virtual_size.height - counted + new_height
        self.set_reactive(ThreadView.virtual_size, Size(self.virtual_size.width, view_height))
        self._height_set = (self.virtual_size, new_height)
        self.vertical_scrollbar.window_virtual_size = self.virtual_size.height
        if section.number >= self.pages:
            self.call_later(self._place_reply_line)
        self.post_message(self.Loaded(result))
        return section, above

    @staticmethod
    def _is_open(widget: Widget | None) -> TypeGuard[FloorBlock]:
        """Whether ``widget`` is a block more floors can be drawn at the end of: one drawing
        something, and no images under its last floor."""
        return isinstance(widget, FloorBlock) and bool(widget.items) and not shows_images(widget.items[-1])

    def _farthest(self, mode: str) -> list[PageSection]:
        """The pages to let go when one more is placed by ``mode``: those beyond ``max_pages``,
        at the other end, but none within a screen of the view: a view taller than a few pages
        holds more (else it would let go of what it shows, and load it again, endlessly)."""
        excess = len(self._sections) + 1 - self.max_pages
        if excess <= 0:
            return []
        if mode == "prepend":
            return list(itertools.takewhile(self._far_below, self._sections[::-1][:excess]))[::-1]
        return list(itertools.takewhile(self._far_above, self._sections[:excess]))

    def _lines_of(self, sections: list[PageSection]) -> int:
        """The lines ``sections`` take in the view."""
        return sum(bottom - top for top, bottom in map(self.span_of, sections))

    def _far_above(self, section: PageSection) -> bool:
        return self.span_of(section)[1] < self.scroll_y - self.size.height

    def _far_below(self, section: PageSection) -> bool:
        return self.span_of(section)[0] > self.scroll_y + 2 * self.size.height

    def _let_go_of(self, sections: list[PageSection], *, widgets_removed: bool) -> None:
        """Pages left the view (their widgets, if ``widgets_removed``, already unmounted): each
        lets go of its floors' lines, and the heap freed is given back after the next frame.
        Reading on lets a page go with each page placed, and the next takes the same memory
        again: given back each time, it came back from the system page by page (faults the
        processor pays for). There it is given back at most once a second: pages let go in
        between give theirs back when the second is up, so the last pages read leave none held."""
        for page in sections:
            page.let_go()
        if widgets_removed:
            let_go_of_removed(self)
        elif sections and not self._heap_return_due:
            wait = self._heap_returned_at + HEAP_RETURN_SECONDS - time.monotonic()
            self._heap_return_due = True
            if wait > 0:  # held back, not dropped: the last pages read on free memory too
                self.set_timer(wait, self._return_freed_heap)
            else:
                self.call_after_refresh(self._return_freed_heap)

    def _return_freed_heap(self) -> None:
        """The return ``_let_go_of`` set off, now due."""
        self._heap_returned_at = time.monotonic()
        self._heap_return_due = False
        return_freed_heap()

    def _unmount_list(self, sections: list[PageSection]) -> list[Widget]:
        """The widgets drawing only ``sections`` (pages let go), to remove; blocks drawing other
        pages too stop drawing theirs."""
        gone: list[Widget] = [widget for page in sections for widget in (page.poll, page.empty) if widget]
        shared: dict[FloorBlock, list[BlockItem]] = {}
        for item in (item for page in sections for item in page.items()):
            if item.block is not None:
                shared.setdefault(item.block, []).append(item)
        for block, items in shared.items():
            if len(items) == len(block.items):
                gone += [block, *block.pictures]
            else:
                block.discard(items)
        return gone

    async def _mount_section(self, section: PageSection, mode: str) -> None:
        """Mount a page where ``mode`` says and let go of the farthest once too many are held,
        both at once: one layout for the two."""
        if mode == "replace":
            gone, self._sections = self._sections, [section]
            await self.remove_children()
            for page in gone:
                page.let_go()
            await self.mount(*section.new_widgets())
            return
        farthest = self._farthest(mode)
        above = self._lines_of(farthest) if mode == "append" else 0
        kept = [page for page in self._sections if page not in farthest]
        self._sections = [section, *kept] if mode == "prepend" else [*kept, section]
        last = self.children[-1] if self.children else None
        if mode == "append" and self._is_open(last) and section.joins_a_block():
            last.extend(section.items())  # no widget of its own: drawn by the block above it
            widgets = []
        else:
            widgets = section.new_widgets()
        mounted = self.mount(*widgets, before=0) if mode == "prepend" else self.mount(*widgets)
        gone = self._unmount_list(farthest)
        removed = self.remove_children(gone) if gone else None
        await mounted
        if removed is not None:
            await removed
        self._let_go_of(farthest, widgets_removed=removed is not None)
        if above:
            # What is read moves up by what went above it, now: keys pressed meanwhile
            # (scrolling, a page appended ahead) are kept, where restoring an anchor later
            # would undo them.
            self.scroll_to(y=max(0, self.scroll_y - above), animate=False, immediate=True)

    async def _place_reply_line(self) -> None:
        """Keep the reply line last, and only while the thread's last page is held."""
        sections = self.sections()
        at_end = bool(sections) and sections[-1].number >= self.pages and not self.filter.reverse
        line = next(iter(self.query(ReplyLine)), None)
        if line is not None and (not at_end or self.children[-1] is not line):
            await line.remove()
            line = None
        if at_end and line is None:
            closed = self.thread is not None and self.thread.closed
            keep = partial(keep_unsent, key=draft_key(self.session.site_url, thread_id=self.thread_id))
            await self.mount(ReplyLine(guest=self.session.user.is_guest, closed=closed, keep=keep))

    def reply_line(self) -> ReplyLine | None:
        return next(iter(self.query(ReplyLine)), None)

    def _time_style(self, page: ThreadPage) -> TimeStyle:
        """Times in the config's zone, recent ones relative in the site's language."""
        site = self.session.site
        zone = zone_for(self.time_zone, page.time_zone or self.session.time_zone)
        return TimeStyle(zone, site.language if site else site_language(page.thread.subject))

    @property
    def reading_mode(self) -> bool:
        return self._reading

    @reading_mode.setter
    def reading_mode(self, on: bool) -> None:
        """Floors' text only, numbered: author lines and cards hidden (the web's 阅读模式)."""
        self._reading = on
        for section in self.sections():
            for floor in section.floors():
                floor.reading = on
        for block in self._blocks():
            block.relay()

    def _anchor(self) -> tuple[Floor, int] | None:
        """The widget the reader looks at and where it is on screen, to keep it there."""
        widget = self.focused_floor() or self.first_visible_floor()
        if widget is None:
            return None
        return widget, self.span_of(widget)[0] - round(self.scroll_y)

    def _settle(self, anchor: tuple[Floor, int] | None, target: Floor | None, home: bool) -> None:
        """The page is laid out: keep the reader in place, focus, then run the keys pressed meanwhile."""
        self._laying_out = self._jumping = False
        if not self.is_attached:  # the reader left the thread while its page was laid out
            return
        if anchor is not None and anchor[0].is_attached:
            widget, offset = anchor
            self.scroll_to(y=self.span_of(widget)[0] - offset, animate=False, immediate=True)
        elif home:
            self.scroll_home(animate=False, immediate=True)
        if target is not None and target.is_attached:
            self.focus_floor(target)
        self._report_position()
        if self._owed_lines:  # screens asked for while the page was on its way
            owed, self._owed_lines = self._owed_lines, 0
            self.scroll_lines(owed)
        pending, self._pending = self._pending, []
        for action in pending:  # one after another: a key that starts a load queues the next ones again
            self.call_after_refresh(action)

    # Moving -------------------------------------------------------------------------------

    def focus_floor(self, floor: Floor) -> None:
        """Put the cursor on a floor (the view taking the focus) and scroll as little as needed
        to show it (at least its top part)."""
        self._move_cursor(floor)
        self.reveal(floor)

    def _move_cursor(self, floor: Floor) -> None:
        moved = floor is not self._cursor
        self._cursor = floor
        if not self.has_focus:
            self.focus(scroll_visible=False)  # on_focus draws the cursor
        else:
            self._light()
        if moved:
            self.post_message(self.CursorMoved(floor))
        self._report_position()

    def _light(self, focused: bool | None = None) -> None:
        """Draw the cursor floor (while the view has the focus, or will: ``focused``) and the
        found floor marked, and every other floor plain."""
        cursor = self._cursor if (self.has_focus if focused is None else focused) else None
        drawn, self._lit = self._lit, [floor for floor in (cursor, self._found) if floor is not None]
        for floor in dict.fromkeys([*drawn, *self._lit]):  # those drawn marked before, then now
            look = floor is cursor, floor is self._found
            if (floor.lit, floor.found) != look:
                floor.lit, floor.found = look
                if floor.block is not None:
                    floor.block.redraw(floor)

    def mark_found(self, floor: Floor | None) -> None:
        """Mark the floor find stopped at while the prompt keeps the keyboard (None: no mark)."""
        self._found = floor
        self._light()

    def allow_focus(self) -> bool:
        """Only with a floor for the cursor: before the first page is on screen (or when it
        failed) the view takes no keys typed."""
        return self._cursor is not None and super().allow_focus()

    def on_focus(self) -> None:
        self._light(focused=True)  # handled before the base class sets has_focus
        self._report_position()

    def on_blur(self) -> None:
        self._light(focused=False)

    def on_floor_block_clicked(self, event: FloorBlock.Clicked) -> None:
        self.focus_floor(event.floor)

    def reveal(self, floor: Floor) -> None:
        """Scroll as little as needed to show a floor (at least its top part)."""
        top, bottom = self.span_of(floor)
        view_top, height = round(self.scroll_y), self.size.height
        top_in_upper_half = view_top <= top < view_top + height // 2
        all_visible = view_top <= top and bottom <= view_top + height
        if not (top_in_upper_half or all_visible):
            fits = bottom - top <= height
            target = bottom - height if fits and top > view_top else top
            self.scroll_to(y=target, animate=False, immediate=True)
        self._report_position()

    def scroll_screens(self, count: int) -> None:
        """Scroll ``count`` screens down (up when negative); every call counts, however fast,
        and those made while a jump is on its way count from where it lands."""

        def scroll() -> None:
            self.scroll_lines(count * max(1, self.scrollable_content_region.height))

        if self._jumping:
            self.when_loaded(scroll)
        else:
            scroll()

    def scroll_lines(self, lines: int) -> None:
        """Scroll by ``lines``; what lies past the loaded pages is owed and scrolled once the
        next page is on screen. The floor cursor then follows to what is on screen."""
        lines += self._owed_lines
        self._owed_lines = 0
        target = self.scroll_y + lines
        sections = self.sections()
        more_below = bool(sections) and sections[-1].number < self.pages
        while target > self.max_scroll_y and more_below and not self.is_loading:
            placed = self._append_parsed(sections[-1].number + 1)  # the key moves once, not twice
            if placed is None:
                break  # not parsed yet: owed below, and loaded (never at once, see _append_parsed)
            target -= placed[1]
            sections = self.sections()
            more_below = sections[-1].number < self.pages
        if target > self.max_scroll_y and more_below:
            self._owed_lines = round(target - self.max_scroll_y)
            self.load_next()
        elif target < 0 and sections and sections[0].number > 1:
            self._owed_lines = round(target)
            self.load_previous()
        self.scroll_to(y=max(0, min(target, self.max_scroll_y)), animate=False, immediate=True)
        self._follow_viewport()

    def _follow_viewport(self) -> None:
        """Focus the first floor that starts on screen (else the one filling it), not scrolling."""
        view_top, view_bottom = self.scroll_y, self.scroll_y + self.size.height
        top = round(self.scroll_y)
        filling: Floor | None = None  # the first floor on screen
        starting: Floor | None = None
        for floor, floor_top, bottom in self._floor_spans():
            if floor_top >= view_bottom:
                break
            if bottom > view_top:
                filling = filling or floor
                if floor_top >= top:
                    starting = floor
                    break
        starting = starting or filling
        if starting is None:
            return
        if starting is not self.focused_floor():
            self._move_cursor(starting)
        self._report_position()

    def step_floor(self, delta: int) -> None:
        """Focus the next (+1) or previous (-1) floor, fetching a page at either end."""
        floors = self.floors()
        if not floors:
            return
        current = self.focused_floor()
        if current is not None and not self._on_screen(current):
            current = None  # scrolled away (wheel, scroll bar): start from what is on screen
        if current is None:
            self.focus_floor(self.first_visible_floor() or floors[0])
            return
        index = floors.index(current) + delta
        if 0 <= index < len(floors):
            self.focus_floor(floors[index])
        elif not self.is_settled:
            self.when_loaded(lambda: self.step_floor(delta))
        elif index >= len(floors):
            self.load_next(first_floor)
        else:
            self.load_previous(last_floor)

    def step_or_scroll(self, delta: int) -> None:
        """Scroll through a floor taller than the screen, else move to the next floor."""
        current = self.focused_floor()
        step = max(1, self.size.height // 2)
        if current is not None:
            top, bottom = self.span_of(current)
            if delta > 0 and bottom > self.scroll_y + self.size.height:
                self.scroll_to(y=min(self.scroll_y + step, bottom - self.size.height), animate=False)
                return
            if delta < 0 and top < self.scroll_y:
                self.scroll_to(y=max(self.scroll_y - step, top), animate=False)
                return
        self.step_floor(delta)

    def go_first(self) -> None:
        sections = self.sections()
        if sections and sections[0].number == 1 and sections[0].floors():
            self.scroll_home(animate=False)
            self.focus_floor(sections[0].floors()[0])
        else:
            self.open_page(1, first_floor)

    def go_last(self) -> None:
        sections = self.sections()
        if sections and sections[-1].number == self.pages and sections[-1].floors():
            self.focus_floor(sections[-1].floors()[-1])
        else:
            self.open_page(self.pages, last_floor)

    def turn_page(self, delta: int) -> None:
        """Next/previous page from the page on screen: focus its first floor, loading it when
        not held. While pages are in flux the page on screen is unknown, so the key waits."""
        if not self.is_settled:
            self.when_loaded(lambda: self.turn_page(delta))
            return
        wanted = self.current_page() + delta
        if not 1 <= wanted <= self.pages:
            self.notify("That is the last page." if delta > 0 else "That is the first page.")
            return
        for section in self.sections():
            if section.number == wanted and section.floors():
                self.focus_floor(section.floors()[0])
                return
        sections = self.sections()
        if delta > 0 and sections and sections[-1].number + 1 == wanted:
            self.load_next(first_floor)
        elif delta < 0 and sections and sections[0].number - 1 == wanted:
            self.load_previous(first_floor)
        else:
            self.open_page(wanted)

    def go_to_floor(self, floor: int) -> None:
        """Focus floor number ``floor`` (in the thread's natural order)."""
        held = next((f for f in self.floors() if f.post.floor == floor), None)
        if held is not None:
            self.focus_floor(held)
            return
        if self.filter.author_id or self.filter.reverse:
            self.filter = ThreadFilter()
        size = self.page_size or len(self.floors()) or 1
        self.open_page((floor - 1) // size + 1, post_at_floor(floor))

    async def go_to_post(self, post_id: str) -> None:
        """Focus a post by id, asking the forum which page it is on when it is not held."""
        held = self.floor_for_post(post_id)
        if held is not None:
            self.focus_floor(held)
            return
        try:
            locate = self.session.locate_post
            location = await forum_host(self.app).forum_request(lambda: locate(post_id, self.thread_id))
        except ForumError as error:
            self.post_message(self.LoadFailed(error))
            return
        if location.thread_id and location.thread_id != self.thread_id:
            self.notify("That post is in another thread.", severity="warning")
            return
        self.filter = ThreadFilter()
        self.open_page(location.page, post_with_id(post_id))

    # Endless scrolling ---------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.is_attached:
            self.call_after_refresh(self._after_layout)

    def _after_layout(self) -> None:
        """Fetch the next (or previous) page when the reader comes within a screen of an end."""
        if not self.is_attached:  # the reader left the thread before this refresh came
            return
        self._report_position()
        if not self.is_settled or not self.sections():
            return
        if self.scroll_y >= self.max_scroll_y - self.size.height and self.load_next(unasked=True):
            return
        if self.scroll_y <= self.size.height // 2:
            self.load_previous(unasked=True)

    @property
    def page_reported(self) -> int:
        """The page the last ``Position`` named: what the status bar shows. Loads start and end
        while the layout is in flux, so they show this rather than work the page out again."""
        return self._reported[0] if self._reported else self.current_page()

    def _report_position(self) -> None:
        if self._laying_out:  # the page on screen is known once laid out (_settle reports it)
            return
        position = (self.current_page(), self.pages)
        if position != self._reported:
            self._reported = position
            self.post_message(self.Position(*position))
        self._fetch_ahead()

    def on_resize(self) -> None:
        """Pages came or went (the scrollable size changed): what is on screen may be another
        page now, with the layout it has only from here on."""
        self._report_position()
