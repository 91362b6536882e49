"""Files written whole or not at all: a reader (or a crash half-way) never sees half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it over
    ``path``. The temporary file is private to the user (0600) and removed on any failure.
    Raises ``OSError``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: object, *, indent: int | None = None) -> None:
    """``data`` as UTF-8 JSON (non-ASCII kept readable), written whole. Raises ``OSError``."""
    import json  # loaded when something is saved: a first start writes nothing before its first frame

    write_whole(path, json.dumps(data, ensure_ascii=False, indent=indent).encode("utf-8"))


def write_text_whole(path: Path, text: str) -> None:
    write_whole(path, text.encode("utf-8"))
