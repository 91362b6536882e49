"""The account book (plain facts only) and the ``accounts`` / ``logout`` commands."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from rich.cells import cell_len

from tui.accounts import Account, AccountBook
from tui.cli import main
from tui.config import data_dir
from tui.credentials import CredentialStore

SITE = "https://bbs.example.com"
OTHER = "https://other.example.org/bbs"
PASSWORD = "s3cret-in-keyring-only"


def test_a_remembered_account_is_there_on_the_next_start() -> None:
    AccountBook.load().remember(
        Account(SITE + "/", "alice", charset="gbk", remember_password=True)
    )

    book = AccountBook.load()
    account = book.last()
    assert account is not None
    assert (account.site_url, account.username) == (SITE, "alice")
    assert (account.charset, account.remember_password) == ("gbk", True)
    assert account.last_visit is not None
    assert book.path == data_dir() / "accounts.json"


def test_remember_updates_in_place_and_marks_the_account_as_used_last() -> None:
    book = AccountBook.load()
    book.remember(Account(SITE, "alice", charset="gbk"))
    book.remember(Account(OTHER, "bob"))
    book.remember(Account(SITE, "alice", remember_password=True))

    again = AccountBook.load()
    assert [(a.site_url, a.username) for a in again.all()] == [(SITE, "alice"), (OTHER, "bob")]
    alice = again.last()
    assert alice is not None and alice.username == "alice"
    assert (alice.charset, alice.remember_password) == ("gbk", True)


def test_for_site_and_remove() -> None:
    book = AccountBook.load()
    for site, user in ((SITE, "alice"), (SITE, "bob"), (OTHER, "alice")):
        book.remember(Account(site, user))

    assert sorted(a.username for a in book.for_site("HTTPS://bbs.example.com/")) == ["alice", "bob"]
    assert book.remove(OTHER + "/", "alice")
    assert not book.remove(OTHER, "alice")
    assert book.last() is None, "the account used last was removed"
    assert [a.username for a in AccountBook.load().for_site(SITE)] == ["bob", "alice"]


def test_two_books_open_at_once_do_not_undo_each_other() -> None:
    app_book, command_book = AccountBook.load(), AccountBook.load()
    app_book.remember(Account(SITE, "alice"))
    command_book.remember(Account(OTHER, "bob"))
    assert {a.username for a in AccountBook.load().all()} == {"alice", "bob"}


def test_a_book_written_with_fields_this_version_does_not_keep_still_loads() -> None:
    path = data_dir() / "accounts.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"site_url": SITE, "username": "alice", "charset": "gbk", "cookie_prefix": "ab12_"}
    document = {"version": 1, "last": [SITE, "alice"], "accounts": [record]}
    path.write_text(json.dumps(document), encoding="utf-8")
    account = AccountBook.load().last()
    assert account is not None and (account.username, account.charset) == ("alice", "gbk")


def test_the_file_holds_only_plain_facts_and_is_replaced_whole() -> None:
    book = AccountBook.load()
    book.remember(Account(SITE, "alice", remember_password=True))

    document = json.loads(book.path.read_text(encoding="utf-8"))
    assert set(document["accounts"][0]) == {
        "site_url", "username", "charset", "last_visit", "remember_password", "question_id"
    }
    assert document["last"] == [SITE, "alice"]
    assert [p.name for p in book.path.parent.iterdir()] == ["accounts.json"], "no temporary file left"
    assert book.path.stat().st_mode & 0o077 == 0, "which forums one uses is nobody else's business"


def test_a_damaged_file_is_reported_and_then_rewritten() -> None:
    path = data_dir() / "accounts.json"
    path.parent.mkdir(parents=True)
    path.write_text("{ this is not json", encoding="utf-8")

    book = AccountBook.load()
    assert book.all() == [] and "cannot be read" in book.problem
    book.remember(Account(SITE, "alice"))
    assert [a.username for a in AccountBook.load().all()] == ["alice"]


def test_a_hand_edited_file_keeps_its_good_records() -> None:
    path = data_dir() / "accounts.json"
    path.parent.mkdir(parents=True)
    records = [{"site_url": SITE, "username": "alice", "colour": "blue"}, {"username": 7}, "junk"]
    path.write_text(json.dumps({"accounts": records, "last": [SITE + "/", "alice"]}), encoding="utf-8")

    book = AccountBook.load()
    assert [(a.site_url, a.username) for a in book.all()] == [(SITE, "alice")]
    assert book.last() is not None and book.problem == ""


def test_accounts_command_lists_accounts_and_never_secrets(memory_keyring, capsys) -> None:
    book = AccountBook.load()
    book.remember(Account(OTHER, "bob"))
    book.remember(Account(SITE, "alice", remember_password=True))
    memory_keyring.entries[("forum-tui:" + SITE, "alice")] = PASSWORD

    assert main(["accounts"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1].startswith("*") and SITE in lines[1] and "alice" in lines[1] and "remembered" in lines[1]
    assert OTHER in lines[2] and "bob" in lines[2] and "not saved" in lines[2]
    assert PASSWORD not in out


def test_accounts_command_lines_up_columns_with_chinese_usernames(capsys) -> None:
    book = AccountBook.load()
    book.remember(Account(SITE, "alice"))
    book.remember(Account(SITE, "小明同学"))

    assert main(["accounts"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()[:3]
    column = cell_len(header[: header.index("LAST VISIT")])
    for row in rows:
        assert cell_len(row[: row.index("2")]) == column, row


def test_accounts_command_with_nothing_saved(capsys) -> None:
    assert main(["accounts"]) == 0
    assert "No saved accounts" in capsys.readouterr().out


async def save_secrets(site: str, user: str) -> None:
    store = CredentialStore()
    await store.save_password(site, user, PASSWORD)
    await store.save_session(site, user, {"ab12_auth": "cookie-" + user})


@pytest.fixture
def two_sites(memory_keyring) -> None:
    """Three accounts on two sites, each with a saved password and session."""
    book = AccountBook.load()
    for site, user in ((SITE, "alice"), (SITE, "bob"), (OTHER, "alice")):
        book.remember(Account(site, user, remember_password=True))
        asyncio.run(save_secrets(site, user))


def test_logout_one_account_removes_its_secrets_and_entry_only(two_sites, memory_keyring, capsys) -> None:
    assert main(["logout", SITE + "/", "alice"]) == 0

    out = capsys.readouterr().out
    assert "alice at https://bbs.example.com: deleted the saved session and password" in out
    assert "removed the account from the list" in out
    assert ("forum-tui:" + SITE, "alice") not in memory_keyring.entries
    assert ("forum-tui-session:" + SITE, "alice") not in memory_keyring.entries
    assert len(memory_keyring.entries) == 4
    assert sorted((a.site_url, a.username) for a in AccountBook.load().all()) == [
        (SITE, "bob"), (OTHER, "alice")
    ]


def test_logout_a_site_removes_every_account_on_it(two_sites, memory_keyring, capsys) -> None:
    assert main(["logout", SITE]) == 0
    out = capsys.readouterr().out
    for user in ("alice", "bob"):
        assert f"{user} at https://bbs.example.com: deleted the saved session and password" in out
    assert [a.site_url for a in AccountBook.load().all()] == [OTHER]
    services = {service for service, _ in memory_keyring.entries}
    assert services == {"forum-tui:" + OTHER, "forum-tui-session:" + OTHER}


def test_logout_everything(two_sites, memory_keyring, capsys) -> None:
    assert main(["logout"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert AccountBook.load().all() == []
    assert memory_keyring.entries == {}


def test_logout_of_an_unknown_site_says_so(two_sites, capsys) -> None:
    assert main(["logout", "https://nowhere.example.net"]) == 1
    assert "No saved account for https://nowhere.example.net" in capsys.readouterr().out


def test_logout_without_a_keyring_says_so_and_still_clears_the_list(capsys) -> None:
    AccountBook.load().remember(Account(SITE, "alice"))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert main(["logout", SITE, "alice"]) == 0
    finally:
        keyring.set_keyring(previous)
    captured = capsys.readouterr()
    assert "The keyring cannot be used (no keyring service is running)" in captured.err
    assert "alice at https://bbs.example.com: removed the account from the list." in captured.out
    assert AccountBook.load().all() == []


def test_a_first_start_with_no_account_file_loads_no_json_reader(tmp_path: Path) -> None:
    """The account book is read before the log-in form is drawn; with no file there is
    nothing for ``json`` to read, so it stays unloaded on a first start."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from tui.accounts import AccountBook;"
        f" book = AccountBook.load(Path({str(tmp_path / 'accounts.json')!r}));"
        " print(book.problem == '' and 'json' not in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True", result.stderr
