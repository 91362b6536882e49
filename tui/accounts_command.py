"""The ``accounts`` and ``logout`` commands: saved accounts without the interface.

``accounts`` reads only the account book, so it never touches (or waits for) the keyring
and can never show a secret. ``logout`` deletes sessions and passwords from the keyring.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from rich.cells import cell_len

from tui.accounts import Account, AccountBook, site_key
from tui.credentials import CredentialStore, Forgotten
from tui.times import exact_text


def _visit_text(account: Account) -> str:
    if account.last_visit is None:
        return "never"
    return exact_text(datetime.fromtimestamp(account.last_visit, UTC))


def run_accounts() -> int:
    """Print the saved accounts: site, user, last visit, whether a password is remembered."""
    book = AccountBook.load()
    if book.problem:
        print(book.problem, file=sys.stderr)
    accounts = book.all()
    if not accounts:
        print("No saved accounts. Log in from the app to add one.")
        return 0
    last = book.last()
    rows = [("", "SITE", "USER", "LAST VISIT", "PASSWORD")]
    rows += [
        (
            "*" if account is last else "",
            account.site_url,
            account.username,
            _visit_text(account),
            "remembered" if account.remember_password else "not saved",
        )
        for account in accounts
    ]
    widths = [max(cell_len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        cells = (cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    print()
    if last is not None:
        print("* used last.", end=" ")
    print("Passwords and sessions stay in the OS keyring and are never shown.")
    return 0


def _targets(book: AccountBook, site: str | None, user: str | None) -> list[tuple[str, str]]:
    """The (site, user) pairs a logout names: all, a site's, or one (listed or not)."""
    if site is None:
        return [(account.site_url, account.username) for account in book.all()]
    if user is None:
        return [(account.site_url, account.username) for account in book.for_site(site)]
    return [(site_key(site), user)]


def _removal_sentence(site_url: str, username: str, forgotten: Forgotten, listed: bool) -> str:
    kinds = (("session", forgotten.session), ("password", forgotten.password))
    secrets = [name for name, gone in kinds if gone]
    done = []
    if secrets:
        done.append(f"deleted the saved {' and '.join(secrets)} from the keyring")
    if listed:
        done.append("removed the account from the list")
    return f"{username} at {site_url}: {', '.join(done) or 'nothing was saved'}."


async def _logout(site: str | None, user: str | None) -> int:
    book = await asyncio.to_thread(AccountBook.load)
    targets = _targets(book, site, user)
    if not targets:
        print("No saved accounts." if site is None else f"No saved account for {site_key(site)}.")
        return 0 if site is None else 1
    store = CredentialStore()
    status = await store.check()
    if not status.usable:
        print(f"The keyring cannot be used ({status.reason}): nothing was deleted from it.", file=sys.stderr)
    for site_url, username in targets:
        forgotten = await store.forget(site_url, username, password=True)
        listed = await asyncio.to_thread(book.remove, site_url, username)
        print(_removal_sentence(site_url, username, forgotten, listed))
    return 0


def run_logout(args: argparse.Namespace) -> int:
    """Forget sessions and passwords for ``[SITE] [USER]`` (every account when neither is given)."""
    return asyncio.run(_logout(args.site, args.user))
