"""Boards the user pins on the board list, kept locally per site (``pinned_boards.json``)."""

from __future__ import annotations

import json
from pathlib import Path

from tui.config import data_dir
from tui.files import write_json


class BoardPins:
    """Pinned board ids per site, in ``pinned_boards.json`` under the data folder."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "pinned_boards.json"

    def _read(self) -> dict[str, list[str]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return raw if isinstance(raw, dict) else {}

    def for_site(self, site_key: str) -> list[str]:
        pins = self._read().get(site_key, [])
        return [str(pin) for pin in pins] if isinstance(pins, list) else []

    def toggle(self, site_key: str, board_id: str) -> bool:
        """Pin or unpin; True when the board is pinned afterwards."""
        everything = self._read()
        pins = self.for_site(site_key)
        pinned = board_id not in pins
        everything[site_key] = [*pins, board_id] if pinned else [pin for pin in pins if pin != board_id]
        write_json(self.path, everything, indent=1)
        return pinned
