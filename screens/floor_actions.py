"""Reading aids of the thread view that act on the focused floor or the whole thread, kept
apart from the screen's moving and replying: reading mode, the reading position, and the
panels and files a floor leads to."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.screen import Screen

from screens.floor_panels import ChoiceScreen, DownloadScreen
from tui import keys
from tui.accounts import site_key
from tui.config import Settings, downloads_dir, unused_path
from tui.engine import SupportsDownloads, offers
from tui.errors import ForumError
from tui.history import ReadingHistory, account_key
from tui.host import forum_host
from tui.model import Attachment, ReplyResult, TargetKind
from tui.registry import resolve_target
from tui.words import counted
from widgets.browser import open_in_browser
from widgets.forum_text import clean, forum_text
from widgets.poll import PollWidget
from widgets.post import Floor
from widgets.reply_line import ReplyLine
from widgets.thread_view import ThreadView

if TYPE_CHECKING:
    from tui.engine import ForumSession

FLOOR_BINDINGS = keys.bindings(keys.FLOOR_KEYS)


def link_label(text: str, url: str) -> Text:
    label = forum_text(text, style="bold")
    label.append(f"\n  {clean(url)}", style="dim")
    return label


def file_label(attachment: Attachment) -> Text:
    label = Text(clean(attachment.name) or "(unnamed file)")
    label.append(f"  {clean(attachment.size)}", style="dim")
    return label


def _write_export(name: str, text: str) -> Path:
    path = unused_path(downloads_dir(), name)
    path.write_text(text, encoding="utf-8")
    return path


class FloorActions(Screen):
    """Mixed into the thread screen, which provides ``view``, ``session``, ``thread_id`` and
    ``settings``."""

    view: ThreadView
    session: ForumSession
    thread_id: str
    settings: Settings
    _open_composer: Callable[..., None]
    _reply_sent: Callable[[ReplyResult | None], None]

    def action_toggle_reading_mode(self) -> None:
        """Text only, numbered (the web's 阅读模式); the host applies it to every open thread."""
        forum_host(self.app).toggle_reading_mode()

    # Reading position ----------------------------------------------------------------------

    @property
    def history(self) -> ReadingHistory | None:
        return forum_host(self.app).history

    def _history_account(self) -> str:
        return account_key(self.session.site_url, self.session.user.uid)

    def resume_reading(self) -> bool:
        """Open the thread where this account stopped reading it; False when there is no such place."""
        history = self.history
        entry = history.position(self._history_account(), self.thread_id) if history else None
        if entry is None or entry.floor <= 1 or not entry.post_id:
            return False
        self.notify(f"Back at floor #{entry.floor}, where you stopped (g or 1: the top).", timeout=4)
        self.run_worker(self.view.go_to_post(entry.post_id), group="locate", exclusive=True)
        return True

    @on(ThreadView.CursorMoved)
    def _reading_position(self, event: ThreadView.CursorMoved) -> None:
        """Each floor the reader puts the cursor on becomes the thread's reading position."""
        history, floor, view = self.history, event.floor, self.view
        thread = view.thread
        if history is None or thread is None or view.filter.author_id or view.filter.reverse:
            return  # a filtered view's floors are not where the thread reads on
        history.record(
            self._history_account(),
            self.thread_id,
            subject=thread.subject,
            floor=floor.post.floor,
            floors=thread.replies + 1,
            post_id=floor.post.id,
        )

    # Links, profile, files ---------------------------------------------------------------------

    def _focused_floor(self) -> Floor | None:
        """The floor the actions act on: the cursor floor, or the first on screen."""
        return self.view.focused_floor() or self.view.first_visible_floor()

    def action_links(self) -> None:
        """The focused floor's links; Enter opens one (forum threads here, the rest in the browser)."""
        floor = self._focused_floor()
        links = floor.document.links if floor is not None else []
        if not links:
            self.notify("This floor has no links.")
            return
        labels = [link_label(text, url) for text, url in links]
        urls = [url for _, url in links]

        def chosen(index: int | None) -> None:
            if index is not None:
                self.open_link(urls[index])

        hint = "Enter opens · y copies the link · Esc closes"
        title = f"Links in floor #{floor.post.floor}"
        self.app.push_screen(ChoiceScreen(title, labels, copies=urls, hint=hint), chosen)

    def open_link(self, url: str) -> None:
        """A thread or floor of this forum opens in the app at that floor; anything else in the browser."""
        try:
            target = resolve_target(url)
        except ForumError:
            target = None
        same_site = target is not None and site_key(target.site_url) == site_key(self.session.site_url)
        if target is None or not same_site or target.kind not in (TargetKind.THREAD, TargetKind.POST):
            open_in_browser(self.app, url)
            return
        thread_id = target.id if target.kind is TargetKind.THREAD else target.thread_id
        if target.kind is TargetKind.POST and thread_id in ("", self.thread_id):
            self.run_worker(self.view.go_to_post(target.id), group="locate", exclusive=True)
        elif target.kind is TargetKind.THREAD and thread_id == self.thread_id:
            self.view.open_page(target.page)
        else:
            forum_host(self.app).open_target(url)

    def action_download(self) -> None:
        """Download the focused floor's file attachments (images open with i) into Downloads."""
        floor = self._focused_floor()
        files = [item for item in floor.post.attachments if not item.is_image and item.url] if floor else []
        if not files:
            self.notify("This floor has no files to download (images open with i).")
        elif not offers(self.session, SupportsDownloads):
            self.notify("Downloading files is not possible on this forum.")
        elif len(files) == 1:
            self.download(files[0])
        else:
            labels, urls = [file_label(item) for item in files], [item.url for item in files]
            hint = "Enter downloads · y copies the link · Esc closes"
            choice = ChoiceScreen("Download which file?", labels, copies=urls, hint=hint)
            self.app.push_screen(choice, lambda index: None if index is None else self.download(files[index]))

    def download(self, attachment: Attachment) -> None:
        session = self.session
        assert isinstance(session, SupportsDownloads)
        name = clean(attachment.name)
        try:
            path = unused_path(downloads_dir(), name or f"attachment-{attachment.id}")
        except OSError as error:
            self.notify(f"The Downloads folder cannot be used: {error}", severity="error", markup=False)
            return

        def saved(where: Path | None) -> None:
            if where is not None:
                self.notify(str(where), title="Downloaded", markup=False, timeout=10)

        fetch = lambda sink, progress: session.download(attachment.url, sink, progress)  # noqa: E731
        self.app.push_screen(DownloadScreen(name or path.name, path, fetch, take_forum_name=not name), saved)

    # Export --------------------------------------------------------------------------------

    def export_thread(self) -> None:
        """Every page of the thread as Markdown in the Downloads folder (palette: Export thread)."""
        self.run_worker(self._export(), group="export", exclusive=True, exit_on_error=False)

    async def _export(self) -> None:
        from tui.read_command import format_markdown, read_all_pages

        host = forum_host(self.app)

        def progress(done: int, pages: int) -> None:
            host.status.set_activity(f"Exporting page {done}/{pages}…")

        try:
            read = lambda: read_all_pages(self.session, self.thread_id, progress=progress)  # noqa: E731
            whole = await host.forum_request(read)
            text = format_markdown(whole, self.view.smilies)
            name = f"{clean(whole.thread.subject)[:60] or 'thread'}-{self.thread_id}.md"
            path = await asyncio.to_thread(_write_export, name, text)
        except (ForumError, OSError) as error:
            self.notify(f"Thread not exported: {error}", severity="error", markup=False)
            return
        finally:
            host.status.set_activity("")
        title = f"Exported {counted(len(whole.posts), 'floor')}"
        self.notify(str(path), title=title, markup=False, timeout=10)

    # Replying at the end of the thread ---------------------------------------------------------

    def action_quick_reply(self) -> None:
        """L: the quick reply field below the last floor (guests: log in, then the composer)."""
        if self.session.user.is_guest:
            self._open_composer(None)
            return
        line = self.view.reply_line()
        if line is not None and line.focus_entry():
            line.scroll_visible(animate=False)
        elif line is not None:
            self.notify("This thread is closed: it takes no replies.")
        else:
            self.view.go_last()
            self.view.when_loaded(self.action_quick_reply)

    @on(ReplyLine.Wanted)
    def _full_composer(self, event: ReplyLine.Wanted) -> None:
        self._open_composer(None, event.text)

    @on(ReplyLine.Send)
    def _quick_send(self, event: ReplyLine.Send) -> None:
        self.send_quick_reply(event.line, event.text)

    @work(group="quick-reply", exclusive=True, exit_on_error=False)
    async def send_quick_reply(self, line: ReplyLine, text: str) -> None:
        try:
            result = await forum_host(self.app).forum_request(
                lambda: self.session.reply(self.thread_id, text)
            )
        except ForumError as error:
            self.notify(str(error), title="Reply not sent", severity="error", markup=False)
            return
        line.sent()
        self._reply_sent(result)

    # Poll ------------------------------------------------------------------------------------

    def action_vote_in_poll(self) -> None:
        """v on any floor: to the poll's ballot (on page one), or why there is none to fill in."""
        polls = list(self.view.query(PollWidget))
        if not polls:
            if self.view.thread is not None and self.view.sections() and self.view.sections()[0].number == 1:
                self.notify("This thread has no poll.")
            else:
                self.view.open_page(1)
                self.view.when_loaded(self.action_vote_in_poll)
            return
        poll = polls[0]
        ballot = poll.ballot
        if ballot is None:
            if poll.poll.voted:
                self.notify("You voted in this poll already.")
            elif self.session.user.is_guest:
                self.notify("Log in to vote in this poll.")
            else:
                self.notify("This poll takes no vote from you (closed, or not allowed).")
            return
        poll.scroll_visible(animate=False)
        ballot.focus()
        self.notify("Arrows move, space or Enter picks, then v votes.", timeout=4)

    def on_unmount(self) -> None:
        forum_host(self.app).save_history()
