"""Unsent replies and threads, kept on disk as they are typed.

A draft survives a crash, a closed terminal or a lost connection: the composer saves it
while the user types and offers it again the next time they write in the same place (the
same site and thread, or the same site and board for a new thread). Draft text is not a
secret, so plain JSON files under ``data_dir()/drafts/`` are fine. A file that cannot be
read is never thrown away: it is renamed aside (``….damaged.json``) and the composer says
where, so nothing typed is lost to a bad disk block or a hand edit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tui.config import data_dir
from tui.files import write_json


@dataclass(slots=True)
class Draft:
    """What the user had typed, and where it was going."""

    text: str
    subject: str = ""
    type_id: str = ""
    quote_post_id: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.text.strip() or self.subject.strip())


def draft_key(
    site_url: str, *, thread_id: str = "", board_id: str = "", recipient: str = "", post_id: str = ""
) -> str:
    """The place a draft belongs to: a reply in a thread, a new thread in a board, a private
    message to one user, or the edit of one post."""
    site = site_url.rstrip("/")
    if post_id:
        return f"{site} edit {post_id}"
    if recipient:
        return f"{site} message {recipient}"
    if thread_id:
        return f"{site} thread {thread_id}"
    return f"{site} board {board_id}"


class DamagedDraftError(Exception):
    """A saved draft could not be read; the file was kept aside as ``kept_as``."""

    def __init__(self, kept_as: Path) -> None:
        super().__init__(f"A saved draft could not be read (kept as {kept_as}).")
        self.kept_as = kept_as


class DraftStore:
    """Drafts in one folder, one small JSON file each, named by a hash of the key."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or data_dir() / "drafts"

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self.folder / f"{digest}.json"

    def load(self, key: str) -> Draft | None:
        """The saved draft for this place, or None when there is none.

        Raises ``DamagedDraftError`` for a file that is there but cannot be read, after
        moving it aside so that saving this place again cannot overwrite it.
        """
        path = self._path(key)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            raise DamagedDraftError(self._set_aside(path)) from None
        if not isinstance(raw, dict):
            raise DamagedDraftError(self._set_aside(path))
        if raw.get("key") != key:
            return None
        draft = Draft(
            text=str(raw.get("text", "")),
            subject=str(raw.get("subject", "")),
            type_id=str(raw.get("type_id", "")),
            quote_post_id=str(raw.get("quote_post_id", "")),
        )
        return None if draft.is_empty else draft

    @staticmethod
    def _set_aside(path: Path) -> Path:
        """Rename an unreadable draft file out of the way; where it is now."""
        aside = path.with_name(f"{path.stem}.{time.strftime('%Y%m%d-%H%M%S')}.damaged.json")
        try:
            path.replace(aside)
        except OSError:
            return path
        return aside

    def save(self, key: str, draft: Draft) -> None:
        """Write the draft atomically; an empty draft removes the file instead."""
        if draft.is_empty:
            self.delete(key)
            return
        write_json(self._path(key), {"key": key, **asdict(draft)})

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def keep_unsent(text: str, key: str, store: DraftStore | None = None) -> None:
    """Keep text typed outside the composer (a quick reply) as the place's draft, so the
    composer offers it next time; a draft already there is not overwritten."""
    store = store or DraftStore()
    with contextlib.suppress(DamagedDraftError, OSError):  # a damaged one is reported by the composer
        if store.load(key) is None:
            store.save(key, Draft(text=text))
