"""Against the real Secret Service (CI starts a private gnome-keyring): sessions survive a restart.

Every test uses its own site URL, so tests sharing one keyring daemon never see each other's
entries, and checks the keyring from outside with ``secret-tool`` as a user would.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator

import pytest

from tests.test_auth import PASSWORD, FakeForum, FakeForumSession
from tui.accounts import AccountBook
from tui.auth import resume, sign_in, sign_out
from tui.credentials import CredentialStore, KeyringStatus
from tui.model import LoginRequest

pytestmark = pytest.mark.real_keyring

COOKIES = {"ab12_auth": "real-keyring-auth-cookie", "ab12_saltkey": "RkSalt42"}


def secret_tool(*args: str) -> str:
    """What the ``secret-tool`` command says: the keyring seen from outside the app."""
    return subprocess.run(["secret-tool", *args], capture_output=True, text=True, timeout=20).stdout


def saved_entries(site: str) -> str:
    """Every keyring entry of forum-tui for this site, as ``secret-tool search --all`` lists them."""
    return "".join(
        secret_tool("search", "--all", "service", service + site)
        for service in ("forum-tui:", "forum-tui-session:")
    )


@pytest.fixture
def site(real_keyring) -> Iterator[str]:
    """A site URL of this test's own; its keyring entries are cleared afterwards."""
    url = f"https://real-{uuid.uuid4().hex[:12]}.example.com"
    yield url
    for service in ("forum-tui:", "forum-tui-session:"):
        subprocess.run(["secret-tool", "clear", "service", service + url], timeout=20, check=False)


@pytest.fixture
def private_collection(real_keyring) -> Iterator[object]:
    """A collection of our own that the test may lock without prompting (gnome-keyring's
    internal interface), so locking it never touches the login collection other tests use.
    Yields (keyring backend filing into it, lock function, unlock function)."""
    import secretstorage
    from jeepney.wrappers import DBusErrorResponse
    from keyring.backends.SecretService import Keyring
    from secretstorage.util import DBusAddressWrapper, format_secret, open_session

    connection = secretstorage.dbus_init()
    internal = DBusAddressWrapper(
        "/org/freedesktop/secrets", "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", connection
    )
    session = open_session(connection)
    master = format_secret(session, b"test master password", "text/plain")
    try:
        (path,) = internal.call(
            "CreateWithMasterPassword",
            "a{sv}(oayays)",
            {"org.freedesktop.Secret.Collection.Label": ("s", "forum-tui test")},
            master,
        )
    except DBusErrorResponse as error:
        pytest.skip(f"this Secret Service cannot lock a collection without a prompt ({error})")
    collection = secretstorage.Collection(connection, path, session)
    backend = Keyring()
    backend.preferred_collection = path

    def unlock() -> None:
        internal.call("UnlockWithMasterPassword", "o(oayays)", path, master)

    yield backend, collection.lock, unlock
    unlock()
    collection.delete()
    connection.close()


async def test_the_real_keyring_is_usable(site) -> None:
    status = await CredentialStore().check()
    assert status.usable, status.message
    assert "SecretService" in status.message


async def test_secrets_are_in_the_keyring_per_site_and_found_again_after_a_restart(site) -> None:
    store = CredentialStore()
    await store.save_password(site, "alice", PASSWORD)
    await store.save_session(site, "alice", COOKIES)

    assert secret_tool("lookup", "service", f"forum-tui:{site}", "username", "alice") == PASSWORD
    assert "real-keyring-auth-cookie" in secret_tool(
        "lookup", "service", f"forum-tui-session:{site}", "username", "alice"
    )

    next_start = CredentialStore()
    assert await next_start.get_password(site + "/", "alice") == PASSWORD
    assert await next_start.get_session(site, "alice") == COOKIES
    assert await next_start.get_password(site, "bob") is None


async def test_log_in_once_stay_logged_in_relogin_when_rejected_and_log_out(site) -> None:
    forum = FakeForum()
    await sign_in(
        FakeForumSession(forum, site), LoginRequest("alice", PASSWORD), remember=True,
        store=CredentialStore(), book=AccountBook.load(),
    )
    logins = forum.logins

    # Next start: a new store and book; the saved session is enough, no password is sent.
    account = AccountBook.load().last()
    assert account is not None and account.site_url == site
    user = await resume(FakeForumSession(forum, site), account, CredentialStore())
    assert user.username == "alice" and forum.logins == logins

    # The site forgot the session: the saved password logs in again and the new session is kept.
    forum.expire_sessions()
    store = CredentialStore()
    session = FakeForumSession(forum, site)
    await resume(session, account, store)
    assert forum.logins == logins + 1
    fresh = await CredentialStore().get_session(site, "alice")
    assert fresh is not None and fresh["ab12_auth"] in forum.live_tokens

    before = saved_entries(site)
    assert f"forum-tui:{site}" in before and f"forum-tui-session:{site}" in before
    await sign_out(session, account, store, AccountBook.load(), forget_password=True)
    assert saved_entries(site) == ""
    assert await CredentialStore().get_password(site, "alice") is None


async def test_a_locked_keyring_is_reported_and_log_in_works_with_nothing_saved(
    site, private_collection
) -> None:
    backend, lock, unlock = private_collection
    lock()
    notices: list[KeyringStatus] = []
    store = CredentialStore(backend, on_unusable=notices.append)
    forum = FakeForum()

    user = await sign_in(
        FakeForumSession(forum, site), LoginRequest("alice", PASSWORD), remember=True,
        store=store, book=AccountBook.load(),
    )

    assert user.username == "alice"
    assert len(notices) == 1 and "locked" in notices[0].message
    assert await store.get_password(site, "alice") == PASSWORD, "kept in memory for this run"
    unlock()
    assert backend.get_password(f"forum-tui:{site}", "alice") is None


async def test_a_keyring_locked_during_the_run_switches_to_memory(site, private_collection) -> None:
    backend, lock, _ = private_collection
    store = CredentialStore(backend)
    assert (await store.check()).usable
    await store.save_session(site, "alice", COOKIES)

    lock()
    await store.save_password(site, "alice", PASSWORD)

    status = await store.check()
    assert not status.usable and "locked" in status.message
    assert await store.get_password(site, "alice") == PASSWORD
