"""A keyring backend for the start-up benchmark's remembered account: it reads its entries from
the FORUM_TUI_BENCH_KEYRING environment variable (JSON: service → username → secret) and keeps
changes in memory, so a throwaway demo session reaches the app's child process without a keyring
daemon and without ever being written to a file."""

from __future__ import annotations

import json
import os

from keyring.backend import KeyringBackend


class EnvKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        raw = json.loads(os.environ.get("FORUM_TUI_BENCH_KEYRING") or "{}")
        self.entries = {
            (service, user): secret for service, users in raw.items() for user, secret in users.items()
        }

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)
