"""评分: a floor's ratings (who, which credit, how much, why) and the site's rate form.

Each credit the user may give has a box showing its range and what is left today; the reason
box suggests the site's presets. Ctrl+S rates; the site's refusals ("already rated", "no
permission", a daily limit) are shown in its words and nothing is lost.
"""

from __future__ import annotations

import asyncio

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from screens.base import ForumScreen
from tui import keys
from tui.engine import SupportsRatings, capability_gap
from tui.errors import ForumError
from tui.model import RateForm, Rating
from widgets.forum_text import forum_text


def ratings_table(ratings: list[Rating]) -> Table | Text:
    """The floor's ratings, one row each; a line saying so when there are none."""
    if not ratings:
        return Text("No ratings yet.", style="dim")
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    for column in ("Credit", "Amount", "By", "Reason", "When"):
        table.add_column(column)
    for rating in ratings:
        table.add_row(
            forum_text(rating.credit),
            Text(f"{rating.amount:+d}", style="green" if rating.amount > 0 else "red"),
            forum_text(rating.user),
            forum_text(rating.reason),
            forum_text(rating.time.text if rating.time else "", style="dim"),
        )
    return table


class RateScreen(ForumScreen):
    """Rate one floor; dismisses with True once the site took the rating."""

    BINDINGS = keys.bindings(keys.RATE_KEYS)
    CSS_PATH = "rate.tcss"

    def __init__(self, thread_id: str, post_id: str, label: str) -> None:
        super().__init__()
        self.thread_id = thread_id
        self.post_id = post_id
        self.label = label
        self.form: RateForm | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="rate-box"):
            yield Static(id="rate-list")
            yield Vertical(id="rate-form")

    def on_mount(self) -> None:
        self.set_title(Text.assemble(("Rate ", "bold"), forum_text(self.label)))
        self.load(self._read, self._show, busy=self.query_one("#rate-box"))

    async def _read(self) -> tuple[list[Rating], RateForm | ForumError]:
        """The ratings so far and the form; a refused form still shows the ratings."""
        session = self.host.context.session
        if gap := capability_gap(session, SupportsRatings, "ratings"):
            return [], ForumError(gap)
        assert isinstance(session, SupportsRatings)
        ratings, form = await asyncio.gather(
            session.ratings(self.thread_id, self.post_id),
            session.rate_form(self.thread_id, self.post_id),
            return_exceptions=True,
        )
        if isinstance(ratings, BaseException):
            raise ratings
        return ratings, form if isinstance(form, (RateForm, ForumError)) else ForumError(str(form))

    def _show(self, found: tuple[list[Rating], RateForm | ForumError]) -> None:
        ratings, form = found
        self.query_one("#rate-list", Static).update(ratings_table(ratings))
        box = self.query_one("#rate-form", Vertical)
        box.remove_children()
        if isinstance(form, ForumError):
            self.show_problem(str(form))
            return
        self.form = form
        boxes: list[Static | Input] = [Static(Text("Your rating (Ctrl+S gives it)", style="bold"))]
        for credit in form.credits:
            left = "" if credit.left_today is None else f", {credit.left_today} left today"
            boxes.append(
                Input(
                    placeholder=f"{credit.name}: {credit.minimum} ~ {credit.maximum}{left}",
                    type="integer",
                    id=f"score-{credit.id}",
                )
            )
        presets = "、".join(form.reasons)
        boxes.append(
            Input(
                placeholder=f"Reason (e.g. {presets})" if presets else "Reason",
                suggester=SuggestFromList(form.reasons, case_sensitive=False),
                id="rate-reason",
            )
        )
        box.mount_all(boxes)
        if len(boxes) > 2:
            self.call_after_refresh(boxes[1].focus)

    def action_rate(self) -> None:
        form = self.form
        if form is None:
            return
        scores: dict[str, int] = {}
        for credit in form.credits:
            typed = self.query_one(f"#score-{credit.id}", Input).value.strip()
            amount = int(typed) if typed.lstrip("-").isdigit() else 0
            if amount and not credit.minimum <= amount <= credit.maximum:
                self.show_problem(f"{credit.name} must be between {credit.minimum} and {credit.maximum}.")
                return
            if amount:
                scores[credit.id] = amount
        if not scores:
            self.show_problem("Give at least one credit a non-zero amount.")
            return
        reason = self.query_one("#rate-reason", Input).value.strip()
        session = self.host.context.session

        async def send() -> None:
            try:
                await self.host.forum_request(lambda: session.rate(form, scores, reason))
            except ForumError as error:
                self.show_problem(str(error))
                return
            self.dismiss(True)

        self.run_worker(send(), group="rate", exclusive=True, exit_on_error=False)
