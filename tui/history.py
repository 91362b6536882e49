"""Where the reader stopped in each thread, per account, for going back there and for the
History screen. Not secret (thread ids, subjects, floor numbers), so one JSON file in the data
folder; written whole through a temporary file, read leniently (a broken file is an empty
history, never a crash).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from tui.config import data_dir
from tui.files import write_json

MAX_PER_ACCOUNT = 300  # the oldest entries go first


@dataclass(slots=True)
class ReadEntry:
    """One thread an account read: the last floor focused and how many floors it had then."""

    thread_id: str
    subject: str
    floor: int
    floors: int  # floors the thread had when last read
    read_at: float
    post_id: str = ""


def account_key(site_url: str, uid: str) -> str:
    """The history of one account on one site ("0" is the guest)."""
    return f"{site_url.rstrip('/')} {uid or '0'}"


def _entry(raw: object) -> ReadEntry | None:
    """An entry from the file, or None when it is not one (the file may be old or edited)."""
    if not isinstance(raw, dict):
        return None
    try:
        values = {field.name: raw[field.name] for field in fields(ReadEntry) if field.name in raw}
        entry = ReadEntry(**values)
    except TypeError:
        return None
    typed = (
        isinstance(entry.thread_id, str)
        and isinstance(entry.subject, str)
        and isinstance(entry.post_id, str)
        and all(isinstance(n, int) and not isinstance(n, bool) for n in (entry.floor, entry.floors))
        and isinstance(entry.read_at, (int, float))
    )
    return entry if typed and entry.thread_id else None


class ReadingHistory:
    """Every account's reading positions, kept in memory and saved on request."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "history.json"
        self._accounts: dict[str, dict[str, ReadEntry]] = {}
        self.problem = ""
        self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            self.problem = f"{self.path}: could not be read ({error}); reading history starts empty"
            return
        accounts = raw.get("accounts") if isinstance(raw, dict) else None
        for key, entries in (accounts or {}).items():
            if isinstance(entries, list):
                found = [entry for entry in map(_entry, entries) if entry is not None]
                self._accounts[str(key)] = {entry.thread_id: entry for entry in found}

    def position(self, account: str, thread_id: str) -> ReadEntry | None:
        return self._accounts.get(account, {}).get(thread_id)

    def entries(self, account: str) -> list[ReadEntry]:
        """The account's threads, the most recently read first."""
        return sorted(self._accounts.get(account, {}).values(), key=lambda entry: -entry.read_at)

    def record(
        self, account: str, thread_id: str, *, subject: str, floor: int, floors: int, post_id: str = ""
    ) -> None:
        """Note where the reader is now (kept in memory until ``save``)."""
        threads = self._accounts.setdefault(account, {})
        threads.pop(thread_id, None)  # re-inserted last: dicts keep the newest at the end
        threads[thread_id] = ReadEntry(thread_id, subject, floor, floors, time.time(), post_id)
        for stale in list(threads)[: max(0, len(threads) - MAX_PER_ACCOUNT)]:
            del threads[stale]

    def save(self) -> None:
        """Write the whole history atomically. Raises ``OSError`` when it cannot."""
        data = {
            "accounts": {
                key: [asdict(entry) for entry in threads.values()] for key, threads in self._accounts.items()
            }
        }
        write_json(self.path, data)
