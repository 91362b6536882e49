"""A thread's poll: the options with their counts, and a ballot when the user may vote."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, RadioButton, RadioSet, SelectionList, Static

from tui import keys
from tui.model import Poll
from widgets.forum_text import clean

BAR_WIDTH = 20


def poll_results(poll: Poll) -> Text:
    """One line per option: a bar, the votes and the share, or a note when results are hidden."""
    lines = Text()
    for index, option in enumerate(poll.options):
        if index:
            lines.append("\n")
        lines.append(f"{index + 1}. ")
        lines.append(clean(option.text))
        if poll.results_visible:
            filled = round(BAR_WIDTH * max(0.0, min(option.percent, 100.0)) / 100)
            lines.append("\n   ")
            lines.append("█" * filled, style="bold")
            lines.append("░" * (BAR_WIDTH - filled), style="dim")
            lines.append(f" {option.votes} ({option.percent:.1f}%)", style="dim")
    if not poll.results_visible:
        lines.append("\n(results are shown after voting)", style="dim italic")
    return lines


class PollWidget(Vertical):
    """The poll, with a ballot (space picks, v or the button votes) while voting is open."""

    DEFAULT_CSS = """
    PollWidget { height: auto; border: round $primary; padding: 0 1; margin: 0 1 1 1; }
    PollWidget > SelectionList { height: auto; max-height: 12; }
    PollWidget > RadioSet { height: auto; max-height: 12; width: 100%; }
    PollWidget > Button { margin-top: 1; }
    """

    BINDINGS = keys.bindings([keys.POLL_VOTE])

    class VoteRequested(Message):
        """The user submitted these option ids."""

        def __init__(self, option_ids: list[str]) -> None:
            super().__init__()
            self.option_ids = option_ids

    def __init__(self, poll: Poll, *, votable: bool = True) -> None:
        """``votable`` is False when the forum's engine cannot send votes."""
        super().__init__(classes="poll")
        self.poll = poll
        self.votable = votable
        self.can_vote = votable and poll.can_vote

    def _summary(self) -> str:
        parts = [f"Poll · {self.poll.voters} voters"]
        if self.poll.multiple:
            parts.append(f"pick up to {self.poll.max_choices}")
        if self.poll.voted:
            parts.append("you voted")
        elif not self.votable:
            parts.append("voting is not offered for this forum")
        elif not self.can_vote:
            parts.append("voting closed to you")
        if self.poll.expires is not None:
            parts.append(f"ends {clean(self.poll.expires.text)}")
        return " · ".join(parts)

    def compose(self) -> ComposeResult:
        yield Static(Text(self._summary(), style="bold"))
        yield Static(poll_results(self.poll), classes="poll--results")
        if self.can_vote and not self.poll.voted:
            labels = [Text(clean(option.text)) for option in self.poll.options]
            ids = [option.id for option in self.poll.options]
            if self.poll.multiple:
                yield SelectionList[str](*zip(labels, ids, strict=True))
            else:  # one choice: radio buttons, as the web page draws them
                yield RadioSet(*(RadioButton(label) for label in labels))
            yield Button("Vote (v)", id="poll-vote", variant="primary")

    @property
    def ballot(self) -> Widget | None:
        """The list the options are picked in (None when the reader may not vote)."""
        return next(iter(self.query("SelectionList, RadioSet")), None)

    def chosen(self) -> list[str]:
        ballot = self.ballot
        if isinstance(ballot, RadioSet):
            index = ballot.pressed_index
            return [self.poll.options[index].id] if 0 <= index < len(self.poll.options) else []
        return list(ballot.selected) if isinstance(ballot, SelectionList) else []

    def action_vote(self) -> None:
        """Submit the picked options, refusing an empty or too large ballot."""
        if self.ballot is None:
            return
        chosen = self.chosen()
        limit = self.poll.max_choices if self.poll.multiple else 1
        if not chosen:
            self.notify("Pick an option first (arrows move, space or Enter picks).", severity="warning")
        elif len(chosen) > limit:
            self.notify(f"Pick at most {limit}.", severity="warning")
        else:
            self.post_message(self.VoteRequested(chosen))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_vote()
