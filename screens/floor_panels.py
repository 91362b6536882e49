"""Small panels over the thread view, each about the focused floor: pick one of its links or
files, see its author's profile, follow a download. Everything shown came from the forum and
is plain text (never markup)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import BinaryIO

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from tui.content import document_to_text, parse_post_html
from tui.errors import ForumError
from tui.model import Profile
from widgets.forum_text import clean

# Streams the file into the open file it is given, telling progress(done, total) as it goes.
Fetch = Callable[[BinaryIO, Callable[[int, int | None], None]], Awaitable[str]]

PANEL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 100; height: auto; max-height: 80%;
    border: round $accent; background: $surface; padding: 0 1;
}}
{name} .panel--title {{ text-style: bold; margin-bottom: 1; }}
{name} .panel--hint {{ color: $text-muted; margin-top: 1; }}
{name} OptionList {{ height: auto; max-height: 20; }}
"""


class ChoiceScreen(ModalScreen[int | None]):
    """A list to pick from: Enter gives the chosen index, ``y`` copies its ``copy`` text, Esc closes."""

    DEFAULT_CSS = PANEL_CSS.format(name="ChoiceScreen")
    BINDINGS = [
        Binding("escape,q", "dismiss_none", "Close"),
        Binding("y", "copy", "Copy"),
    ]

    def __init__(
        self, title: str, labels: list[Text], *, copies: list[str] | None = None, hint: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.labels = labels
        self.copies = copies
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), classes="panel--title")
            yield OptionList(*(Option(label, id=str(index)) for index, label in enumerate(self.labels)))
            yield Static(Text(self.hint), classes="panel--hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)

    def action_copy(self) -> None:
        index = self.query_one(OptionList).highlighted
        if self.copies is None or index is None:
            return
        self.app.copy_to_clipboard(self.copies[index])
        self.notify(self.copies[index], title="Copied", markup=False)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def profile_text(profile: Profile) -> Text:
    """The author card as a few labelled lines."""
    text = Text()
    text.append(clean(profile.username) or f"uid {profile.uid}", style="bold")
    text.append(f"   uid {clean(profile.uid)}\n", style="dim")
    facts = [
        ("Group", clean(profile.group)),
        ("Credits", "" if profile.credits is None else str(profile.credits)),
        ("Posts", "" if profile.posts is None else str(profile.posts)),
        ("Threads", "" if profile.threads is None else str(profile.threads)),
        ("Lives in", clean(profile.location)),
        ("Registered", clean(profile.registered.text) if profile.registered else ""),
        ("Last visit", clean(profile.last_visit.text) if profile.last_visit else ""),
    ]
    for label, value in facts:
        if value:
            text.append(f"{label:<11}", style="dim")
            text.append(f"{value}\n")
    signature = document_to_text(parse_post_html(profile.signature_html)).strip()
    if signature:
        text.append("\nSignature\n", style="dim")
        text.append(signature)
    return text


class ProfileScreen(ModalScreen[None]):
    """A member's profile (Discuz! module=profile), read when the panel opens."""

    DEFAULT_CSS = PANEL_CSS.format(name="ProfileScreen")
    BINDINGS = [Binding("escape,q,p", "dismiss", "Close")]

    def __init__(self, name: str, read: Callable[[], Awaitable[Profile]]) -> None:
        super().__init__()
        self.author_name = name
        self.read = read

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Profile of {clean(self.author_name)}"), classes="panel--title")
            yield Static(Text("Loading…"), id="profile-body")
            yield Static(Text("Esc closes."), classes="panel--hint")

    def on_mount(self) -> None:
        self.run_worker(self._load(), exit_on_error=False)

    async def _load(self) -> None:
        body = self.query_one("#profile-body", Static)
        try:
            profile = await self.read()
        except ForumError as error:
            body.update(Text(str(error)))
            return
        body.update(profile_text(profile))


class DownloadScreen(ModalScreen[Path | None]):
    """A file coming down with a progress bar; Esc stops it and removes the part written."""

    DEFAULT_CSS = PANEL_CSS.format(name="DownloadScreen")
    BINDINGS = [Binding("escape", "stop", "Stop")]

    def __init__(self, name: str, path: Path, fetch: Fetch) -> None:
        super().__init__()
        self.file_name = name
        self.path = path
        self.fetch = fetch

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Downloading {clean(self.file_name)}"), classes="panel--title")
            yield ProgressBar(total=None, show_eta=False, id="download-progress")
            yield Static(Text(str(self.path)), classes="panel--hint")
            yield Static(Text("Esc stops."), classes="panel--hint")

    def on_mount(self) -> None:
        self.run_worker(self._download(), group="download", exit_on_error=False)

    def _progress(self, done: int, total: int | None) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)

    async def _download(self) -> None:
        try:
            with self.path.open("xb") as sink:
                await self.fetch(sink, self._progress)
        except (ForumError, OSError) as error:
            self._discard()
            self.notify(f"{self.file_name}: {error}", title="Not downloaded", severity="error", markup=False)
            self.dismiss(None)
            return
        self.dismiss(self.path)

    def _discard(self) -> None:
        with contextlib.suppress(OSError):
            os.remove(self.path)

    def action_stop(self) -> None:
        self.workers.cancel_group(self, "download")
        self._discard()
        self.notify(f"{self.file_name}: download stopped.", markup=False)
        self.dismiss(None)
