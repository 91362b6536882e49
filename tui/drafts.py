"""Unsent replies and threads, kept on disk as they are typed.

A draft survives a crash, a closed terminal or a lost connection: the composer saves it
while the user types and offers it again the next time they write in the same place (the
same site and thread, or the same site and board for a new thread). Draft text is not a
secret, so plain JSON files under ``data_dir()/drafts/`` are fine.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from tui.config import data_dir


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


def draft_key(site_url: str, *, thread_id: str = "", board_id: str = "", recipient: str = "") -> str:
    """The place a draft belongs to: a reply in a thread, a new thread in a board, or a private
    message to one user."""
    site = site_url.rstrip("/")
    if recipient:
        return f"{site} message {recipient}"
    if thread_id:
        return f"{site} thread {thread_id}"
    return f"{site} board {board_id}"


class DraftStore:
    """Drafts in one folder, one small JSON file each, named by a hash of the key."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or data_dir() / "drafts"

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self.folder / f"{digest}.json"

    def load(self, key: str) -> Draft | None:
        """The saved draft for this place, or None (also when the file is unreadable)."""
        try:
            raw = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(raw, dict) or raw.get("key") != key:
            return None
        draft = Draft(
            text=str(raw.get("text", "")),
            subject=str(raw.get("subject", "")),
            type_id=str(raw.get("type_id", "")),
            quote_post_id=str(raw.get("quote_post_id", "")),
        )
        return None if draft.is_empty else draft

    def save(self, key: str, draft: Draft) -> None:
        """Write the draft atomically; an empty draft removes the file instead."""
        if draft.is_empty:
            self.delete(key)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"key": key, **asdict(draft)}, ensure_ascii=False)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(payload)
            os.replace(temporary, self._path(key))
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
