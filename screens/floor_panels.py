"""Small panels over the thread view, each about the focused floor: pick one of its links or
files, follow a download. Everything shown came from the forum and
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
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from tui import keys
from tui.config import unused_path
from tui.errors import ForumError
from widgets.forum_text import clean

# Streams the file into the open file it is given, telling progress(done, total) as it goes.
Fetch = Callable[[BinaryIO, Callable[[int, int | None], None]], Awaitable[str]]

class ChoiceScreen(ModalScreen[int | None]):
    """A list to pick from: Enter gives the chosen index, ``y`` copies its ``copy`` text, Esc closes."""

    CSS_PATH = "floor_panels.tcss"
    BINDINGS = keys.bindings(keys.CHOICE_KEYS)

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


class DownloadScreen(ModalScreen[Path | None]):
    """A file coming down with a progress bar; Esc stops it and removes the part written."""

    CSS_PATH = "floor_panels.tcss"
    BINDINGS = keys.bindings([keys.STOP_DOWNLOAD])

    def __init__(self, name: str, path: Path, fetch: Fetch, *, take_forum_name: bool = False) -> None:
        """``take_forum_name``: ``path`` is a stand-in name (the attachment has none), so the
        file is renamed to the name the forum sends with it, when it sends one."""
        super().__init__()
        self.file_name = name
        self.path = path
        self.fetch = fetch
        self.take_forum_name = take_forum_name

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
                forum_name = clean(await self.fetch(sink, self._progress))
        except (ForumError, OSError) as error:
            self._discard()
            self.notify(f"{self.file_name}: {error}", title="Not downloaded", severity="error", markup=False)
            self.dismiss(None)
            return
        if self.take_forum_name and forum_name:
            with contextlib.suppress(OSError):  # the file is whole: it keeps the stand-in name then
                self.path = self.path.rename(unused_path(self.path.parent, forum_name))
        self.dismiss(self.path)

    def _discard(self) -> None:
        with contextlib.suppress(OSError):
            os.remove(self.path)

    def action_stop(self) -> None:
        self.workers.cancel_group(self, "download")
        self._discard()
        self.notify(f"{self.file_name}: download stopped.", markup=False)
        self.dismiss(None)
