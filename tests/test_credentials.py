"""The credential store: secrets per site and account in the keyring, memory when there is none."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import chainer, fail, null

from tui.credentials import CredentialStore, KeyringStatus

SITE = "https://bbs.example.com"
PASSWORD = "correct horse 7f3a9"
COOKIES = {"ab12_auth": "a1b2c3d4e5f6-auth-value", "ab12_saltkey": "Zz9Yy8Xx"}


def files_containing(root: Path, secret: str) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file() and secret.encode() in path.read_bytes()]


class FileKeyring(keyring.backend.KeyringBackend):
    """A backend that writes secrets to a file, the way keyrings.alt's file backends do."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, file_path: Path) -> None:
        super().__init__()
        self.file_path = file_path

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        with self.file_path.open("a", encoding="utf-8") as stream:
            stream.write(f"{service} {username} {password}\n")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError(username)


class LockingKeyring(keyring.backend.KeyringBackend):
    """Answers the first probe, then behaves like a collection that got locked."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str, *value: str) -> str | None:
        if service == "forum-tui:probe":
            return None
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    set_password = delete_password = get_password  # type: ignore[assignment]


async def test_password_and_session_go_to_the_keyring_per_site_and_user(memory_keyring) -> None:
    store = CredentialStore()
    await store.save_password(SITE, "alice", PASSWORD)
    await store.save_session(SITE, "alice", COOKIES)
    await store.save_password("https://other.example.org/bbs", "alice", "different")

    assert memory_keyring.entries[("forum-tui:https://bbs.example.com", "alice")] == PASSWORD
    assert ("forum-tui-session:https://bbs.example.com", "alice") in memory_keyring.entries
    assert await store.get_password(SITE + "/", "alice") == PASSWORD
    assert await store.get_password("https://other.example.org/bbs/", "alice") == "different"
    assert await store.get_password(SITE, "bob") is None
    assert await store.get_session("HTTPS://BBS.Example.com", "alice") == COOKIES


async def test_a_new_store_finds_what_an_earlier_one_saved(memory_keyring) -> None:
    await CredentialStore().save_session(SITE, "alice", COOKIES)
    assert await CredentialStore().get_session(SITE, "alice") == COOKIES


async def test_forget_removes_the_session_and_the_password_only_when_asked(memory_keyring) -> None:
    store = CredentialStore()
    await store.save_password(SITE, "alice", PASSWORD)
    await store.save_session(SITE, "alice", COOKIES)

    kept = await store.forget(SITE, "alice", password=False)
    assert (kept.session, kept.password) == (True, False)
    assert await store.get_session(SITE, "alice") is None
    assert await store.get_password(SITE, "alice") == PASSWORD

    await store.save_session(SITE, "alice", COOKIES)
    gone = await store.forget(SITE, "alice", password=True)
    assert (gone.session, gone.password) == (True, True)
    assert memory_keyring.entries == {}
    again = await store.forget(SITE, "alice", password=True)
    assert (again.session, again.password) == (False, False)


async def test_saving_a_guest_session_removes_the_old_one(memory_keyring) -> None:
    store = CredentialStore()
    await store.save_session(SITE, "alice", COOKIES)
    await store.save_session(SITE, "alice", {})
    assert await store.get_session(SITE, "alice") is None


async def test_a_damaged_session_entry_reads_as_no_session(memory_keyring) -> None:
    memory_keyring.entries[("forum-tui-session:https://bbs.example.com", "alice")] = "{not json"
    assert await CredentialStore().get_session(SITE, "alice") is None


async def test_a_working_keyring_reports_usable(memory_keyring) -> None:
    status = await CredentialStore().check()
    assert status.usable
    assert "MemoryKeyring" in status.message


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
async def test_without_a_keyring_log_in_still_works_in_memory_and_nothing_is_written(
    backend: keyring.backend.KeyringBackend, isolated_home: Path, tmp_path: Path
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    notices: list[KeyringStatus] = []
    try:
        store = CredentialStore(on_unusable=notices.append)
        await store.save_password(SITE, "alice", PASSWORD)
        await store.save_session(SITE, "alice", COOKIES)
        assert await store.get_password(SITE, "alice") == PASSWORD
        assert await store.get_session(SITE, "alice") == COOKIES
        status = await store.check()
    finally:
        keyring.set_keyring(previous)

    assert not status.usable
    assert "No usable keyring" in status.message and "gnome-keyring" in status.message
    assert notices == [status], "the user is told exactly once"
    for root in (isolated_home, tmp_path):
        assert files_containing(root, PASSWORD) == []
        assert files_containing(root, COOKIES["ab12_auth"]) == []


async def test_a_file_backed_keyring_is_refused(tmp_path: Path) -> None:
    secrets_file = tmp_path / "keyring_pass.cfg"
    store = CredentialStore(FileKeyring(secrets_file))
    await store.save_password(SITE, "alice", PASSWORD)

    status = await store.check()
    assert not status.usable
    assert "keeps secrets in a file" in status.message
    assert not secrets_file.exists()
    assert await store.get_password(SITE, "alice") == PASSWORD


async def test_a_chain_with_a_file_backend_in_front_uses_the_real_keyring_behind_it(
    memory_keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets_file = tmp_path / "crypted_pass.cfg"
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [FileKeyring(secrets_file), memory_keyring])
    store = CredentialStore(chainer.ChainerBackend())
    await store.save_password(SITE, "alice", PASSWORD)

    assert (await store.check()).usable
    assert not secrets_file.exists()
    assert memory_keyring.entries[("forum-tui:https://bbs.example.com", "alice")] == PASSWORD


async def test_a_chain_with_nothing_usable_is_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    status = await CredentialStore(chainer.ChainerBackend()).check()
    assert not status.usable
    assert "no keyring service is running" in status.message


async def test_a_keyring_that_locks_mid_run_switches_to_memory_without_crashing() -> None:
    notices: list[KeyringStatus] = []
    store = CredentialStore(LockingKeyring(), on_unusable=notices.append)
    assert (await store.check()).usable

    await store.save_session(SITE, "alice", COOKIES)
    await store.save_password(SITE, "alice", PASSWORD)

    assert await store.get_session(SITE, "alice") == COOKIES
    assert await store.get_password(SITE, "alice") == PASSWORD
    assert len(notices) == 1
    assert "locked" in notices[0].message
    assert PASSWORD not in notices[0].message


def test_importing_and_creating_a_store_leaves_keyring_alone() -> None:
    """keyring's first probe is slow: nothing the app imports at start-up may load it."""
    code = (
        "import sys, tui.auth, tui.credentials; tui.credentials.CredentialStore(); "
        "sys.exit('keyring' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


async def test_keyring_calls_run_off_the_event_loop_thread(memory_keyring, monkeypatch) -> None:
    threads: set[int] = set()
    read = memory_keyring.get_password

    def recording_read(service: str, username: str) -> str | None:
        threads.add(threading.get_ident())
        return read(service, username)

    monkeypatch.setattr(memory_keyring, "get_password", recording_read)
    await CredentialStore().get_password(SITE, "alice")
    assert threads and threading.get_ident() not in threads


@pytest.mark.parametrize(
    ("environment", "reason"),
    [
        ({}, "no keyring service is running"),
        ({"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}, "null keyring keeps nothing"),
    ],
    ids=["no D-Bus session", "null backend configured"],
)
def test_keyring_own_choice_on_a_machine_without_one_is_reported(environment, reason) -> None:
    """keyring's automatic choice, in a process that has no D-Bus session to find a keyring on."""
    code = (
        "import asyncio; from tui.credentials import CredentialStore; "
        "print(asyncio.run(CredentialStore().check()).message)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBUS_")} | environment
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("No usable keyring") and reason in run.stdout


class GoneKeyring(keyring.backend.KeyringBackend):
    """A Secret Service whose D-Bus connection is gone: every call raises."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str, *value: str) -> str | None:
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    set_password = delete_password = get_password  # type: ignore[assignment]


async def test_a_keyring_that_cannot_be_reached_at_start_is_reported_not_fatal() -> None:
    store = CredentialStore(GoneKeyring())
    await store.save_session(SITE, "alice", COOKIES)

    status = await store.check()
    assert not status.usable and "ConnectionRefusedError" in status.message
    assert await store.get_session(SITE, "alice") == COOKIES
