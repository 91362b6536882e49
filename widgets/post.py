"""One floor (楼) of a thread: who wrote it, when, what, and what is attached.

Everything shown here came from the forum and is untrusted: names and groups go through
``clean_text`` and become ``rich.text.Text`` (never markup), and the body goes through the
content package only. The body is parsed and rendered once, when the floor is mounted,
which the thread view does only for floors near the viewport.

Where the terminal can draw images (see ``widgets.inline_image``) and images are on, a mounted
floor also fetches its images in a worker, through the shared cache, and shows them under the
body; an image that cannot be fetched or read just leaves the body's placeholder.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo

from rich.console import RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual, visualize
from textual.widget import Widget
from textual.widgets import Static

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


class FloorText(Widget):
    """A floor's header line (author card, or its number in reading mode) and body, drawn from
    lines rendered once per width and look.

    Laying a floor out asks for its height, drawing it for its lines, and focus or a find mark
    changes its background: each of these rendered the body again. Here the body's lines of the
    last few looks are kept (plain, focused, found) as bare segments, made into strips only as
    they are drawn (a strip carries caches of its own, too many to keep for floors off screen),
    and a new header (the exact time on focus) renders one line.
    """

    COMPONENT_CLASSES = {"post--author", "post--number"}
    DEFAULT_CSS = """
    FloorText { height: auto; }
    FloorText > .post--author { color: $text; }
    FloorText > .post--number { text-style: bold; color: $text-muted; }
    """
    LOOKS_KEPT = 3  # looks whose body lines are kept: plain, focused, found

    def __init__(self, header: Text, header_class: str, body: RenderableType) -> None:
        super().__init__(classes="post--text")
        self._header = header
        self._header_class = header_class
        self._body = body
        self._header_lines: tuple[tuple[object, ...], list[Strip]] | None = None
        self._body_lines: dict[tuple[object, ...], list[list[Segment]]] = {}
        self._height = (0, 0)  # (width, lines at that width)

    def set_header(self, header: Text, header_class: str) -> None:
        """Show another header line; the floor is laid out again only when its height changes."""
        width = self.size.width
        before = len(self._lines_of_header(width)) if width else None
        self._header, self._header_class = header, header_class
        self._header_lines = None
        self._height = (0, 0)
        after = len(self._lines_of_header(width)) if width else None
        self.refresh(layout=before != after)

    def _lines_of_header(self, width: int) -> list[Strip]:
        style = VisualStyle.from_rich_style(self.get_component_rich_style(self._header_class))
        if self._header_lines is None or self._header_lines[0] != (width, style):
            lines = Visual.to_strips(self, visualize(self, self._header), width, None, style)
            self._header_lines = ((width, style), lines)
        return self._header_lines[1]

    def _lines_of_body(self, width: int) -> list[list[Segment]]:
        """The body's lines at ``width`` in the widget's look now, rendered as a Static would."""
        style = self.visual_style
        key = (width, style)
        lines = self._body_lines.get(key)
        if lines is None:
            app = self.app
            options = app.console_options.update(highlight=False, width=width, height=None)
            segments = app.console.render(self.post_render(self._body, style.rich_style), options)
            lines = list(Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=False))
            if len(self._body_lines) >= self.LOOKS_KEPT:
                del self._body_lines[next(iter(self._body_lines))]
            self._body_lines[key] = lines
        return lines

    def shown_text(self, *, header_only: bool = False) -> str:
        """What the floor shows (or its header only), as plain text, one line per line drawn."""
        width = self.size.width
        lines = [line.text for line in self._lines_of_header(width)]
        if not header_only:
            lines += ["".join(segment.text for segment in line) for line in self._lines_of_body(width)]
        return "\n".join(line.rstrip() for line in lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The lines at ``width``, counted once: a look changes no line's length."""
        if width <= 0:
            return 0
        if self._height[0] != width:
            self._height = (width, len(self._lines_of_header(width)) + len(self._lines_of_body(width)))
        return self._height[1]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        header = self._lines_of_header(width)
        if y < len(header):
            return header[y]
        body = self._lines_of_body(width)
        if y - len(header) >= len(body):
            return Strip.blank(width)
        line = Strip(body[y - len(header)])
        return line._apply_link_style(self.link_style) if self.auto_links else line


class PostWidget(Widget, ReportsFailedWorkers, can_focus=True):
    """A focusable floor; the thread view moves focus between these."""

    DEFAULT_CSS = """
    PostWidget {
        height: auto;
        padding: 0 1 1 1;
        border-left: blank;
    }
    PostWidget:focus, PostWidget.-found {
        border-left: thick $accent;
        background: $boost;
    }
    PostWidget > .post--attachments { height: auto; margin-top: 1; }
    PostWidget > .post--ratings { height: auto; margin-top: 1; }
    PostWidget > .post--image { margin-top: 1; }
    """

    def __init__(
        self,
        post: Post,
        *,
        images: bool = True,
        smilies: Mapping[str, str] | None = None,
        times: TimeStyle | None = None,
        reading: bool = False,
    ) -> None:
        super().__init__(id=f"post-{post.id}")
        self.post = post
        self.reading = reading  # reading mode: the floor's number instead of its author card
        self.images = images
        self.smilies = smilies  # the site's smiley table (ForumSession.smilies)
        self.times = times or TimeStyle()
        self._document: Document | None = None

    @property
    def document(self) -> Document:
        """The parsed body, made on first use and kept while the floor is mounted."""
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

    def on_mount(self) -> None:
        if self.images and self.image_links():
            self.run_worker(self._show_images(), group="inline-images", exit_on_error=False)

    async def _show_images(self) -> None:
        """Draw this floor's images under the body, when the terminal can."""
        protocol = inline_image.graphics_protocol(self.app)
        session = forum_host(self.app).context.session
        if protocol is None or session is None:
            return
        anchor: Widget = self.query_one(FloorText)
        for url, _name in self.image_links():
            try:
                path = await image_cache.cached_image(session, url)
                pixels = await asyncio.to_thread(inline_image.image_size, path)
                picture = inline_image.image_widget(protocol, path, pixels)
            except Exception:
                continue  # not fetched or not an image: the placeholder in the body stays
            await self.mount(picture, after=anchor)
            anchor = picture

    def _header(self, *, exact: bool) -> tuple[Text, str]:
        if self.reading:
            return Text(floor_label(self.post)), "post--number"
        return author_line(self.post, self.times, exact=exact), "post--author"

    def _show_header(self, *, exact: bool) -> None:
        self.query_one(FloorText).set_header(*self._header(exact=exact))

    def show_reading(self, on: bool) -> None:
        """Reading mode (阅读模式): the floor's number instead of its author card, or back."""
        if on != self.reading:
            self.reading = on
            self._show_header(exact=self.has_focus)

    def on_focus(self) -> None:
        """The focused floor shows its exact time; the others may read "3 hours ago"."""
        self._show_header(exact=True)

    def on_blur(self) -> None:
        self._show_header(exact=False)

    def compose(self) -> ComposeResult:
        yield FloorText(*self._header(exact=False), self.body_renderable())
        if self.post.attachments:
            lines = Text("\n").join(attachment_line(item) for item in self.post.attachments)
            yield Static(lines, classes="post--attachments")
        if self.post.ratings:
            yield Static(ratings_line(self.post.ratings), classes="post--ratings")
