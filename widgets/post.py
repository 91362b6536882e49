"""The floors (楼) of a thread: who wrote each, when, what, and what is attached.

A floor is a plain object (``Floor``): its post, its parsed body and the lines it draws, cached
per width. The floors of a page are drawn by one widget (``FloorBlock``) from those lines, so
placing a page lays out a handful of widgets instead of several per floor: with key repeat, a
page is placed every other key, and each widget laid out is paid for on every layout after.

Everything shown here came from the forum and is untrusted: names and groups go through
``clean_text`` and become ``rich.text.Text`` (never markup), and the body goes through the
content package only. The body is parsed and rendered once per width, when first drawn, which
the thread view does only for floors near the viewport.

Where the terminal can draw images (see ``widgets.inline_image``) and images are on, a block
ending with a floor that has images fetches them in a worker, through the shared cache, and
shows them under that floor; an image that cannot be fetched or read just leaves the body's
placeholder.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import tzinfo

from rich.console import RenderableType
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget

from tui import images as image_cache
from tui.content import Document, document_to_text, parse_post_html, render_document
from tui.host import forum_host
from tui.model import Attachment, AuthorCard, Post, Rating
from tui.times import shown_time
from widgets import inline_image
from widgets.failures import ReportsFailedWorkers
from widgets.forum_text import clean


def floor_label(post: Post) -> str:
    return "#1 楼主" if post.floor == 1 else f"#{post.floor} 楼"


@dataclass(frozen=True, slots=True)
class TimeStyle:
    """How the thread shows times: the zone (None: the reader's) and the site's language."""

    zone: tzinfo | None = None
    language: str = "en"


# Card labels in the site's language, as its thread page words them.
_CARD_LABELS = {
    "zh": ("主题", "回帖", "积分", "来自", "来自手机"),
    "en": ("threads", "posts", "credits", "from", "from a phone"),
}


def card_facts(author: AuthorCard, language: str) -> list[str]:
    """Group, counts and location of an author card, each as the site's page words it."""
    threads, posts, credits, place, _ = _CARD_LABELS.get(language, _CARD_LABELS["en"])
    facts = [clean(author.group)] if author.group else []
    for label, count in ((threads, author.threads), (posts, author.posts), (credits, author.credits)):
        if count is not None:
            facts.append(f"{label} {count}")
    if author.location:
        facts.append(f"{place} {clean(author.location)}")
    return facts


def author_line(post: Post, times: TimeStyle | None = None, *, exact: bool = False) -> Text:
    """Floor number, author card, phone mark and time as one line of plain (never markup) text;
    recent times read relative unless ``exact`` (the focused floor)."""
    times = times or TimeStyle()
    line = Text()
    line.append(floor_label(post), style="bold")
    line.append("  ")
    line.append(clean(post.author.name) or "(anonymous)", style="bold")
    facts = card_facts(post.author, times.language)
    if facts:
        line.append("  " + " · ".join(facts), style="dim")
    line.append("  ")
    line.append(shown_time(post.time, zone=times.zone, language=times.language, exact=exact), style="italic")
    if post.from_phone:
        line.append("  📱 " + _CARD_LABELS.get(times.language, _CARD_LABELS["en"])[4], style="dim")
    return line


def attachment_line(attachment: Attachment) -> Text:
    line = Text("📎 ")
    line.append(clean(attachment.name) or "(unnamed file)", style="underline")
    if attachment.size:
        line.append(f"  {clean(attachment.size)}", style="dim")
    if attachment.downloads is not None:
        line.append(f"  {attachment.downloads} downloads", style="dim")
    return line


def ratings_line(ratings: list[Rating]) -> Text:
    """The ratings (评分) the thread page shows under a floor: each rater with the credits they
    gave and their reason, in the page's order."""
    line = Text("评分 ", style="bold")
    raters: dict[str, list[Rating]] = {}
    for rating in ratings:
        raters.setdefault(rating.user_id or rating.user, []).append(rating)
    for index, given in enumerate(raters.values()):
        if index:
            line.append("  ·  ", style="dim")
        line.append(clean(given[0].user))
        for rating in given:
            line.append(f" {clean(rating.credit)} ")
            line.append(f"{rating.amount:+d}", style="green" if rating.amount > 0 else "red")
        if given[0].reason:
            line.append(f" {clean(given[0].reason)}", style="dim")
    return line


@dataclass(slots=True)
class HeaderLines:
    """A floor's header as drawn under ``key`` (width, mode, lit, look): its text, the component
    class styling it, and its lines once drawn."""

    key: tuple[object, ...]
    text: Text
    component: str
    lines: list[Strip] | None = None

    def fits(self, width: int) -> bool:
        """Whether it is one line at ``width`` (an author's name may hold a line break)."""
        plain = self.text.plain
        return self.text.cell_len <= width and "\n" not in plain and "\t" not in plain


class Floor:
    """One floor as the thread view holds it: the post, its parsed body, how its header reads,
    and the lines it draws at the last width, kept while its page is held. No widget of its
    own: the ``FloorBlock`` it belongs to draws it, from ``top`` to ``top + height`` there."""

    def __init__(
        self,
        post: Post,
        *,
        page: int = 1,
        images: bool = True,
        smilies: Mapping[str, str] | None = None,
        times: TimeStyle | None = None,
        reading: bool = False,
    ) -> None:
        self.post = post
        self.page = page  # the number of the page it was read on
        self.images = images
        self.smilies = smilies  # the site's smiley table (ForumSession.smilies)
        self.times = times or TimeStyle()
        self.reading = reading  # reading mode: the floor's number instead of its author card
        self.lit = False  # drawn as the cursor floor: bar, background and exact time
        self.found = False  # drawn as where find stopped: bar and background
        self.block: FloorBlock | None = None
        self.top = 0  # its first line in its block, at the block's last width
        self.height = 0
        self._document: Document | None = None
        self._body: tuple[int, list[list[Segment]]] | None = None  # (width, lines), unstyled
        self._tail: tuple[int, list[Text | None]] | None = None  # attachments and ratings lines
        self._header: HeaderLines | None = None

    @property
    def is_attached(self) -> bool:
        """Whether the floor is still drawn (its page is held)."""
        return self.block is not None and self.block.is_attached

    @property
    def document(self) -> Document:
        """The parsed body, made on first use and kept while the floor is held."""
        if self._document is None:
            self._document = parse_post_html(self.post.html, self.post.base_url, smilies=self.smilies)
        return self._document

    def body_renderable(self) -> RenderableType:
        return render_document(self.document, images=self.images)

    def image_links(self) -> list[tuple[str, str]]:
        """``(url, name)`` of every image to open from this floor: those in the body in reading
        order, then image attachments the body does not show."""
        links: list[tuple[str, str]] = []
        seen_urls: set[str] = set()
        seen_ids: set[str] = set()
        for image in self.document.images:
            if image.url and image.url not in seen_urls:
                seen_urls.add(image.url)
                seen_ids.add(image.attachment_id)
                links.append((image.url, clean(image.filename or image.alt) or "image"))
        for attachment in self.post.attachments:
            if not attachment.is_image or not attachment.url:
                continue
            if attachment.url in seen_urls or (attachment.id and attachment.id in seen_ids):
                continue
            seen_urls.add(attachment.url)
            links.append((attachment.url, clean(attachment.name) or "image"))
        return links

    def quoted_post_ids(self) -> list[str]:
        """Post ids this floor quotes, in order, for jumping to the quoted floor."""
        return [quote.post_id for quote in self.document.quotes if quote.post_id]

    def plain_text(self) -> str:
        """Author and body as plain text, for finding in the page."""
        return f"{self.post.author.name}\n{document_to_text(self.document)}"

    def header(self) -> tuple[Text, str]:
        """The header line and its component class: the floor's number in reading mode, else
        its author card, with the exact time on the cursor floor ("3 hours ago" elsewhere)."""
        if self.reading:
            return Text(floor_label(self.post)), "post--number"
        return author_line(self.post, self.times, exact=self.lit), "post--author"

    def shown_text(self, *, header_only: bool = False) -> str:
        """What the floor shows in its header and body (or its header only), as plain text,
        one line per line drawn."""
        if self.block is None:
            return ""
        return self.block.floor_text(self, header_only=header_only)

    def forget_lines(self) -> None:
        """Let the drawn lines go (the page is let go, or the look changed)."""
        self._body = self._tail = self._header = None


class PageMark:
    """The line naming a page, and a blank line under it: drawn above the page's floors, in the
    block drawing them."""

    height = 2

    def __init__(self, page: int, pages: int) -> None:
        self.page = page
        self.text = f"── page {page} of {pages} ──"
        self.block: FloorBlock | None = None
        self.top = 0  # its line in its block


# What a block draws, one after another: page marks and floors.
BlockItem = Floor | PageMark


class FloorBlock(Widget, ReportsFailedWorkers):
    """Floors and page marks drawn as one widget, line by line, from lines kept per width.

    Each floor: a left bar (the cursor floor's, or where find stopped), its header line, body,
    attachments and ratings, then a blank line, as one floor widget with padding drew it. A
    cursor move renders one header line again and repaints two floors; nothing is laid out
    again unless a header's height changes. A block may draw several pages: reading on adds
    a page's items at its end and lets the farthest page's go from its start, with no widget
    mounted or removed (see ``ThreadView``). A click on a floor asks the view to put the
    cursor there.
    """

    COMPONENT_CLASSES = {"floor--lit", "floor--bar", "post--author", "post--number", "page--marker"}
    DEFAULT_CSS = """
    FloorBlock { height: auto; }
    FloorBlock > .page--marker { color: $text-muted; text-style: bold; }
    FloorBlock > .floor--lit { background: $boost; }
    FloorBlock > .floor--bar { color: $accent; }
    FloorBlock > .post--author { color: $text; }
    FloorBlock > .post--number { text-style: bold; color: $text-muted; }
    """
    GUTTER = 3  # the bar and a blank column left of the text, a blank column right of it

    class Clicked(Message):
        """A floor was clicked: it should be the cursor floor."""

        def __init__(self, floor: Floor) -> None:
            super().__init__()
            self.floor = floor

    def __init__(self, items: list[BlockItem]) -> None:
        super().__init__(classes="floor-block")
        self.items = items
        self.pictures: list[Widget] = []  # the images shown under the last floor, beside the block
        for item in items:
            item.block = self
        self._laid_out_at = -1  # the width the items' tops and heights are for
        self._laid_out_items = 0  # how many of the first items have them
        self._looks: dict[tuple[object, ...], VisualStyle] = {}
        self._drawn_width = 0  # while a frame's lines are drawn: their width

    @property
    def floors(self) -> list[Floor]:
        return [item for item in self.items if isinstance(item, Floor)]

    def extend(self, items: list[BlockItem]) -> None:
        """Draw ``items`` after those drawn now (laid out at the next layout, or ``height_now``;
        those drawn already keep their place)."""
        for item in items:
            item.block = self
        self.items += items
        self.refresh(layout=True)

    def discard(self, items: list[BlockItem]) -> None:
        """Stop drawing ``items`` (a page let go); they keep no tie to the block. Those left move
        up by what went above them, with nothing laid out again."""
        gone = set(map(id, items))
        kept = [item for item in self.items if id(item) not in gone]
        dropped = len(self.items) - len(kept)
        if kept and kept == self.items[dropped:] and self._laid_out_items > dropped:
            shift = kept[0].top
            for item in kept[: self._laid_out_items - dropped]:
                item.top -= shift
            self._laid_out_items -= dropped
        elif kept != self.items[: len(kept)]:
            self._laid_out_items = 0
        self._laid_out_items = min(self._laid_out_items, len(kept))
        self.items = kept
        for item in items:
            item.block = None
        self.refresh(layout=True)

    def height_now(self) -> int | None:
        """The block's height once laid out at its width now (None before it has one)."""
        width = self.size.width
        if width <= 0:
            return None
        self._lay_out(width)
        return self.items[-1].top + self.items[-1].height if self.items else 0

    # Lines --------------------------------------------------------------------------------

    def _body_lines(self, floor: Floor, width: int) -> list[list[Segment]]:
        """The body's lines at ``width``, without a look (added as they are drawn)."""
        if floor._body is None or floor._body[0] != width:
            app = self.app
            options = app.console_options.update(highlight=False, width=width, height=None)
            segments = app.console.render(floor.body_renderable(), options)
            lines = list(Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=False))
            floor._body = (width, lines)
        return floor._body[1]

    def _tail_lines(self, floor: Floor, width: int) -> list[Text | None]:
        """Attachments and ratings, each after a blank line (None), as wrapped lines of text."""
        if floor._tail is None or floor._tail[0] != width:
            lines: list[Text | None] = []
            console = self.app.console
            parts = [attachment_line(item) for item in floor.post.attachments]
            if parts:
                lines.append(None)
                for part in parts:
                    lines += part.wrap(console, width)
            if floor.post.ratings:
                lines.append(None)
                lines += ratings_line(floor.post.ratings).wrap(console, width)
            floor._tail = (width, lines)
        return floor._tail[1]

    def _look(self, floor: Floor, *components: str) -> VisualStyle:
        """The floor's look (lit or plain), with ``components``' styles; kept until the styles
        change, as it is asked for every line drawn."""
        key = (floor.lit or floor.found, *components)
        look = self._looks.get(key)
        if look is None:
            look = self.get_visual_style(*(("floor--lit",) if key[0] else ()), *components)
            self._looks[key] = look
        return look

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._looks.clear()

    def _header(self, floor: Floor, width: int) -> HeaderLines:
        key = (width, floor.reading, floor.lit, floor.found, self.app.theme)
        if floor._header is None or floor._header.key != key:
            floor._header = HeaderLines(key, *floor.header())
        return floor._header

    def _header_lines(self, floor: Floor, width: int) -> list[Strip]:
        header = self._header(floor, width)
        if header.lines is None:
            style = self._look(floor, header.component).rich_style
            console = self.app.console
            wrapped = [header.text] if header.fits(width) else header.text.wrap(console, width)
            header.lines = [
                Strip(Segment.apply_style(line.render(console, end=""), style), line.cell_len)
                for line in wrapped
            ]
        return header.lines

    def _header_height(self, floor: Floor, width: int) -> int:
        """The header's lines, counted without drawing them when it is one: reading on fast,
        most floors are laid out only to be scrolled past between two frames."""
        return 1 if self._header(floor, width).fits(width) else len(self._header_lines(floor, width))

    def _floor_height(self, floor: Floor, width: int) -> int:
        header = self._header_height(floor, width)
        return header + len(self._body_lines(floor, width)) + len(self._tail_lines(floor, width)) + 1

    def _lay_out(self, width: int) -> None:
        """Work out each item's top (and each floor's height) at ``width`` (the block's width). A
        block not laid out yet (no width) has none: its floors would be drawn one column wide,
        every line of them, for nothing (a key pressed just after a page was placed asks where
        floors are)."""
        if width <= 0:
            return
        start = self._laid_out_items if width == self._laid_out_at else 0
        if start >= len(self.items):
            return
        text_width = max(1, width - self.GUTTER)
        top = self.items[start - 1].top + self.items[start - 1].height if start else 0
        for item in self.items[start:]:
            item.top = top
            if isinstance(item, Floor):
                item.height = self._floor_height(item, text_width)
            top += item.height
        self._laid_out_at = width
        self._laid_out_items = len(self.items)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width <= 0 or not self.items:
            return 0
        self._lay_out(width)
        last = self.items[-1]
        return last.top + last.height

    def item_at(self, y: int) -> BlockItem | None:
        """The floor or page mark drawn on line ``y`` of the block."""
        self._lay_out(self.size.width)
        return self._laid_out_item_at(y)

    def _laid_out_item_at(self, y: int) -> BlockItem | None:
        index = bisect_right(self.items, y, key=lambda item: item.top) - 1
        return self.items[index] if 0 <= index < len(self.items) and y >= 0 else None

    def floor_at(self, y: int) -> Floor | None:
        """The floor drawn on line ``y`` of the block."""
        item = self.item_at(y)
        return item if isinstance(item, Floor) else None

    def floor_span(self, item: BlockItem) -> tuple[int, int]:
        """Top and bottom of a floor (or page mark) in the block, at its width now."""
        self._lay_out(self.size.width)
        return item.top, item.top + item.height

    def floor_spans(self) -> Iterator[tuple[Floor, int, int]]:
        """Each floor with its top and bottom in the block, all at its width now."""
        self._lay_out(self.size.width)
        for item in self.items:
            if isinstance(item, Floor):
                yield item, item.top, item.top + item.height

    def floor_text(self, floor: Floor, *, header_only: bool = False) -> str:
        width = max(1, self.size.width - self.GUTTER)
        lines = [line.text for line in self._header_lines(floor, width)]
        if not header_only:
            lines += ["".join(segment.text for segment in line) for line in self._body_lines(floor, width)]
        return "\n".join(line.rstrip() for line in lines)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of one frame, all drawn at the width found (and laid out) once: per line,
        the width is a dozen calls deep in Textual."""
        self._drawn_width = self.size.width
        self._lay_out(self._drawn_width)
        try:
            return super().render_lines(crop)
        finally:
            self._drawn_width = 0

    def render_line(self, y: int) -> Strip:
        width = self._drawn_width
        if not width:
            width = self.size.width
            self._lay_out(width)
        item = self._laid_out_item_at(y)
        if isinstance(item, PageMark) and y == item.top:
            return self._marker_line(item.text, width)
        if not isinstance(item, Floor):
            return Strip.blank(width, self.visual_style.rich_style)
        floor = item
        text_width = max(1, width - self.GUTTER)
        look = self._look(floor).rich_style
        row = y - floor.top
        header = self._header_lines(floor, text_width)
        body = self._body_lines(floor, text_width)
        linked = False
        if row < len(header):
            text = list(header[row])
        elif row - len(header) < len(body):
            text = list(Segment.apply_style(body[row - len(header)], look))
            linked = self.auto_links
        else:
            tail = self._tail_lines(floor, text_width)
            index = row - len(header) - len(body)
            part = tail[index] if index < len(tail) else None
            segments = [] if part is None else part.render(self.app.console, end="")
            text = list(Segment.apply_style(segments, look))
        text = Segment.adjust_line_length(text, text_width, style=look)
        bar_style = self._look(floor, "floor--bar").rich_style if floor.lit or floor.found else look
        bar = Segment("█" if floor.lit or floor.found else " ", bar_style)
        line = Strip([bar, Segment(" ", look), *text, Segment(" ", look)], width)
        return line._apply_link_style(self.link_style) if linked else line

    def _marker_line(self, marker: str, width: int) -> Strip:
        """The page marker, centred."""
        line = Strip([Segment(marker, self.get_visual_style("page--marker").rich_style)])
        line = line.crop(0, width).text_align(width, "center")
        return line.apply_style(self.visual_style.rich_style)

    # Changes --------------------------------------------------------------------------------

    def redraw(self, floor: Floor) -> None:
        """The floor's look or header changed: draw it again; lay out again only when its
        height changed."""
        if not self.is_attached:
            return
        width = self.size.width
        if self._laid_out_at != width or width <= 0:
            self.refresh(layout=True)
            return
        height = self._floor_height(floor, max(1, width - self.GUTTER))
        if height != floor.height:  # it and those after it are laid out again
            self._laid_out_items = min(self._laid_out_items, self.items.index(floor))
            self.refresh(layout=True)
        else:
            self.refresh(Region(0, floor.top, width, floor.height))

    def relay(self) -> None:
        """Every floor's header changed (reading mode): lay the block out again."""
        self._laid_out_at = -1
        self.refresh(layout=True)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        floor = self.floor_at(offset.y) if offset is not None else None
        if floor is not None:
            self.post_message(self.Clicked(floor))

    # Images -----------------------------------------------------------------------------------

    def on_mount(self) -> None:
        last = self.items[-1] if self.items else None
        if isinstance(last, Floor) and shows_images(last):
            self.run_worker(self._show_images(last), group="inline-images", exit_on_error=False)

    async def _show_images(self, floor: Floor) -> None:
        """Draw the last floor's images under it, when the terminal can."""
        protocol = inline_image.graphics_protocol(self.app)
        session = forum_host(self.app).context.session
        if protocol is None or session is None or self.parent is None:
            return
        anchor: Widget = self
        for url, _name in floor.image_links():
            try:
                path = await image_cache.cached_image(session, url)
                pixels = await asyncio.to_thread(inline_image.image_size, path)
                picture = inline_image.image_widget(protocol, path, pixels)
            except Exception:
                continue  # not fetched or not an image: the placeholder in the body stays
            # Recorded before it is mounted: a page let go meanwhile takes the picture with it.
            self.pictures.append(picture)
            await self.parent.mount(picture, after=anchor)
            anchor = picture


def floor_blocks(items: list[BlockItem]) -> list[FloorBlock]:
    """The blocks drawing ``items``: one, split after each floor with images to show (they go
    under that floor, between two blocks)."""
    blocks: list[FloorBlock] = []
    run: list[BlockItem] = []
    for item in items:
        run.append(item)
        if shows_images(item):
            blocks.append(FloorBlock(run))
            run = []
    if run:
        blocks.append(FloorBlock(run))
    return blocks


def shows_images(item: BlockItem) -> bool:
    """Whether images are shown under this item (a floor with images, while images are on)."""
    return isinstance(item, Floor) and item.images and bool(item.image_links())
