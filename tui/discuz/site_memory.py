"""What probing a site taught, kept on disk so a repeat visit starts with its first real request.

One small JSON file per site under ``cache_dir()/sites/``: the facts ``module=check`` gave
(charset, API version, whether the mobile API is on, cookie prefix, name) and, apart, the
site's smiley table, each with the time it was learnt and reused for ``FRESH_SECONDS``. Only
those named facts are written, never a formhash, cookie or anything of a session. A file
that is unreadable, malformed, from the future or too old counts as absent; the session
forgets a site's facts as soon as an answer contradicts them.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tui.config import cache_dir
from tui.files import write_json

FRESH_SECONDS = 24 * 3600.0  # a day: a site's settings rarely change, and a contradiction re-probes
FORMAT = 1


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """The non-secret facts a probe learnt about one site."""

    site_url: str  # where the site answered (after a redirect such as http → https)
    mobile_api: bool
    charset: str = "utf-8"
    api_version: int = 4
    cookie_prefix: str = ""
    name: str = ""
    version: str = ""
    language: str = "en"


def same_charset(one: str, other: str) -> bool:
    """Whether two charset names mean the same codec ("UTF-8" and "utf8" do)."""
    try:
        return codecs.lookup(one).name == codecs.lookup(other).name
    except LookupError:
        return one.lower() == other.lower()


def sites_dir() -> Path:
    return cache_dir() / "sites"


class SiteMemory:
    """The remembered facts and smiley table of the site first reached as ``site_url``."""

    def __init__(self, site_url: str, *, folder: Path | None = None) -> None:
        digest = hashlib.sha256(site_url.encode()).hexdigest()[:24]
        self.site_url = site_url
        self.path = (folder or sites_dir()) / f"{digest}.json"

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("site") != self.site_url:
            return {}
        return data

    @staticmethod
    def _fresh(entry: object) -> dict[str, Any] | None:
        """The entry when it was saved less than ``FRESH_SECONDS`` ago (and not in the future)."""
        if not isinstance(entry, dict) or not isinstance(entry.get("saved"), (int, float)):
            return None
        return entry if 0 <= time.time() - entry["saved"] < FRESH_SECONDS else None

    def _write(self, key: str, value: dict[str, Any] | None) -> None:
        """Replace one part of the file atomically; a disk that refuses only costs a probe."""
        data = self._read() or {"format": FORMAT, "site": self.site_url}
        if value is None:
            data.pop(key, None)
        else:
            data[key] = {**value, "saved": time.time()}
        with contextlib.suppress(OSError):
            write_json(self.path, data)

    def facts(self) -> SiteFacts | None:
        entry = self._fresh(self._read().get("probe"))
        if entry is None:
            return None
        try:
            facts = SiteFacts(**{key: value for key, value in entry.items() if key != "saved"})
            codecs.lookup(facts.charset)
        except (TypeError, LookupError):
            return None
        fields_fit = all(
            isinstance(value, kind)
            for value, kind in (
                (facts.site_url, str),
                (facts.mobile_api, bool),
                (facts.api_version, int),
                (facts.cookie_prefix, str),
                (facts.name, str),
                (facts.version, str),
                (facts.language, str),
            )
        )
        return facts if fields_fit and 1 <= facts.api_version <= 4 else None

    def remember_facts(self, facts: SiteFacts) -> None:
        self._write("probe", asdict(facts))

    def forget_facts(self) -> None:
        self._write("probe", None)

    def smilies(self) -> dict[str, str] | None:
        entry = self._fresh(self._read().get("smilies"))
        table = entry.get("table") if entry else None
        if not isinstance(table, dict) or not all(
            isinstance(code, str) and isinstance(url, str) for code, url in table.items()
        ):
            return None
        return table

    def remember_smilies(self, table: dict[str, str]) -> None:
        self._write("smilies", {"table": table})
