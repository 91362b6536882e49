"""Log in to a forum, or browse it as a guest.

The form has the site address (remembered accounts listed beside it), username, password,
the Discuz! security question and its answer, and a captcha drawn in the terminal when the
site asks for one. Dismisses with True once logged in or browsing as a guest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.base import ForumScreen, ShownAsStyled
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
from widgets.form_controls import ChoicePicker, FormButton
from widgets.forum_text import forum_text
from widgets.tick_box import TickBox

if TYPE_CHECKING:
    from tui.engine import ForumSession
    from tui.model import CaptchaChallenge, LoginRequest
    from widgets.captcha import ChallengeForm


class SuggestedAccount(Protocol):
    """An account the form lists with its password, such as the demo forum's."""

    username: str
    password: str
    question_id: int
    answer: str
    note: str


LABELS = ("Site", "Username", "Password", "Security question")
PLAIN_HTTP_WARNING = Text(
    "This site uses plain http: your password would travel unencrypted. Use https:// if the forum offers it.",
    style="bold",
)
ANSWER_LABEL = "Answer"


def _labels(answer: bool) -> str:
    """The fields' names, one a row (the rows are a line apart)."""
    return "\n\n".join((*LABELS, ANSWER_LABEL) if answer else LABELS)


class LoginScreen(ShownAsStyled, ForumScreen):
    """The log-in form; ``returning`` means a screen asked for it and gets the user back."""

    # Tab and Shift+Tab are priority bindings: the app runs them as it reads the key, so the
    # focus has moved before it hands the next key to a widget. As Screen's ordinary bindings
    # they act only once the key has bubbled up from the focused field, and keys arriving in
    # a burst (the event loop was busy, as just after start-up) went to the old field.
    BINDINGS = keys.bindings((*keys.LOGIN_KEYS, *keys.LOGIN_PAGE_KEYS))
    # Here rather than in the app's stylesheet, which a start on a remembered account parses
    # before its first frame too (and not a screen's CSS_PATH: Textual parses every rule again
    # and restyles the app when a screen with its own stylesheet is first shown).
    DEFAULT_CSS = """
    #login-columns { height: 1fr; }
    #login-form {
        width: 3fr;
        min-width: 52;  /* the wider row of buttons beside a scroll bar */
        max-width: 80;
        padding: 1 1 0 1;
    }
    #login-fields { height: auto; }
    #field-names { dock: left; width: 19; }
    #login-fields > Input, #login-fields > ChoicePicker, #remember { margin-bottom: 1; }
    #login-side {
        width: 2fr;
        height: 1fr;
        border-left: solid $primary-darken-2;
        padding: 0 1;
    }
    #side-title { text-style: bold; margin-bottom: 1; }
    #accounts { height: 1fr; }
    .button-row { height: 2; }
    .button-row FormButton { margin-right: 2; }
    """

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

    def action_focus_field(self, step: int) -> None:
        """Tab and Shift+Tab go through the form in its order. Textual orders the fields by
        where they are on screen, which the answer's field, made by the key just before (in a
        burst typed ahead), does not have until the next layout."""
        order = {node: index for index, node in enumerate(self.walk_children())}
        fields = sorted(self.focus_chain, key=lambda node: order.get(node, len(order)))
        if not fields:
            return
        focused = self.focused
        index = fields.index(focused) + step if focused in fields else 0
        self.set_focus(fields[index % len(fields)])

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
                # The names in one column docked beside the fields: a row of two widgets per
                # field would double what the first frame has to build.
                with Vertical(id="login-fields"):
                    yield Static(_labels(answer=False), id="field-names")
                    yield Input(
                        self.site_url, placeholder="https://bbs.example.com/", compact=True, id="site"
                    )
                    yield Input(compact=True, id="username")
                    yield Input(password=True, compact=True, id="password")
                    yield ChoicePicker(self.questions, id="question")
                yield TickBox("Remember me (kept in the OS keyring)", id="remember")
                with Horizontal(id="login-buttons", classes="button-row"):
                    yield FormButton("Log in", primary=True, id="login")
                    yield FormButton("Browse as guest", id="guest")
                with Horizontal(id="site-pages", classes="button-row"):
                    yield FormButton("Register (Ctrl+R)", id="register")
                    yield FormButton("Forgot password (Ctrl+F)", id="lost-password")
            accounts = self._account_options()
            if accounts:  # none on a first start: the form has the width to itself
                with Vertical(id="login-side"):
                    yield Static(self._side_title(), id="side-title")
                    yield OptionList(*accounts, id="accounts")

    def _question_chosen(self, question: int) -> None:
        """The answer's field is there while a question is chosen (few accounts have one),
        made at once so that the keys typed next can go to it."""
        answers = self.query("#answer")
        if bool(question) == bool(answers):
            return
        if question:
            answer = Input(compact=True, id="answer")
            self.query_one("#login-fields").mount(answer)
        else:
            answers.remove()
        self.query_one("#field-names", Static).update(_labels(answer=bool(question)))

    @property
    def answer(self) -> str:
        """The security question's answer ("" while no question is chosen)."""
        answers = self.query("#answer").results(Input)
        field = next(answers, None)
        return "" if field is None else field.value

    def _made_once(self, id: str, make: Callable[[], Widget], *, before: str) -> Widget:
        """The form's part ``id``, made by ``make`` and put in the form ``before`` another the
        first time it is needed: most users never see the captcha or the plain-http warning."""
        found = next(iter(self.query(f"#{id}")), None)
        if found is None:
            found = make()
            found.id = id
            self.query_one("#login-form").mount(found, before=before)
        return found

    def _challenge_form(self) -> ChallengeForm:
        from widgets.captcha import ChallengeForm

        # Above the plain-http warning when there is one.
        before = "#insecure" if self.query("#insecure") else "#remember"
        return self._made_once("captcha-box", lambda: ChallengeForm("captcha"), before=before)  # type: ignore[return-value]

    @on(Input.Changed, "#site")
    def _warn_if_unencrypted(self) -> None:
        """Before anything is sent: a plain-http site (not this machine) gets the password in clear."""
        insecure = sends_in_clear(self.query_one("#site", Input).value)
        if not insecure and not self.query("#insecure"):
            return
        warning = self._made_once(
            "insecure", lambda: Static(PLAIN_HTTP_WARNING, classes="warning"), before="#remember"
        )
        warning.display = insecure

    def _side_title(self) -> str:
        return "Demo accounts (Enter fills the form)" if self.demo_accounts else "Remembered accounts"

    def on_mount(self) -> None:
        self.watch(self.query_one("#question", ChoicePicker), "value", self._question_chosen, init=False)
        self.set_title("Log in")
        self.host.status.clear_page()
        self.show_problem(self.first_message)
        self._warn_if_unencrypted()
        saved = self._saved_accounts()
        if saved:  # the account used last on this site: only the password is missing
            self._fill_saved(saved[0])
        self.query_one(self._first_field(), Input).focus()
        if self.site_url:
            self._check_captcha()

    def _account_options(self) -> list[Option]:
        """The side list: the demo accounts with their passwords, or the remembered accounts."""
        if self.demo_accounts:
            options = []
            for index, demo in enumerate(self.demo_accounts):
                label = Text.assemble((demo.username, "bold"), f"  password: {demo.password}")
                if demo.question_id:
                    label.append(f"\n  question {demo.question_id}: {self.questions[demo.question_id]}")
                    label.append(f"\n  answer: {demo.answer}")
                if demo.note:
                    label.append(f"\n  {demo.note}", style="dim")
                options.append(Option(label, id=f"demo-{index}"))
            return options
        return [
            Option(
                Text.assemble(forum_text(account.username, "bold"), "\n  ", (account.site_url, "dim")),
                id=f"saved-{index}",
            )
            for index, account in enumerate(self.host.context.book.all())
        ]

    @on(OptionList.OptionSelected, "#accounts")
    def _account_chosen(self, event: OptionList.OptionSelected) -> None:
        kind, _, index = (event.option.id or "").partition("-")
        if kind == "demo":
            demo = self.demo_accounts[int(index)]
            self.query_one("#username", Input).value = demo.username
            self.query_one("#password", Input).value = demo.password
            self.query_one("#question", ChoicePicker).value = demo.question_id
            if demo.question_id:
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
            self.query_one("#question", ChoicePicker).value = account.question_id

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
        if challenge is not None or self.query("#captcha-box"):
            self._challenge_form().show(challenge)

    # --- submitting -----------------------------------------------------------------------

    @on(Input.Submitted)
    def _enter_pressed(self, event: Input.Submitted) -> None:
        if event.input.id == "site":  # a new site may want a captcha
            self._check_captcha()
            self.query_one("#username", Input).focus()
            return
        self.log_in()

    @on(FormButton.Pressed, "#login")
    def log_in(self) -> None:
        site = self.query_one("#site", Input).value.strip()
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not site or not username or not password:
            self.show_problem("Give the site address, your username and your password.")
            return
        from tui.model import LoginRequest

        challenge = self._challenge_form() if self.captcha is not None else None
        request = LoginRequest(
            username=username,
            password=password,
            question_id=self.query_one("#question", ChoicePicker).value,
            answer=self.answer,
            captcha=self.captcha,
            captcha_answer=challenge.captcha_answer if challenge else "",
            question_answer=challenge.question_answer if challenge else "",
        )
        remember = self.query_one("#remember", TickBox).value
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
            self.query_one("#question", ChoicePicker).focus()
        elif isinstance(error, WrongPasswordError):
            password = self.query_one("#password", Input)
            password.value = ""
            password.focus()
        if isinstance(error, CaptchaRequiredError) or self.captcha is not None:
            self._check_captcha()  # a captcha answer is good for one attempt only
        if isinstance(error, CaptchaRequiredError):
            self._challenge_form().first_input().focus()
        return True

    @on(FormButton.Pressed, "#register")
    def action_register(self) -> None:
        self._open_site_page("register")

    @on(FormButton.Pressed, "#lost-password")
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
        from widgets.browser import open_in_browser  # the browser module: only when asked for

        open_in_browser(self.app, url, title="Opening the site's page")
        then = "the new account" if which == "register" else "the new password"
        self.show_problem(f"Finish on the site's page ({url}), then log in here with {then}.")

    @on(FormButton.Pressed, "#guest")
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
