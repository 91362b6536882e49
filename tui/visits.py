"""What the reader has seen of each board and thread, for the thread list's marks: how far
each account had read each board (the newest reply time it was shown, in the forum's clock)
for "new since your last visit", and which threads a thread page last showed as closed, for
lists that do not say so themselves. Not secret (board and thread ids, times), so small JSON
files in the data folder, read leniently: a broken file means nothing seen yet, never a crash.
"""

from __future__ import annotations

import json
from pathlib import Path

from tui.config import data_dir
from tui.files import write_json

MAX_CLOSED_PER_ACCOUNT = 1000  # the longest-known closed threads are forgotten first


def _read_accounts(path: Path) -> dict[str, object]:
    """The file's account → data mapping, empty when missing or broken."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


class BoardVisits:
    """Per account and board, the newest reply time shown on the last visit (epoch seconds)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "visits.json"
        self._visits: dict[str, dict[str, float]] = {}
        for account, boards in _read_accounts(self.path).items():
            if isinstance(boards, dict):
                self._visits[str(account)] = {
                    str(board): float(when)
                    for board, when in boards.items()
                    if isinstance(when, (int, float)) and not isinstance(when, bool)
                }

    def last(self, account: str, board_id: str) -> float | None:
        return self._visits.get(account, {}).get(board_id)

    def visit(self, account: str, board_id: str, when: float) -> None:
        """Note a visit and save; a disk problem raises ``OSError``."""
        self._visits.setdefault(account, {})[board_id] = when
        write_json(self.path, self._visits)


class ClosedThreads:
    """Per account, the threads whose own page last said they are closed. The mobile API's
    thread list carries no closed flag; the thread page does, so the list shows what was seen."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "closed.json"
        self._closed: dict[str, list[str]] = {}
        for account, threads in _read_accounts(self.path).items():
            if isinstance(threads, list):
                self._closed[str(account)] = [str(tid) for tid in threads if isinstance(tid, (str, int))]

    def of(self, account: str) -> set[str]:
        """The ids of the threads this account last saw closed."""
        return set(self._closed.get(account, ()))

    def seen(self, account: str, thread_id: str, closed: bool) -> None:
        """Note what a thread page said, saving only a change; a disk problem raises ``OSError``."""
        threads = self._closed.setdefault(account, [])
        if (thread_id in threads) == closed or not thread_id:
            return
        if closed:
            threads.append(thread_id)
            del threads[:-MAX_CLOSED_PER_ACCOUNT]
        else:
            threads.remove(thread_id)
        write_json(self.path, self._closed)
