"""Log in to a forum, or browse it as a guest.

The form has the site address (remembered accounts listed beside it), username, password,
the Discuz! security question and its answer, and a captcha drawn in the terminal when the
site asks for one. Dismisses with True once logged in or browsing as a guest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from screens.base import ForumScreen
from tui import keys
from tui.accounts import Account, sends_in_clear
from tui.errors import (
    CaptchaRequiredError,
    ForumError,
    NetworkError,
    SecurityQuestionRequiredError,
    WrongPasswordError,
)
from tui.registry import account_pages, login_questions
from widgets.browser import open_in_browser
from widgets.captcha import ChallengeForm
from widgets.forum_text import forum_text
from widgets.tick_box import TickBox

if TYPE_CHECKING:
    from tui.engine import ForumSession
    from tui.model import CaptchaChallenge, LoginRequest


class SuggestedAccount(Protocol):
    """An account the form lists with its password, such as the demo forum's."""

    username: str
    password: str
    question_id: int
    answer: str
    note: str


def _row(label: str, field: Input | Select[int]) -> ComposeResult:
    """A one-line form row: label on the left, a compact field filling the rest."""
    field.compact = True
    with Horizontal(classes="form-row"):
        yield Label(label)
        yield field


class LoginScreen(ForumScreen):
    """The log-in form; ``returning`` means a screen asked for it and gets the user back."""

    # Tab and Shift+Tab are priority bindings: the app runs them as it reads the key, so the
    # focus has moved before it hands the next key to a widget. As Screen's ordinary bindings
    # they act only once the key has bubbled up from the focused field, and keys arriving in
    # a burst (the event loop was busy, as just after start-up) went to the old field.
    BINDINGS = keys.bindings((*keys.LOGIN_KEYS, *keys.LOGIN_PAGE_KEYS))

    def __init__(
        self,
        site_url: str | None,
        *,
        demo_accounts: Sequence[SuggestedAccount] = (),
        message: str = "",
        returning: bool = False,
    ) -> None:
        super().__init__()
        self.site_url = site_url or ""
        self.questions = login_questions(self.site_url)
        self.demo_accounts = tuple(demo_accounts)
        self.first_message = message
        self.returning = returning
        self.captcha: CaptchaChallenge | None = None

    def _saved_accounts(self) -> list[Account]:
        """The accounts remembered for this site, the one used last first (none for the demo)."""
        if self.demo_accounts or not self.site_url:
            return []
        return self.host.context.book.for_site(self.site_url)

    def _first_field(self) -> str:
        """The field the cursor starts in: the site when none is given, the password when an
        account is remembered for it, else the username."""
        if not self.site_url:
            return "#site"
        return "#password" if self._saved_accounts() else "#username"

    def compose_body(self) -> ComposeResult:
        # Focused as the form is built: a first focus on the scrolling form, moved on from
        # there, would restyle every field twice before the form is drawn.
        self.AUTO_FOCUS = self._first_field()
        with Horizontal(id="login-columns"):
            with VerticalScroll(id="login-form"):
                site = Input(self.site_url, placeholder="https://bbs.example.com/", id="site")
                yield from _row("Site", site)
                yield from _row("Username", Input(id="username"))
                yield from _row("Password", Input(password=True, id="password"))
                questions = [(question, index) for index, question in enumerate(self.questions)]
                question = Select(questions, value=0, allow_blank=False, id="question")
                yield from _row("Security question", question)
                yield from _row("Answer", Input(placeholder="if the account has one", id="answer"))
                yield ChallengeForm("captcha", id="captcha-box")
                yield Static(id="insecure", classes="warning")
                yield TickBox("Remember me (kept in the OS keyring)", compact=True, id="remember")
                with Horizontal(id="login-buttons"):
                    yield Button("Log in", variant="primary", compact=True, id="login")
                    yield Button("Browse as guest", compact=True, id="guest")
                with Horizontal(id="site-pages"):
                    yield Button("Register (Ctrl+R)", compact=True, id="register")
                    yield Button("Forgot password (Ctrl+F)", compact=True, id="lost-password")
            with Vertical(id="login-side"):
                yield Label(self._side_title(), id="side-title")
                yield OptionList(id="accounts")

    @on(Input.Changed, "#site")
    def _warn_if_unencrypted(self) -> None:
        """Before anything is sent: a plain-http site (not this machine) gets the password in clear."""
        site = self.query_one("#site", Input).value
        warning = self.query_one("#insecure", Static)
        warning.update(
            Text(
                "This site uses plain http: your password would travel unencrypted. "
                "Use https:// if the forum offers it.",
                style="bold",
            )
        )
        warning.display = sends_in_clear(site)

    def _side_title(self) -> str:
        return "Demo accounts (Enter fills the form)" if self.demo_accounts else "Remembered accounts"

    def on_mount(self) -> None:
        self.set_title("Log in")
        self.host.status.clear_page()
        self.show_problem(self.first_message)
        self._warn_if_unencrypted()
        self._fill_account_list()
        saved = self._saved_accounts()
        if saved:  # the account used last on this site: only the password is missing
            self._fill_saved(saved[0])
        self.query_one(self._first_field(), Input).focus()
        if self.site_url:
            self._check_captcha()

    def _fill_account_list(self) -> None:
        accounts = self.query_one("#accounts", OptionList)
        if self.demo_accounts:
            for index, demo in enumerate(self.demo_accounts):
                label = Text.assemble((demo.username, "bold"), f"  password: {demo.password}")
                if demo.question_id:
                    label.append(f"\n  question {demo.question_id}: {self.questions[demo.question_id]}")
                    label.append(f"\n  answer: {demo.answer}")
                if demo.note:
                    label.append(f"\n  {demo.note}", style="dim")
                accounts.add_option(Option(label, id=f"demo-{index}"))
            return
        for index, account in enumerate(self.host.context.book.all()):
            label = Text.assemble(forum_text(account.username, "bold"), "\n  ", (account.site_url, "dim"))
            accounts.add_option(Option(label, id=f"saved-{index}"))
        if not accounts.option_count:
            accounts.add_option(Option(Text("(none yet)", style="dim"), disabled=True))

    @on(OptionList.OptionSelected, "#accounts")
    def _account_chosen(self, event: OptionList.OptionSelected) -> None:
        kind, _, index = (event.option.id or "").partition("-")
        if kind == "demo":
            demo = self.demo_accounts[int(index)]
            self.query_one("#username", Input).value = demo.username
            self.query_one("#password", Input).value = demo.password
            self.query_one("#question", Select).value = demo.question_id
            self.query_one("#answer", Input).value = demo.answer
        elif kind == "saved":
            account = self.host.context.book.all()[int(index)]
            self.query_one("#site", Input).value = account.site_url
            self._fill_saved(account)
        self.query_one("#password", Input).focus()

    def _fill_saved(self, account: Account) -> None:
        """A remembered account: its name and its security question; the secrets are typed."""
        self.query_one("#username", Input).value = account.username
        self.query_one("#password", Input).value = ""
        if 0 <= account.question_id < len(self.questions):
            self.query_one("#question", Select).value = account.question_id

    # --- captcha --------------------------------------------------------------------------

    def _check_captcha(self) -> None:
        """Ask the site whether log-in needs a captcha, and show it when it does."""
        site = self.query_one("#site", Input).value.strip()
        self.run_worker(self._fetch_captcha(site), group="captcha", exclusive=True, exit_on_error=False)

    async def _fetch_captcha(self, site: str) -> None:
        try:
            session = await self.host.context.ensure_session(site)
            challenge = await session.captcha_for_login()
        except ForumError as error:
            self.show_problem(str(error))
            return
        self._show_captcha(challenge)

    def _show_captcha(self, challenge: CaptchaChallenge | None) -> None:
        self.captcha = challenge
        self.query_one(ChallengeForm).show(challenge)

    # --- submitting -----------------------------------------------------------------------

    @on(Input.Submitted)
    def _enter_pressed(self, event: Input.Submitted) -> None:
        if event.input.id == "site":  # a new site may want a captcha
            self._check_captcha()
            self.query_one("#username", Input).focus()
            return
        self.log_in()

    @on(Button.Pressed, "#login")
    def log_in(self) -> None:
        site = self.query_one("#site", Input).value.strip()
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not site or not username or not password:
            self.show_problem("Give the site address, your username and your password.")
            return
        from tui.model import LoginRequest

        request = LoginRequest(
            username=username,
            password=password,
            question_id=int(self.query_one("#question", Select).value),  # type: ignore[arg-type]
            answer=self.query_one("#answer", Input).value,
            captcha=self.captcha,
            captcha_answer=self.query_one(ChallengeForm).captcha_answer,
            question_answer=self.query_one(ChallengeForm).question_answer,
        )
        remember = self.query_one("#remember", Checkbox).value
        self.load(
            lambda: self._sign_in(site, request, remember),
            lambda _: self.dismiss(True),
            busy=self.query_one("#login-form"),
            failed=self._login_failed,
            reauth=False,
        )

    async def _sign_in(self, site: str, request: LoginRequest, remember: bool) -> None:
        from tui.auth import sign_in

        context = self.host.context
        session: ForumSession = await context.ensure_session(site)
        user = await sign_in(
            session,
            request,
            remember=remember,
            store=context.store,
            book=context.book,
            site=context.site_info,
        )
        context.signed_in(user, context.book.get(session.site_url, user.username or request.username))

    def _offer_plain_http(self, error: ForumError) -> bool:
        """A bare host (tried over https) that could not be reached: offer its plain-http
        address in the site field, with the warning shown, for the user to send again."""
        site = self.query_one("#site", Input)
        typed = site.value.strip()
        if not isinstance(error, NetworkError) or "://" in typed:
            return False
        site.value = "http://" + typed
        self.show_problem(f"{error} (over https) The address now says http://: send again to use it.")
        return True

    def _login_failed(self, error: ForumError) -> bool:
        if self._offer_plain_http(error):
            return True
        self.show_problem(str(error))
        if isinstance(error, SecurityQuestionRequiredError):
            self.query_one("#question", Select).focus()
        elif isinstance(error, WrongPasswordError):
            password = self.query_one("#password", Input)
            password.value = ""
            password.focus()
        if isinstance(error, CaptchaRequiredError) or self.captcha is not None:
            self._check_captcha()  # a captcha answer is good for one attempt only
        if isinstance(error, CaptchaRequiredError):
            self.query_one(ChallengeForm).first_input().focus()
        return True

    @on(Button.Pressed, "#register")
    def action_register(self) -> None:
        self._open_site_page("register")

    @on(Button.Pressed, "#lost-password")
    def action_lost_password(self) -> None:
        self._open_site_page("lost_password")

    def _open_site_page(self, which: str) -> None:
        """The site's own sign-up or password-reset form, in the browser (shown and copied when
        there is none): the app does not fill those in, but the account works here afterwards."""
        pages = account_pages(self.query_one("#site", Input).value.strip())
        if pages is None:
            self.show_problem("Give the site address first.")
            return
        url = pages.register if which == "register" else pages.lost_password
        open_in_browser(self.app, url, title="Opening the site's page")
        then = "the new account" if which == "register" else "the new password"
        self.show_problem(f"Finish on the site's page ({url}), then log in here with {then}.")

    @on(Button.Pressed, "#guest")
    def browse_as_guest(self) -> None:
        site = self.query_one("#site", Input).value.strip()
        if not site:
            self.show_problem("Give the site address first.")
            return
        self.load(
            lambda: self.host.context.ensure_session(site),
            lambda _: self.dismiss(True),
            busy=self.query_one("#login-form"),
            failed=self._offer_plain_http,
            reauth=False,
        )

    def action_back(self) -> None:
        if self.loading_in_progress:
            super().action_back()
        elif self.returning or len(self.app.screen_stack) > 2:
            self.dismiss(False)
        else:
            self.app.notify("Press Ctrl+Q to quit.", timeout=3)
