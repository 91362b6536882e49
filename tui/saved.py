"""Read-only answers kept on disk, for going back without the network and for offline reading.

What is kept is the engine-neutral model (``tui.model``) as JSON, never a forum's raw answer:
Discuz! answers repeat the session's ``auth``, ``saltkey`` and ``formhash``, and the model has
no place for them. As a second guard, an entry whose JSON holds any of the session's secret
values is not written at all. Entries are filed per site and per account (a member sees other
boards and floors than a guest), under ``cache_dir()/pages/``, one file per answer named by a
hash of what was asked. The folder is bounded in size: the least recently used entries go
first (reading an entry marks it used).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import threading
import time
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from enum import Enum
from pathlib import Path
from typing import Any, Generic, TypeVar

from tui.config import cache_dir
from tui.files import write_whole

T = TypeVar("T")

DEFAULT_CACHE_MB = 50
TRIM_TO = 0.9  # a trim goes down to this share of the bound, so that the next is many saves away
FORMAT = 1  # bumped when the model changes shape; older entries are then ignored


def saved_pages_dir() -> Path:
    return cache_dir() / "pages"


# -- models to JSON and back ---------------------------------------------------------------


def to_json(value: object) -> object:
    """A model (nested dataclasses, lists, enums, times) as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tzinfo):  # zoneinfo loads with the first time zone saved, not with the app
        from zoneinfo import ZoneInfo

        if isinstance(value, ZoneInfo):
            return {"zone": value.key}
        offset = value.utcoffset(None)
        return {"offset": offset.total_seconds()} if offset is not None else None
    return value


def from_json(kind: Any, data: object) -> Any:
    """The inverse of ``to_json`` for a value of type ``kind``. Raises ValueError, TypeError or
    KeyError when the data does not fit."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(kind) if option is not type(None)]
        return None if data is None else from_json(options[0], data)
    if origin in (list, tuple):
        (item,) = typing.get_args(kind)[:1]
        values = [from_json(item, entry) for entry in _of_type(data, list)]
        return values if origin is list else tuple(values)
    if dataclasses.is_dataclass(kind):
        fields = _of_type(data, dict)
        hints = typing.get_type_hints(kind)
        known = {f.name for f in dataclasses.fields(kind) if f.init}
        return kind(**{name: from_json(hints[name], fields[name]) for name in known if name in fields})
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is datetime:
        return datetime.fromisoformat(_of_type(data, str))
    if kind is tzinfo:
        zone = _of_type(data, dict)
        if "zone" in zone:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                return ZoneInfo(str(zone["zone"]))
            except (ZoneInfoNotFoundError, ValueError):
                return None
        return timezone(timedelta(seconds=float(zone["offset"])))
    if kind is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    if kind in (str, int, float, bool) and type(data) is not kind:
        raise TypeError(f"expected {kind.__name__}, found {type(data).__name__}")
    return data


def _of_type(data: object, kind: type[T]) -> T:
    if not isinstance(data, kind):
        raise TypeError(f"expected {kind.__name__}, found {type(data).__name__}")
    return data


# -- the store -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Saved(Generic[T]):
    """A model read back from disk, with when it was saved (seconds since the epoch)."""

    model: T
    saved_at: float


class SavedPages:
    """Parsed answers on disk, bounded to ``max_bytes``; least recently used go first.

    Every method does file work: call them off the event loop (``asyncio.to_thread``).
    Nothing here raises for a broken or missing entry: it is simply not there.
    """

    def __init__(self, root: Path | None = None, *, max_bytes: int = DEFAULT_CACHE_MB * 1_000_000) -> None:
        self.root = root or saved_pages_dir()
        self.max_bytes = max_bytes
        self._bytes: int | None = None  # the folder's size when last listed, plus what was written since
        self._counting = threading.Lock()  # saves run in worker threads, side by side

    @staticmethod
    def key(site: str, account: str, kind: str, params: dict[str, object]) -> str:
        """One file name per site, account (username, "" for a guest), kind and parameters."""
        asked = json.dumps([FORMAT, site, account, kind, params], sort_keys=True, default=str)
        return hashlib.sha256(asked.encode("utf-8")).hexdigest()[:40]

    def _path(self, key: str) -> Path:
        return self.root / f"{key}.json"

    def save(self, key: str, model: object, *, secrets: Iterable[str] = ()) -> bool:
        """Keep ``model`` under ``key`` and trim the folder to its bound. False (nothing written)
        when the model's JSON holds one of ``secrets``, or the folder cannot be written."""
        text = json.dumps({"saved_at": time.time(), "model": to_json(model)}, ensure_ascii=False)
        if any(secret and secret in text for secret in secrets):
            return False
        data = text.encode("utf-8")
        try:
            write_whole(self._path(key), data)
            self._count_written(len(data))
        except OSError:
            return False
        return True

    def _count_written(self, size: int) -> None:
        """Add a file written to the folder's size, trimming it when that may pass the bound.

        Listing the folder (thousands of files once it is full) costs tens of milliseconds and
        a burst of garbage, which every page read on would pay; so it is listed on the first
        save, and again only once what was written since takes the count past the bound. An
        entry written over counts twice and another process's writes not at all: the count
        errs early for the first and is put right by the next listing for the second."""
        with self._counting:
            if self._bytes is not None:
                self._bytes += size
            if self._bytes is None or self._bytes > self.max_bytes:
                self.trim()

    def load(self, key: str, kind: type[T]) -> Saved[T] | None:
        """The model saved under ``key``, or None when there is none usable; marks it used."""
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            saved = Saved(from_json(kind, entry["model"]), float(entry["saved_at"]))
            os.utime(path)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return saved

    def trim(self) -> None:
        """When the folder is over its bound, remove the least recently used entries until it
        holds no more than ``TRIM_TO`` of the bound."""
        entries = []
        for entry in os.scandir(self.root):
            if entry.name.endswith(".json") and entry.is_file(follow_symlinks=False):
                stat = entry.stat()
                entries.append((stat.st_mtime, stat.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        if total > self.max_bytes:
            for _, size, path in sorted(entries):
                if total <= self.max_bytes * TRIM_TO:
                    break
                Path(path).unlink(missing_ok=True)
                total -= size
        self._bytes = total

    def total_bytes(self) -> int:
        try:
            return sum(path.stat().st_size for path in self.root.glob("*.json"))
        except OSError:
            return 0


def saved_at_text(saved_at: float) -> str:
    """When an entry was saved, as the status bar shows it: today's time, else date and time."""
    moment = datetime.fromtimestamp(saved_at)
    same_day = moment.date() == datetime.now().date()
    return moment.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")
