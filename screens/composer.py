"""Writing a reply, a quote-reply or a new thread, without ever losing what was typed.

The text is saved as a draft while typing (``tui.drafts``) and offered again next time in
the same place; a failed send keeps it on screen with the forum's reason in plain words.
The screen dismisses with the ``ReplyResult`` once the forum accepted the post.
"""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Select, Static, TextArea

from screens.base import ForumScreen
from tui import keys
from tui.content import Document, parse_post_html, render_document
from tui.content.bbcode import own_post_html
from tui.drafts import DamagedDraftError, Draft, DraftStore, draft_key
from tui.engine import ForumSession, SupportsEditing, SupportsMessages, capability_gap, offers
from tui.errors import (
    CaptchaRequiredError,
    ForumError,
    LoginRequiredError,
    PermissionDeniedError,
    SubjectRequiredError,
)
from tui.model import CaptchaChallenge, Post, PostSource, ReplyResult, ThreadType
from widgets.captcha import ChallengeForm
from widgets.forum_text import clean
from widgets.post import floor_label

SHORT_DRAFT = 4000  # characters; a draft up to this long is written on every key


def preview_document(text: str, base_url: str, author: str) -> Document:
    """The body as the thread will show it after sending: the forum's BBCode rendering, then
    the same HTML → document path every floor takes."""
    return parse_post_html(own_post_html(text, base_url, author), base_url)


class DiscardScreen(ModalScreen[str | None]):
    """Asks what to do with a non-empty draft when leaving: discard, keep, or stay."""

    CSS_PATH = "composer.tcss"
    BINDINGS = keys.bindings(keys.DISCARD_KEYS)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Leave this message?")
            with Horizontal():
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Keep draft (k)", id="keep", variant="primary")
                yield Button("Keep writing (Esc)", id="stay")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose({"discard": "discard", "keep": "keep"}.get(event.button.id or "", ""))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)


class ComposerScreen(ForumScreen[ReplyResult | None]):
    """A reply (optionally quoting a floor) or, via ``new_thread``, a new thread in a board."""

    CSS_PATH = "composer.tcss"
    BINDINGS = keys.bindings(keys.COMPOSER_KEYS)

    save_delay: float = 0.1
    """Seconds of quiet typing before a long draft is written (and the preview redrawn);
    one of at most ``SHORT_DRAFT`` characters is written on every key."""

    def __init__(
        self,
        session: ForumSession,
        thread_id: str = "",
        *,
        subject: str = "",
        quote: Post | None = None,
        board_id: str = "",
        thread_types: list[ThreadType] | None = None,
        drafts: DraftStore | None = None,
        to_uid: str = "",
        to_name: str = "",
        edit: PostSource | None = None,
        post_id: str = "",
        text: str = "",
    ) -> None:
        """``text`` starts the reply (the thread's quick reply field grown into the composer)."""
        super().__init__()
        self.start_text = text
        self.to_uid = to_uid
        self.to_name = to_name
        self.edit = edit
        self.post_id = post_id
        self.session = session
        self.thread_id = thread_id
        self.subject = subject
        self.quote = quote
        self.board_id = board_id
        self.board_name = ""  # the board a new thread goes to, for the title
        self.thread_types = thread_types or []
        self.drafts = drafts or DraftStore()
        self.draft_key = draft_key(
            session.site_url,
            thread_id=thread_id,
            board_id=board_id,
            recipient=to_uid or to_name,
            post_id=post_id if edit is not None else "",
        )
        self.captcha: CaptchaChallenge | None = None
        self.sending = False
        self._save_timer: Timer | None = None
        self._finished = False

    @classmethod
    def new_thread(
        cls, session: ForumSession, board_id: str, thread_types: list[ThreadType], board_name: str = ""
    ) -> ComposerScreen:
        """A composer for a new thread in ``board_id``, offering the board's thread types."""
        composer = cls(session, board_id=board_id, thread_types=thread_types)
        composer.board_name = board_name
        return composer

    @classmethod
    def private_message(cls, session: ForumSession, *, to_uid: str = "", to_name: str = "") -> ComposerScreen:
        """A composer for a private message to a user by id or by name; it dismisses with True when sent."""
        return cls(session, to_uid=to_uid, to_name=to_name)

    @classmethod
    def edit_post(
        cls, session: ForumSession, thread_id: str, post_id: str, source: PostSource, *, subject: str = ""
    ) -> ComposerScreen:
        """A composer holding a post's current text (and subject, for a first floor) to edit;
        it dismisses with True when saved."""
        return cls(session, thread_id, subject=subject, edit=source, post_id=post_id)

    @property
    def is_edit(self) -> bool:
        return self.edit is not None

    @property
    def asks_subject(self) -> bool:
        """A new thread, or the edit of a thread's first floor."""
        return self.is_new_thread or bool(self.edit and self.edit.subject)

    @property
    def is_message(self) -> bool:
        return bool(self.to_uid or self.to_name)

    @property
    def is_new_thread(self) -> bool:
        return bool(self.board_id) and not self.thread_id

    @property
    def images(self) -> bool:
        return self.host.settings.images

    # Layout --------------------------------------------------------------------------------

    def _title(self) -> Text:
        if self.is_message:
            return Text.assemble(("Message to: ", "bold"), clean(self.to_name) or f"user {self.to_uid}")
        if self.is_new_thread:
            board = clean(self.board_name) or f"board {self.board_id}"
            return Text.assemble(("New thread in: ", "bold"), board)
        title = Text("Edit your post in: " if self.is_edit else "Reply to: ", style="bold")
        title.append(clean(self.subject) or f"thread {self.thread_id}")
        return title

    def _quote_line(self) -> Text:
        if self.quote is None:
            return Text("")
        from tui.content.plain import html_to_text

        excerpt = " ".join(html_to_text(self.quote.html, self.quote.base_url).split())[:160]
        line = Text(f"Quoting {floor_label(self.quote)} by ", style="bold")
        line.append(clean(self.quote.author.name))
        line.append(f": {clean(excerpt)}", style="italic")
        return line

    def compose_body(self) -> ComposeResult:
        yield Static(self._quote_line(), id="composer-quote")
        if self.asks_subject:
            with Horizontal(id="composer-head"):
                yield Input(placeholder="Subject", id="composer-subject")
                if self.is_new_thread and self.thread_types:
                    yield Select(
                        [(clean(kind.name), kind.id) for kind in self.thread_types],
                        prompt="Thread type",
                        id="composer-type",
                    )
        with Horizontal(id="composer-body"):
            yield TextArea(id="composer-text", soft_wrap=True, show_line_numbers=False)
            with VerticalScroll(id="composer-preview"):
                yield Static(id="composer-preview-text")
        yield ChallengeForm("composer-captcha", id="composer-captcha")
        yield LoadingIndicator(id="composer-sending")
        yield Static(id="composer-message")
        yield Footer()  # the composer's keys: "?" is text here, so they are always on show

    def on_mount(self) -> None:
        self.set_title(self._title())
        try:
            draft = self.drafts.load(self.draft_key)
        except DamagedDraftError as error:
            draft = None
            self.show_message(str(error), error=True)
        if self.start_text:
            self._restore(Draft(text=self.start_text))
        elif draft is not None:
            self._restore(draft)
            self.notify("Your unsent text is back.", title="Draft restored")
        elif self.edit is not None:
            self._restore(Draft(text=self.edit.text, subject=self.edit.subject))
        self.query_one("#composer-subject" if self.is_new_thread else "#composer-text").focus()
        if not self.session.user.is_guest:  # the picture or question shows before sending
            self.run_worker(self.load_captcha(focus=False), group="captcha", exit_on_error=False)

    def on_key(self, event: events.Key) -> None:
        """Keys typed right after the key that opened the composer can reach it before the text
        box has the focus: they are typed into it all the same."""
        if self.focused is None and (event.is_printable or event.key == "enter"):
            event.stop()
            event.prevent_default()
            typed = "\n" if event.key == "enter" else event.character or ""
            if self.asks_subject:
                self.query_one("#composer-subject", Input).insert_text_at_cursor(typed.strip("\n"))
            else:
                self.query_one("#composer-text", TextArea).insert(typed)

    def _restore(self, draft: Draft) -> None:
        self.query_one("#composer-text", TextArea).load_text(draft.text)
        if self.asks_subject:
            self.query_one("#composer-subject", Input).value = draft.subject
        if (
            self.is_new_thread
            and draft.type_id
            and any(kind.id == draft.type_id for kind in self.thread_types)
        ):
            self.query_one("#composer-type", Select).value = draft.type_id
        self._update_preview()

    # Drafts --------------------------------------------------------------------------------

    def current_draft(self) -> Draft:
        subject, type_id = "", ""
        if self.asks_subject:
            subject = self.query_one("#composer-subject", Input).value
        if self.is_new_thread and self.thread_types:
            chosen = self.query_one("#composer-type", Select).value
            type_id = chosen if isinstance(chosen, str) else ""
        quote_id = self.quote.id if self.quote else ""
        text = self.query_one("#composer-text", TextArea).text
        return Draft(text=text, subject=subject, type_id=type_id, quote_post_id=quote_id)

    def save_draft(self) -> bool:
        """Write the draft now; False (and the reason on screen) when the disk refused it."""
        if self._finished:
            return True
        try:
            self.drafts.save(self.draft_key, self.current_draft())
        except OSError as error:
            self.show_message(f"The draft could not be saved: {error}", error=True)
            return False
        return True

    @on(TextArea.Changed)
    @on(Input.Changed, "#composer-subject")
    @on(Select.Changed)
    def _edited(self) -> None:
        if len(self.query_one("#composer-text", TextArea).text) <= SHORT_DRAFT:
            self.save_draft()  # a short draft costs nothing to write: every key is kept at once
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(self.save_delay, self._quiet)

    def _quiet(self) -> None:
        self._save_timer = None
        self.save_draft()
        self._update_preview()

    def _update_preview(self) -> None:
        preview = self.query_one("#composer-preview", VerticalScroll)
        if preview.display:
            text = self.query_one("#composer-text", TextArea).text
            document = preview_document(text, self.session.site_url, self.session.user.username)
            shown = render_document(document, images=self.images)
            self.query_one("#composer-preview-text", Static).update(shown)

    def action_toggle_preview(self) -> None:
        preview = self.query_one("#composer-preview", VerticalScroll)
        preview.display = not preview.display
        self._update_preview()

    # Sending -------------------------------------------------------------------------------

    def show_message(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#composer-message", Static)
        line.update(Text(message))
        line.set_class(error, "-error")
        line.display = bool(message)

    def _set_sending(self, sending: bool) -> None:
        self.sending = sending
        self.query_one("#composer-sending").set_class(sending, "-shown")

    def action_send(self) -> None:
        if self.sending:
            return
        draft = self.current_draft()
        if not draft.text.strip():
            self.show_message("Write something first.", error=True)
            return
        if self.asks_subject and not draft.subject.strip():
            self.show_message(SubjectRequiredError.default_message, error=True)
            return
        self.save_draft()
        self.send(draft)

    @work(group="send", exclusive=True, exit_on_error=False)
    async def send(self, draft: Draft) -> None:
        """Post the draft; on failure say why and keep everything as it was."""
        self._set_sending(True)
        self.show_message("Sending…")
        challenge = self.query_one(ChallengeForm)
        answer, question_answer = challenge.captcha_answer, challenge.question_answer
        captcha = self.captcha if answer or question_answer else None
        try:
            result = await self.host.forum_request(
                lambda: self._post(draft, captcha, answer, question_answer)
            )
        except CaptchaRequiredError as error:
            self._set_sending(False)
            self.show_message(str(error), error=True)
            await self.load_captcha()
            return
        except LoginRequiredError as error:
            self._set_sending(False)
            self.show_message(f"{error} Log in, then Ctrl+S sends it.", error=True)
            logged_in = "Logged in: Ctrl+S sends your text."
            self.host.ask_to_log_in(str(error), lambda: self.show_message(logged_in))  # the text stays
            return
        except ForumError as error:
            self._set_sending(False)
            self.show_message(str(error), error=True)
            return
        self._set_sending(False)
        self._finished = True
        self.drafts.delete(self.draft_key)
        self.dismiss(True if result is None else result)

    async def _post(
        self, draft: Draft, captcha: CaptchaChallenge | None, answer: str, question_answer: str
    ) -> ReplyResult | None:
        if self.edit is not None:
            if not offers(self.session, SupportsEditing):
                raise PermissionDeniedError("This forum does not let posts be edited from here.")
            await self.session.edit_post(
                self.thread_id, self.post_id, draft.text, subject=draft.subject.strip()
            )
            return None
        if self.is_message:
            if not offers(self.session, SupportsMessages):
                gap = capability_gap(self.session, SupportsMessages, "private messages")
                raise PermissionDeniedError(gap)
            await self.session.send_pm(
                self.to_uid,
                draft.text,
                username=self.to_name,
                captcha=captcha,
                captcha_answer=answer,
                question_answer=question_answer,
            )
            return None
        if self.is_new_thread:
            return await self.session.new_thread(
                self.board_id,
                draft.subject.strip(),
                draft.text,
                type_id=draft.type_id,
                captcha=captcha,
                captcha_answer=answer,
                question_answer=question_answer,
            )
        return await self.session.reply(
            self.thread_id,
            draft.text,
            quote_post_id=self.quote.id if self.quote else None,
            captcha=captcha,
            captcha_answer=answer,
            question_answer=question_answer,
        )

    async def load_captcha(self, *, focus: bool = True) -> None:
        """Fetch and show a fresh captcha and/or question with inputs for the answers."""
        try:
            self.captcha = await self.host.forum_request(self.session.captcha_for_post)
        except ForumError as error:
            if focus:  # asked for by a refusal; a failed look ahead of time stays quiet
                self.show_message(f"The captcha could not be loaded: {error}", error=True)
            return
        challenge = self.query_one(ChallengeForm)
        challenge.show(self.captcha)
        if self.captcha is not None and focus:
            challenge.first_input().focus()

    @on(Input.Submitted, "#composer-captcha Input")
    def _captcha_answered(self) -> None:
        self.action_send()

    def recover(self, message: str) -> None:
        """After a failed worker: out of "sending", the reason shown, the text untouched."""
        self._set_sending(False)
        self.show_message(message, error=True)

    # Leaving -------------------------------------------------------------------------------

    def action_close(self) -> None:
        """Leave; a non-empty draft asks first whether to discard or keep it (an edit left as
        the post was has nothing to lose)."""
        draft = self.current_draft()
        unchanged_edit = self.edit is not None and (draft.text, draft.subject) == (
            self.edit.text,
            self.edit.subject,
        )
        if draft.is_empty or unchanged_edit:
            self._leave(discard=True)
            return

        def decided(choice: str | None) -> None:
            if choice in ("discard", "keep"):
                self._leave(discard=choice == "discard")

        self.app.push_screen(DiscardScreen(), decided)

    def _leave(self, *, discard: bool) -> None:
        if discard:
            self._finished = True
            self.drafts.delete(self.draft_key)
        elif not self.save_draft():
            return  # the text stays on screen, with why it could not be kept
        else:
            self._finished = True
        self.workers.cancel_group(self, "send")
        self.dismiss(None)

    def on_unmount(self) -> None:
        """Closing the app mid-sentence keeps the sentence."""
        if self._save_timer is not None:
            self._save_timer.stop()
        with contextlib.suppress(NoMatches):
            self.save_draft()
