"""Staying logged in with the real Discuz! engine against the demo forum over HTTP."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable

import pytest

from tui.accounts import Account, AccountBook
from tui.auth import resume, sign_in, with_reauth
from tui.credentials import CredentialStore
from tui.demo.server import COOKIE_PREFIX, DemoForum
from tui.engine import ForumSession
from tui.errors import LoginRequiredError
from tui.model import LoginRequest
from tui.registry import open_session

pytestmark = pytest.mark.usefixtures("memory_keyring")

USER, PASSWORD = "user1", "demo-user1"
THREAD = "1"


@pytest.fixture
async def sessions() -> AsyncIterator[Callable[[str], ForumSession]]:
    """Fresh engine sessions, as each start of the app makes one; all closed afterwards."""
    opened: list[ForumSession] = []

    def new_session(url: str) -> ForumSession:
        opened.append(open_session(url))
        return opened[-1]

    yield new_session
    for session in opened:
        await session.aclose()


def forget_every_session(forum: DemoForum) -> None:
    """The forum rejects every auth cookie it handed out (its signing secret changes)."""
    assert forum.site is not None
    forum.site.secret = secrets.token_hex(16)


async def signed_in(forum: DemoForum, new_session, store: CredentialStore, *, remember: bool) -> Account:
    session = new_session(forum.url)
    site = await session.probe()
    request = LoginRequest(USER, PASSWORD)
    await sign_in(session, request, remember=remember, store=store, book=AccountBook.load(), site=site)
    account = AccountBook.load().last()
    assert account is not None
    return account


async def test_the_engine_session_goes_to_the_keyring_with_the_site_facts(forum_server, sessions) -> None:
    store = CredentialStore()
    account = await signed_in(forum_server, sessions, store, remember=True)

    cookies = await store.get_session(forum_server.url, USER)
    assert cookies is not None
    assert {COOKIE_PREFIX + "auth", COOKIE_PREFIX + "saltkey"} <= set(cookies)
    assert account.charset
    assert await store.get_password(forum_server.url, USER) == PASSWORD


async def test_a_new_start_is_logged_in_from_the_saved_cookies_alone(forum_server, sessions) -> None:
    store = CredentialStore()
    account = await signed_in(forum_server, sessions, store, remember=True)
    await store.delete_password(forum_server.url, USER)  # only the session cookies are left

    session = sessions(forum_server.url)
    user = await resume(session, account, CredentialStore())

    assert user.username == USER
    page = await session.thread_page(THREAD)
    assert page.user is not None and page.user.username == USER


async def test_a_rejected_session_is_replaced_by_logging_in_with_the_saved_password(
    forum_server, sessions
) -> None:
    store = CredentialStore()
    account = await signed_in(forum_server, sessions, store, remember=True)
    old = await store.get_session(forum_server.url, USER)
    forget_every_session(forum_server)

    user = await resume(sessions(forum_server.url), account, store)

    assert user.username == USER
    fresh = await store.get_session(forum_server.url, USER)
    assert fresh is not None and old is not None
    assert fresh[COOKIE_PREFIX + "auth"] != old[COOKIE_PREFIX + "auth"]
    assert (await resume(sessions(forum_server.url), account, store)).username == USER


async def test_a_rejected_session_without_a_saved_password_needs_the_log_in_screen(
    forum_server, sessions
) -> None:
    store = CredentialStore()
    account = await signed_in(forum_server, sessions, store, remember=False)
    forget_every_session(forum_server)

    with pytest.raises(LoginRequiredError):
        await resume(sessions(forum_server.url), account, store)


async def test_without_remember_me_a_new_start_needs_the_log_in_screen(forum_server, sessions) -> None:
    store = CredentialStore()
    account = await signed_in(forum_server, sessions, store, remember=False)
    assert await store.get_session(forum_server.url, USER) is None

    with pytest.raises(LoginRequiredError):  # the session ended with the run that made it
        await resume(sessions(forum_server.url), account, store)


async def test_a_reply_after_the_session_expired_goes_through_after_one_quiet_re_login(
    forum_server, sessions
) -> None:
    store = CredentialStore()
    account = await signed_in(forum_server, sessions, store, remember=True)
    session = sessions(forum_server.url)
    await resume(session, account, store)
    forget_every_session(forum_server)
    text = "Replying after the session expired " + secrets.token_hex(4)

    result = await with_reauth(session, account, store, lambda: session.reply(THREAD, text))

    assert result.thread_id == THREAD
    assert forum_server.site.store.value("SELECT COUNT(*) FROM posts WHERE message = ?", text) == 1
