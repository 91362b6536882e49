"""Saved accounts: which (site, username) pairs the user logs in with, and nothing secret.

Only plain facts live in ``accounts.json`` under the data folder (site, username, charset,
cookie prefix, last visit, which account was used last, whether a password is remembered).
Passwords and session cookies live in the OS keyring (``tui.credentials``). The file is
re-read before every change and replaced atomically, so the app and the ``accounts`` /
``logout`` commands running side by side do not undo each other's changes.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tui.config import data_dir
from tui.files import write_json

FILE_VERSION = 1


def site_key(site_url: str) -> str:
    """One spelling per site: lower-case scheme and host, no trailing slash, query or fragment.

    Every place that files something under a site (this book, the keyring service names)
    uses it, so ``https://BBS.example.com/`` and ``https://bbs.example.com`` are one site.
    """
    parts = urlsplit(site_url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address: traffic that never leaves this machine."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sends_in_clear(site: str) -> bool:
    """Whether a password sent to ``site`` (as typed) would cross the network unencrypted:
    plain ``http://`` to any host but this machine. A bare host name gets https."""
    text = site.strip()
    if "://" not in text:
        return False
    parts = urlsplit(text)
    return parts.scheme.lower() == "http" and not is_loopback(parts.hostname or "")


@dataclass(slots=True)
class Account:
    """A (site, username) pair the user has logged in with."""

    site_url: str
    username: str
    charset: str = ""
    last_visit: float | None = None  # seconds since the epoch
    remember_password: bool = False
    question_id: int = 0  # which security question the account has (never its answer); 0: none

    def __post_init__(self) -> None:
        self.site_url = site_key(self.site_url)

    def same_as(self, site_url: str, username: str) -> bool:
        return self.site_url == site_key(site_url) and self.username == username


def _account_from(raw: object) -> Account | None:
    """An account from one JSON record, or None when the record is not usable."""
    if not isinstance(raw, dict):
        return None
    known = {field.name for field in fields(Account)}
    values = {name: value for name, value in raw.items() if name in known}
    if not isinstance(values.get("site_url"), str) or not isinstance(values.get("username"), str):
        return None
    try:
        return Account(**values)
    except TypeError:
        return None


class AccountBook:
    """The saved accounts, most recently used first, kept in ``accounts.json``."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "accounts.json"
        self._accounts: list[Account] = []
        self._last: tuple[str, str] | None = None
        self.problem = ""  # a sentence when the file could not be read as written

    @classmethod
    def load(cls, path: Path | None = None) -> AccountBook:
        """The book as saved (empty when there is no file yet)."""
        book = cls(path)
        book._read()
        return book

    def _read(self) -> None:
        """Replace the in-memory book with the file's (built aside, then swapped in whole)."""
        accounts, last, self.problem = self._parsed()
        self._accounts, self._last = accounts, last

    def _parsed(self) -> tuple[list[Account], tuple[str, str] | None, str]:
        """The file's accounts, the one used last, and a problem sentence ('' when none)."""
        try:
            text = self.path.read_text(encoding="utf-8")
            import json  # only once there is a file: a first start has none

            raw = json.loads(text)
        except FileNotFoundError:
            return [], None, ""
        except (OSError, ValueError) as error:  # unreadable, not UTF-8, or not JSON
            return [], None, f"{self.path}: cannot be read ({error}); saved accounts are not shown"
        if not isinstance(raw, dict):
            return [], None, f"{self.path}: not an account list; saved accounts are not shown"
        accounts: dict[tuple[str, str], Account] = {}
        records = raw.get("accounts")
        for record in records if isinstance(records, list) else []:
            account = _account_from(record)
            if account is not None:
                accounts.setdefault((account.site_url, account.username), account)
        last = raw.get("last")
        key = (site_key(str(last[0])), str(last[1])) if isinstance(last, list) and len(last) == 2 else None
        return list(accounts.values()), key if key in accounts else None, ""

    def save(self) -> None:
        """Write the book atomically: a reader never sees half a file."""
        document = {
            "version": FILE_VERSION,
            "last": list(self._last) if self._last else None,
            "accounts": [asdict(account) for account in self._accounts],
        }
        write_json(self.path, document, indent=2)

    def all(self) -> list[Account]:
        """Every saved account, the most recently visited first."""
        return sorted(self._accounts, key=lambda account: account.last_visit or 0.0, reverse=True)

    def get(self, site_url: str, username: str) -> Account | None:
        return next((a for a in self._accounts if a.same_as(site_url, username)), None)

    def last(self) -> Account | None:
        """The account used last, which the app opens on start."""
        return self.get(*self._last) if self._last else None

    def for_site(self, site_url: str) -> list[Account]:
        """The accounts saved for one site, the most recently visited first."""
        key = site_key(site_url)
        return [account for account in self.all() if account.site_url == key]

    def remember(self, account: Account) -> Account:
        """Add or update an account, stamp the visit, mark it as used last, and save.

        A blank charset keeps what was known before.
        """
        self._read()
        saved = self.get(account.site_url, account.username)
        if saved is None:
            saved = Account(account.site_url, account.username)
            self._accounts.append(saved)
        saved.charset = account.charset or saved.charset
        saved.remember_password = account.remember_password
        saved.question_id = account.question_id
        saved.last_visit = time.time()
        self._last = (saved.site_url, saved.username)
        self.save()
        return saved

    def remove(self, site_url: str, username: str) -> bool:
        """Drop an account from the book and save; False when it was not there."""
        self._read()
        account = self.get(site_url, username)
        if account is None:
            return False
        self._accounts.remove(account)
        if self._last == (account.site_url, account.username):
            self._last = None
        self.save()
        return True
