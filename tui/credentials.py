"""Passwords and session cookies in the OS keyring, or only in memory when there is none.

Both are credentials, so both go to the keyring: the password under the service
``forum-tui:<site>`` and the session (the site's cookies, one JSON string) under
``forum-tui-session:<site>``, each with the username as the keyring's user name.

When no usable keyring exists (no Secret Service, a locked collection, keyring's ``fail``
or ``null`` backend, or a backend that keeps secrets in a file), the store says so once and
keeps this run's secrets in memory: logging in still works, nothing reaches the disk. A
backend that fails later (D-Bus gone, collection locked again) switches it the same way.

keyring is imported and probed only in worker threads (its first probe takes a noticeable
fraction of a second), so creating a store costs nothing on the app's start-up path.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from tui.accounts import site_key

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

T = TypeVar("T")

PASSWORD_SERVICE_PREFIX = "forum-tui:"
SESSION_SERVICE_PREFIX = "forum-tui-session:"
_PROBE = ("forum-tui:probe", "probe")

NOT_RUNNING = "no keyring service is running"
UNUSABLE_TEMPLATE = (
    "No usable keyring ({reason}): install and unlock gnome-keyring or KWallet (Secret Service) "
    "to stay logged in. This session works, but nothing is saved."
)


def password_service(site_url: str) -> str:
    """The keyring service name a site's passwords are filed under."""
    return PASSWORD_SERVICE_PREFIX + site_key(site_url)


def session_service(site_url: str) -> str:
    """The keyring service name a site's session cookies are filed under."""
    return SESSION_SERVICE_PREFIX + site_key(site_url)


@dataclass(frozen=True, slots=True)
class KeyringStatus:
    """Whether secrets outlive this run, in a sentence fit to show the user."""

    usable: bool
    message: str
    reason: str = ""  # the cause alone when unusable, e.g. "the keyring is locked"


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What ``forget`` actually removed, so a command can say so."""

    session: bool
    password: bool


class _Vault(Protocol):
    """The three keyring calls the store uses; a keyring backend or the in-memory vault."""

    def get_password(self, service: str, username: str) -> str | None: ...

    def set_password(self, service: str, username: str, password: str) -> None: ...

    def delete_password(self, service: str, username: str) -> None: ...


class _MemoryVault:
    """Where secrets live for the rest of the run once the keyring is unusable."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._entries.pop((service, username), None)


def _keeps_secrets_in_files(backend: KeyringBackend) -> bool:
    """keyrings.alt's plaintext and encrypted-file backends, or any other file-backed one."""
    if type(backend).__module__.startswith("keyrings.alt"):
        return True
    return any(hasattr(backend, name) for name in ("file_path", "filename"))


def _refusal(backend: KeyringBackend) -> str | None:
    """Why this backend cannot hold our secrets, or None when it can."""
    from keyring.backends import fail, null

    if isinstance(backend, fail.Keyring):
        return NOT_RUNNING
    if isinstance(backend, null.Keyring):
        return "the configured null keyring keeps nothing"
    if _keeps_secrets_in_files(backend):
        return f"the configured {type(backend).__name__} keeps secrets in a file"
    return None


def _choose(backend: KeyringBackend) -> tuple[KeyringBackend | None, str]:
    """The backend to use (a chainer resolved to its best usable member), or why there is none.

    A chainer writes to its first member, so one with a file backend in front must not be
    used as a whole: the best member that passes is used directly instead.
    """
    from keyring.backends.chainer import ChainerBackend

    candidates = list(backend.backends) if isinstance(backend, ChainerBackend) else [backend]
    reasons = [_refusal(candidate) for candidate in candidates]
    for candidate, reason in zip(candidates, reasons, strict=True):
        if reason is None:
            return candidate, ""
    return None, reasons[0] if reasons else NOT_RUNNING


def _failure_reason(error: Exception) -> str:
    """A short, secret-free cause for a backend error (never its arguments)."""
    from keyring.errors import KeyringLocked, NoKeyringError

    if isinstance(error, KeyringLocked):
        return "the keyring is locked"
    if isinstance(error, NoKeyringError):
        return NOT_RUNNING
    return f"the keyring failed with {type(error).__name__}"


def _delete(vault: _Vault, service: str, username: str) -> bool:
    """Delete one entry; False when there was none to delete."""
    if vault.get_password(service, username) is None:
        return False
    vault.delete_password(service, username)
    return True


def _cookies_from(text: str | None) -> dict[str, str] | None:
    """The cookie mapping from its keyring JSON, or None when absent or damaged."""
    if text is None:
        return None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        return None
    return {str(name): value for name, value in raw.items()}


class CredentialStore:
    """Passwords and sessions per (site, username), every keyring call in a worker thread.

    ``backend`` defaults to keyring's own choice (made lazily, off the event loop).
    ``on_unusable`` is called once, on the event loop, with the status when the store has
    to fall back to memory: the app shows that message, e.g. as a notification.
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        *,
        on_unusable: Callable[[KeyringStatus], None] | None = None,
    ) -> None:
        self._configured = backend
        self._vault: _Vault | None = None
        self._status: KeyringStatus | None = None
        self._announced = False
        self._on_unusable = on_unusable
        self._memory = _MemoryVault()
        self._lock = threading.Lock()  # one keyring conversation at a time

    @property
    def status(self) -> KeyringStatus | None:
        """The last known status, or None before the first keyring call."""
        return self._status

    async def check(self) -> KeyringStatus:
        """Find and test the keyring (once); later calls return the known status."""
        await self._call(lambda vault: None)
        assert self._status is not None
        return self._status

    async def save_password(self, site_url: str, username: str, password: str) -> None:
        await self._call(lambda vault: vault.set_password(password_service(site_url), username, password))

    async def get_password(self, site_url: str, username: str) -> str | None:
        return await self._call(lambda vault: vault.get_password(password_service(site_url), username))

    async def delete_password(self, site_url: str, username: str) -> bool:
        """Forget a remembered password only (the session stays); False when none was kept."""
        return await self._call(lambda vault: _delete(vault, password_service(site_url), username))

    async def save_session(self, site_url: str, username: str, cookies: Mapping[str, str]) -> None:
        """Keep the site's cookies; an empty mapping (a guest) removes the saved session."""
        if not cookies:
            await self._call(lambda vault: _delete(vault, session_service(site_url), username))
            return
        text = json.dumps(dict(cookies), ensure_ascii=False, sort_keys=True)
        await self._call(lambda vault: vault.set_password(session_service(site_url), username, text))

    async def get_session(self, site_url: str, username: str) -> dict[str, str] | None:
        text = await self._call(lambda vault: vault.get_password(session_service(site_url), username))
        return _cookies_from(text)

    async def forget(self, site_url: str, username: str, *, password: bool) -> Forgotten:
        """Remove the saved session, and the password too when ``password`` is true."""

        def remove(vault: _Vault) -> Forgotten:
            return Forgotten(
                session=_delete(vault, session_service(site_url), username),
                password=password and _delete(vault, password_service(site_url), username),
            )

        return await self._call(remove)

    async def _call(self, operation: Callable[[_Vault], T]) -> T:
        result = await asyncio.to_thread(self._run, operation)
        self._announce()
        return result

    def _announce(self) -> None:
        status = self._status
        if status is None or status.usable or self._announced:
            return
        self._announced = True
        if self._on_unusable is not None:
            self._on_unusable(status)

    def _run(self, operation: Callable[[_Vault], T]) -> T:
        """Run one operation against the keyring, or memory once the keyring failed (worker thread)."""
        with self._lock:
            vault = self._open() if self._vault is None else self._vault
            try:
                return operation(vault)
            except Exception as error:
                if vault is self._memory:
                    raise
                self._fall_back(_failure_reason(error))
                return operation(self._memory)

    def _open(self) -> _Vault:
        """Choose the backend and prove it answers; memory when it does not (worker thread)."""
        import keyring

        try:
            backend, reason = _choose(self._configured or keyring.get_keyring())
            if backend is not None:
                backend.get_password(*_PROBE)
        except Exception as error:
            return self._fall_back(_failure_reason(error))
        if backend is None:
            return self._fall_back(reason)
        self._vault = backend
        self._status = KeyringStatus(True, f"Passwords and sessions are kept in {backend.name}.")
        return backend

    def _fall_back(self, reason: str) -> _Vault:
        self._vault = self._memory
        self._status = KeyringStatus(False, UNUSABLE_TEMPLATE.format(reason=reason), reason)
        return self._memory
