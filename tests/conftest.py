"""Shared test fixtures: where the real captures are, an isolated HOME, and keyring backends."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import keyring.backend
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "discuz-x3.5"
GBK_FIXTURES = ROOT / "tests" / "fixtures" / "discuz-x3.4-gbk"


def load_capture(name: str) -> tuple[dict, bytes]:
    """A capture's sidecar metadata and raw body, by file name under the fixtures folder."""
    body_path = FIXTURES / name
    meta_path = body_path.with_suffix(".meta.json")
    return json.loads(meta_path.read_text(encoding="utf-8")), body_path.read_bytes()


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring for unit tests. Negative priority keeps it out of auto-detection."""

    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        import keyring.errors

        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError(username)
        del self.entries[(service, username)]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, data, cache and downloads go to a fresh folder per test, never the developer's own."""
    home = tmp_path_factory.mktemp("home")
    for variable, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_DOWNLOAD_DIR", "Downloads"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    return home


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    """Swap the OS keyring for an in-memory one for the duration of a test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def real_keyring() -> keyring.backend.KeyringBackend:
    """The real Secret Service. Fails (not skips) when CI promised one and it is missing."""
    import keyring.backends.SecretService

    backend = keyring.backends.SecretService.Keyring()
    try:
        usable = backend.priority > 0
    except Exception as error:  # the backend reports unusability by raising
        usable = False
        reason = str(error)
    else:
        reason = "priority <= 0"
    if not usable:
        message = f"the real Secret Service is not available ({reason})"
        if os.environ.get("FORUM_TUI_REAL_KEYRING"):
            pytest.fail(message)
        pytest.skip(message + "; run ./scripts/test to get one")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def forum_server():
    """A fresh, seeded demo forum over real HTTP on 127.0.0.1 (function scope: seeding takes
    well under a second, and every test may change state). ``forum_server.url`` is the base URL."""
    from tui.demo.server import DemoForum

    with DemoForum() as forum:
        yield forum
