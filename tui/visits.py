"""How far each account had read each board (the newest reply time it was shown, in the
forum's clock), for the thread list's "new since your last visit" mark. Not secret (board
ids and times), so one JSON file in the data folder, read leniently: a broken file means no
visits yet, never a crash.
"""

from __future__ import annotations

import json
from pathlib import Path

from tui.config import data_dir
from tui.files import write_json


class BoardVisits:
    """Per account and board, the newest reply time shown on the last visit (epoch seconds)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "visits.json"
        self._visits: dict[str, dict[str, float]] = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        for account, boards in (raw.items() if isinstance(raw, dict) else ()):
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
