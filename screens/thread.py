"""Reading a thread floor by floor, with replies, quotes, jumps and filters from the keyboard."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.widgets import Input, Static

from screens.base import FIND_WRAPPED, ForumScreen, next_match
from screens.floor_actions import FLOOR_BINDINGS, FloorActions
from tui import images, keys
from tui.config import Settings
from tui.engine import ForumSession, SupportsEditing, SupportsPolls, SupportsRatings, offers
from tui.errors import ForumError
from tui.model import ReplyResult
from tui.visits import ClosedThreads
from tui.words import counted
from widgets.browser import open_in_browser, run_in_terminal
from widgets.forum_text import clean
from widgets.poll import PollWidget
from widgets.post import Floor, floor_label
from widgets.thread_view import ThreadView, post_at_floor, post_with_id


def parse_jump(text: str) -> tuple[str, int] | None:
    """``12`` is page 12; ``#12``, ``12#``, ``12f`` or ``12楼`` is floor 12. None when neither."""
    text = text.strip().lower()
    kind = "page"
    if text.startswith("#"):
        kind, text = "floor", text[1:]
    elif text.endswith(("#", "f", "楼")):
        kind, text = "floor", text[:-1]
    text = text.strip()
    if not text.isdigit() or int(text) < 1:
        return None
    return kind, int(text)


class ThreadScreen(FloorActions, ForumScreen):
    """One thread: floors load as you go; everything is a key away."""

    CSS_PATH = "thread.tcss"

    BINDINGS = [*keys.bindings(keys.THREAD_KEYS), *FLOOR_BINDINGS]

    def __init__(
        self, session: ForumSession, thread_id: str, *, page: int = 1, post_id: str | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.thread_id = thread_id
        self.start_page = page
        self.start_post_id = post_id
        self.prompt_mode = ""
        self.mode_shown = ""  # the text on the mode line
        self.closed_noted: tuple[str, bool] | None = None  # what _note_closed last saved
        self.loading_shown = ""  # the load in progress this screen shows as the status bar's activity
        self.last_find = ""
        self.find_at: Floor | None = None  # where find goes on from
        self.image_turns: dict[str, int] = {}  # post id → how many of its images were opened
        self.load_failed = False  # the first load failed: nothing to read, r tries again

    @property
    def settings(self) -> Settings:
        return self.host.settings

    @property
    def view(self) -> ThreadView:
        return self.query_one(ThreadView)

    def compose_body(self) -> ComposeResult:
        yield ThreadView(
            self.session,
            self.thread_id,
            images=self.settings.images,
            page_size=self.settings.posts_per_page or None,
            time_zone=self.settings.time_zone,
            reading=self.settings.reading_mode,
        )
        yield Input(id="thread-prompt", classes="find", disabled=True)
        yield Static(id="thread-mode")

    def on_mount(self) -> None:
        self.set_title(Text(f"Thread {self.thread_id}"))
        self._open_start()

    def on_screen_resume(self) -> None:
        self._show_status()

    def on_screen_suspend(self) -> None:
        """Another screen is shown: a load going on here is not what it is doing."""
        self._forget_loading()

    def on_unmount(self) -> None:
        self._forget_loading()

    def _forget_loading(self) -> None:
        if self.loading_shown:
            self.loading_shown = ""
            self.host.status.set_activity("")

    def _open_start(self) -> None:
        if self.start_post_id:
            self.show_post(self.start_post_id)
        elif self.start_page > 1 or not self.resume_reading():
            self.view.open_page(self.start_page)

    # What the view tells ------------------------------------------------------------

    @on(ThreadView.Loaded)
    def _loaded(self, event: ThreadView.Loaded) -> None:
        thread = event.page.thread
        title = Text(clean(thread.subject) or f"Thread {thread.id}", style="bold")
        title.append(f"   {counted(thread.replies, 'reply')} · {counted(thread.views, 'view')}", style="dim")
        if thread.closed:
            title.append(" · closed", style="bold red")
        self.set_title(title)
        self._note_closed(thread.id or self.thread_id, thread.closed)
        self.load_failed = False
        self.show_problem("")
        self._show_status()

    def _note_closed(self, thread_id: str, closed: bool) -> None:
        """What the page says of the thread being closed, for the marks of lists that do not say
        (read from and written to disk: once per thread and state, not for every page read on)."""
        if self.closed_noted == (thread_id, closed):
            return
        try:
            ClosedThreads().seen(self._history_account(), thread_id, closed)
            self.closed_noted = (thread_id, closed)
        except OSError as error:
            note = f"Could not note whether the thread is closed: {error}"
            self.notify(note, severity="warning", markup=False)

    @on(ThreadView.LoadFailed)
    def _load_failed(self, event: ThreadView.LoadFailed) -> None:
        """Say what failed; with nothing on screen, ``r`` tries again and Esc goes back."""
        if any(True for _ in self.view.floors()):
            self.show_problem(str(event.error))
            return
        self.load_failed = True
        self.show_problem(f"{event.error}\nr: try again · Esc: back")
        self.set_focus(None)  # no hidden field may take the keys typed next

    def recover(self, message: str) -> None:
        """After a failed worker: say why, and leave no load half-done or mode line stale."""
        self.view.cancel_loading()
        self.show_problem(message)
        self._show_status()

    @on(ThreadView.Loading)
    @on(ThreadView.Position)
    def _position_changed(self) -> None:
        self._show_status()

    def _show_status(self) -> None:
        """Page x/y and any load in progress in the status bar; the filters on the mode line.

        The load is not on the mode line: that line coming and going while reading on would
        change the view's height, and lay every floor held out again, twice a page."""
        view = self.view
        status = self.host.status
        status.set_page(view.page_reported, view.pages)
        loading = f"loading page {view.waiting_page}… (Esc stops)" if view.waiting_page is not None else ""
        if loading != self.loading_shown:
            self.loading_shown = loading
            status.set_activity(loading)
        parts = []
        if view.filter.author_id:
            parts.append("only one author (a: everyone)")
        if view.filter.reverse:
            parts.append("newest first (s: oldest first)")
        mode, shown = self.query_one("#thread-mode", Static), " · ".join(parts)
        if shown != self.mode_shown:  # an update lays out every floor held: only on a change
            self.mode_shown = shown
            mode.update(Text(shown))
        mode.display = bool(parts)

    # Moving ---------------------------------------------------------------------------

    def action_floor_down(self) -> None:
        self.view.step_or_scroll(+1)

    def action_floor_up(self) -> None:
        self.view.step_or_scroll(-1)

    def action_next_floor(self) -> None:
        self.view.step_floor(+1)

    def action_previous_floor(self) -> None:
        self.view.step_floor(-1)

    def action_first_floor(self) -> None:
        self.view.go_first()

    def action_last_floor(self) -> None:
        self.view.go_last()

    def action_screen_down(self) -> None:
        self.view.scroll_screens(+1)

    def action_screen_up(self) -> None:
        self.view.scroll_screens(-1)

    def action_next_page(self) -> None:
        self.view.turn_page(+1)

    def action_previous_page(self) -> None:
        self.view.turn_page(-1)

    @work(group="locate", exclusive=True)
    async def show_post(self, post_id: str) -> None:
        """Focus a post wherever it is in the thread."""
        await self.view.go_to_post(post_id)

    def action_follow_quote(self) -> None:
        """Go to the floor the focused floor quotes: by its link, else by author and words."""
        floor = self._focused_floor()
        quotes = floor.document.quotes if floor is not None else []
        if floor is None or not quotes:
            self.notify("This floor quotes no post.")
        elif quotes[0].post_id:
            self.show_post(quotes[0].post_id)
        elif (quoted := self.view.floor_quoted_in(floor, quotes[0])) is not None:
            self.view.focus_floor(quoted)
        else:
            self.notify("The quoted floor was not found on the loaded pages.", severity="warning")

    # Filters --------------------------------------------------------------------------

    def action_toggle_author(self) -> None:
        view = self.view
        if view.filter.author_id:
            view.filter.author_id = None
            self.notify("Showing every author.")
        else:
            floor = self._focused_floor()
            if floor is None:
                return
            view.filter.author_id = floor.post.author.id
            self.notify(f"Only posts by {clean(floor.post.author.name)}.", markup=False)
        view.reload()
        self._show_status()

    def action_toggle_reverse(self) -> None:
        view = self.view
        view.filter.reverse = not view.filter.reverse
        self.notify("Newest first." if view.filter.reverse else "Oldest first.")
        view.reload()
        self._show_status()

    # Prompt: find and jump --------------------------------------------------------------

    def _open_prompt(self, mode: str, placeholder: str) -> None:
        prompt = self.query_one("#thread-prompt", Input)
        self.find_at = self._focused_floor()
        self.prompt_mode = mode
        prompt.placeholder = placeholder
        prompt.value = self.last_find if mode == "find" else ""
        prompt.add_class("-shown")
        prompt.disabled = False
        prompt.focus()

    def _close_prompt(self) -> None:
        """Hide the prompt; the floor find stopped at (else the one read before) takes the focus."""
        prompt = self.query_one("#thread-prompt", Input)
        prompt.remove_class("-shown")
        prompt.disabled = True  # hidden, it must never take the focus
        self.prompt_mode = ""
        floor = self.find_at if self.find_at is not None and self.find_at.is_attached else None
        self.view.mark_found(None)
        floor = floor or self.view.first_visible_floor() or next(iter(self.view.floors()), None)
        if floor is not None:
            self.view.focus_floor(floor)

    def action_find(self) -> None:
        self._open_prompt("find", "Find in the loaded pages: Enter finds the next, Esc closes")

    def action_jump(self) -> None:
        self._open_prompt("jump", "Page number, or #floor (e.g. 12 or #240), then Enter")

    @on(Input.Submitted, "#thread-prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        mode, text = self.prompt_mode, event.value
        if mode == "jump":
            target = parse_jump(text)
            if target is None:
                self.notify("Type a page number, or # and a floor number.", severity="warning")
                return
            self._close_prompt()
            kind, number = target
            thread = self.view.thread
            if kind == "floor" and thread is not None and number > thread.floors:
                self.notify(f"The thread has {thread.floors} floors.", severity="warning")
            elif kind == "floor":
                self.view.go_to_floor(number)
            elif number > self.view.pages:
                self.notify(f"The thread has {self.view.pages} pages.", severity="warning")
            else:
                self.view.open_page(number)
        elif mode == "find":
            self.last_find = text
            if not text.strip():
                self._close_prompt()
                return
            self.find_next(text)

    def find_next(self, needle: str) -> None:
        """Show the next loaded floor containing ``needle`` (any case), going round once.

        The prompt stays open so Enter finds the one after; Esc leaves the focus there.
        """
        needle = needle.strip().casefold()
        floors = self.view.floors()
        if not needle or not floors:
            return
        after = floors.index(self.find_at) if self.find_at in floors else -1
        found = next_match(len(floors), after, lambda index: needle in floors[index].plain_text().casefold())
        if found is None:
            self.notify("Not found in the loaded pages.", severity="warning", timeout=3)
            return
        index, wrapped = found
        self.find_at = floors[index]
        self.view.mark_found(floors[index])
        self.view.reveal(floors[index])
        if wrapped:
            self.notify(FIND_WRAPPED, timeout=3)

    # Replies ------------------------------------------------------------------------------

    def action_reply(self) -> None:
        """Reply; after a failed first load, ``r`` tries the load again instead."""
        self._typing_elsewhere()
        if self.load_failed:
            self.load_failed = False
            self.show_problem("Loading again…")
            self._open_start()
            return
        self._open_composer(quote=None)

    def _typing_elsewhere(self) -> None:
        """A priority key typed into the find or jump box is text, not a command."""
        if isinstance(self.focused, Input):
            raise SkipAction()

    def action_quote_reply(self) -> None:
        self._typing_elsewhere()
        floor = self._focused_floor()
        if floor is None:
            self.notify("No floor to quote yet.")
            return
        self._open_composer(quote=floor)

    def _open_composer(self, quote: Floor | None, text: str = "") -> None:
        """The composer, where posting can succeed: not in a closed thread, and as a guest
        only after logging in (then it opens)."""
        from screens.composer import ComposerScreen

        if self.view.thread is not None and self.view.thread.closed:
            self.notify("This thread is closed: it takes no replies.", severity="warning")
            return
        if self.session.user.is_guest:
            self.host.ask_to_log_in("Log in to reply.", lambda: self._open_composer(quote, text))
            return
        subject = self.view.thread.subject if self.view.thread else ""
        composer = ComposerScreen(
            self.session, self.thread_id, subject=subject, quote=quote.post if quote else None, text=text
        )
        self.app.push_screen(composer, self._reply_sent)

    def _reply_sent(self, result: ReplyResult | None) -> None:
        if result is None:
            return
        self.notify("Reply sent.")
        view = self.view
        view.forget_pages()
        if view.filter.reverse:
            view.open_page(1, post_with_id(result.post_id))
        else:
            self.show_post(result.post_id)

    # Links ----------------------------------------------------------------------------------

    def _floor_url(self) -> str:
        floor = self._focused_floor()
        if floor is None:
            return self.session.thread_url(self.thread_id, self.view.current_page())
        return self.session.post_url(floor.post.id, self.thread_id)

    def action_copy_link(self) -> None:
        url = self._floor_url()
        self.app.copy_to_clipboard(url)
        self.notify(url, title="Link copied", markup=False)

    @work(group="edit", exclusive=True, exit_on_error=False)
    async def action_edit_post(self) -> None:
        """``e``: the focused floor, when it is yours, in the composer with its current text."""
        from screens.composer import ComposerScreen

        floor = self._focused_floor()
        if floor is None:
            return
        if not offers(self.session, SupportsEditing):
            self.notify("This forum does not let posts be edited from here.", severity="warning")
            return
        if self.session.user.is_guest or floor.post.author.id != self.session.user.uid:
            self.notify("You can only edit your own posts.", severity="warning")
            return
        post_id = floor.post.id
        try:
            source = await self.host.forum_request(lambda: self.session.post_source(self.thread_id, post_id))
        except ForumError as error:
            self.notify(clean(str(error)), severity="error", markup=False)
            return
        subject = self.view.thread.subject if self.view.thread else ""
        composer = ComposerScreen.edit_post(self.session, self.thread_id, post_id, source, subject=subject)
        page = self.view.current_page()

        def saved(done: object) -> None:
            if done:
                self.notify("Post edited.")
                self.view.open_page(page, post_with_id(post_id))

        self.app.push_screen(composer, saved)

    def action_rate(self) -> None:
        """``+``: the focused floor's ratings and the site's rate form."""
        from screens.rate import RateScreen

        floor = self._focused_floor()
        if floor is None:
            return
        if not offers(self.session, SupportsRatings):
            self.notify("This forum does not offer ratings.", severity="warning")
            return
        post_id = floor.post.id

        def rated(done: object) -> None:
            if done:
                self.notify("Rated.")

        self.app.push_screen(RateScreen(self.thread_id, post_id, floor_label(floor.post)), rated)

    def action_author_profile(self) -> None:
        """``p`` or ``u``: the focused floor's author's profile."""
        floor = self._focused_floor()
        if floor is not None and floor.post.author.id:
            self.host.open_profile(floor.post.author.id, floor.post.author.name)

    @work(group="favourite", exclusive=True, exit_on_error=False)
    async def action_toggle_favourite(self) -> None:
        """``F``: add the thread to the site's favourites, or remove it when it is there."""
        from screens.account import toggle_favourite

        try:
            said = await self.host.forum_request(lambda: toggle_favourite(self.session, self.thread_id))
        except ForumError as error:
            self.notify(clean(str(error)), severity="error", markup=False)
            return
        self.notify(said, timeout=3)

    def action_open_browser(self) -> None:
        open_in_browser(self.app, self._floor_url())

    # Images -----------------------------------------------------------------------------------

    def action_open_image(self) -> None:
        """Open the focused floor's next image in the system viewer (downloaded once, then cached)."""
        if not self.settings.images:
            self.notify("Images are off (data saver), so nothing was downloaded.")
            return
        floor = self._focused_floor()
        links = floor.image_links() if floor is not None else []
        if floor is None or not links:
            self.notify("This floor has no images.")
            return
        turn = self.image_turns.get(floor.post.id, 0)
        self.image_turns[floor.post.id] = turn + 1
        index = turn % len(links)
        url, name = links[index]
        label = f"image {index + 1} of {len(links)}: {name}" if len(links) > 1 else name
        self.open_image(url, label)

    @work(group="image", exclusive=True)
    async def open_image(self, url: str, label: str) -> None:
        """Names and paths come from the forum, so no notification here reads them as markup."""
        try:
            path = await images.cached_image(self.session, url)
        except ForumError as error:
            self.notify(f"{label}: {error}", title="Image not opened", severity="error", markup=False)
            return
        except OSError as error:
            message = f"{label}: could not save it ({error})"
            self.notify(message, title="Image not opened", severity="error", markup=False)
            return
        in_terminal = run_in_terminal(self.app, str(path))
        if in_terminal:
            return
        if in_terminal is None and await images.open_in_viewer(path):
            self.notify(label, title="Opening image", markup=False)
        else:
            self.notify(f"{label}: no image viewer found; saved at {path}", title="Image", markup=False)

    # Poll -------------------------------------------------------------------------------------

    @on(PollWidget.VoteRequested)
    def _vote(self, event: PollWidget.VoteRequested) -> None:
        self.send_vote(event.option_ids)

    @work(group="vote", exclusive=True)
    async def send_vote(self, option_ids: list[str]) -> None:
        thread, session = self.view.thread, self.session
        if not offers(session, SupportsPolls):  # the poll offers no vote then
            return
        try:
            board_id = thread.board_id if thread else ""
            await self.host.forum_request(lambda: session.vote(self.thread_id, board_id, option_ids))
        except ForumError as error:
            self.notify(clean(str(error)), title="Vote not counted", severity="error", markup=False)
            return
        self.notify("Vote counted.")
        self.view.forget_pages()
        self.view.open_page(1, post_at_floor(1))

    # Leaving ----------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Esc closes the prompt, else stops a slow load, else goes back a screen."""
        if self.prompt_mode:
            self._close_prompt()
        elif self.view.cancel_loading():
            self.notify("Loading stopped.")
        else:
            self.host.go_back()
