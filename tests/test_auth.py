"""Staying logged in: resume, sign in and out, and one transparent re-login on expiry."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

import pytest

from tui.accounts import Account, AccountBook
from tui.auth import resume, sign_in, sign_out, with_reauth
from tui.credentials import CredentialStore
from tui.errors import (
    LoginRequiredError,
    NetworkError,
    SecurityQuestionRequiredError,
    SessionExpiredError,
    WrongPasswordError,
)
from tui.model import CurrentUser, LoginRequest, ReplyResult, SiteInfo

SITE = "https://bbs.example.com"
PASSWORD = "pa55-unique-for-auth-tests"


class FakeForum:
    """The server side: one account, and the auth cookies it has handed out and still honours."""

    def __init__(self, password: str = PASSWORD, *, question: bool = False) -> None:
        self.password = password
        self.question = question
        self.live_tokens: set[str] = set()
        self.logins = 0
        self.reachable = True

    def expire_sessions(self) -> None:
        self.live_tokens.clear()


class FakeForumSession:
    """A client of ``FakeForum``: cookies in, cookies out, as a real engine behaves."""

    def __init__(self, forum: FakeForum, site_url: str = SITE) -> None:
        self.forum = forum
        self.site_url = site_url
        self.user = CurrentUser()
        self.cookies: dict[str, str] = {}

    def _check_reachable(self) -> None:
        if not self.forum.reachable:
            raise NetworkError()

    async def login(self, request: LoginRequest) -> CurrentUser:
        self._check_reachable()
        self.forum.logins += 1
        if request.username != "alice" or request.password != self.forum.password:
            raise WrongPasswordError(attempts_left=4)
        if self.forum.question and not request.answer:
            raise SecurityQuestionRequiredError()
        token = secrets.token_hex(8)
        self.forum.live_tokens.add(token)
        self.cookies = {"ab12_auth": token, "ab12_saltkey": "salt" + token[:4]}
        self.user = CurrentUser(uid="7", username="alice")
        return self.user

    async def refresh_user(self) -> CurrentUser:
        self._check_reachable()
        live = self.cookies.get("ab12_auth") in self.forum.live_tokens
        self.user = CurrentUser(uid="7", username="alice") if live else CurrentUser()
        return self.user

    async def reply(self, thread_id: str, text: str, **options: object) -> ReplyResult:
        self._check_reachable()
        if self.cookies.get("ab12_auth") not in self.forum.live_tokens:
            self.user = CurrentUser()
            raise SessionExpiredError()
        return ReplyResult(thread_id, "1001")

    async def logout(self) -> None:
        self._check_reachable()
        self.forum.live_tokens.discard(self.cookies.pop("ab12_auth", ""))
        self.user = CurrentUser()

    def export_session(self) -> dict[str, str]:
        return dict(self.cookies)

    def restore_session(self, secrets: Mapping[str, str]) -> None:
        self.cookies = dict(secrets)

    async def aclose(self) -> None:
        pass


@pytest.fixture
def forum() -> FakeForum:
    return FakeForum()


@pytest.fixture
def store(memory_keyring) -> CredentialStore:
    return CredentialStore()


async def signed_in(forum: FakeForum, store: CredentialStore, *, remember: bool) -> Account:
    """Sign alice in from the log-in screen and give back the account the app would now hold."""
    book = AccountBook.load()
    site = SiteInfo(SITE, charset="gbk")
    await sign_in(
        FakeForumSession(forum),
        LoginRequest("alice", PASSWORD),
        remember=remember,
        store=store,
        book=book,
        site=site,
    )
    account = AccountBook.load().last()
    assert account is not None
    return account


async def test_sign_in_saves_session_and_password_when_asked_and_remembers_the_account(
    forum, store, memory_keyring
) -> None:
    account = await signed_in(forum, store, remember=True)

    assert (account.site_url, account.username, account.remember_password) == (SITE, "alice", True)
    assert account.charset == "gbk"
    assert await store.get_password(SITE, "alice") == PASSWORD
    saved = await store.get_session(SITE, "alice")
    assert saved is not None and saved["ab12_auth"] in forum.live_tokens


async def test_sign_in_without_remember_keeps_nothing_in_the_keyring(forum, store, memory_keyring) -> None:
    await store.save_password(SITE, "alice", "an older password")
    await store.save_session(SITE, "alice", {"ab12_auth": "an older session"})
    account = await signed_in(forum, store, remember=False)

    assert not account.remember_password
    assert memory_keyring.entries == {}  # neither the password nor the session, old or new


async def test_the_account_book_says_no_password_kept_when_the_keyring_is_unusable(forum) -> None:
    from keyring.backends import fail

    store = CredentialStore(fail.Keyring())
    account = await signed_in(forum, store, remember=True)

    assert store.status is not None and not store.status.usable
    assert not account.remember_password  # the password lived in memory only, for this run


async def test_sign_in_with_a_wrong_password_saves_nothing(forum, store, memory_keyring) -> None:
    with pytest.raises(WrongPasswordError):
        await sign_in(
            FakeForumSession(forum),
            LoginRequest("alice", "wrong"),
            remember=True,
            store=store,
            book=AccountBook.load(),
        )
    assert memory_keyring.entries == {}
    assert AccountBook.load().all() == []


async def test_resume_uses_the_saved_session_without_sending_the_password(forum, store) -> None:
    account = await signed_in(forum, store, remember=True)
    logins_before = forum.logins

    session = FakeForumSession(forum)
    user = await resume(session, account, store)

    assert user.username == "alice" and not session.user.is_guest
    assert forum.logins == logins_before


async def test_resume_logs_in_again_with_the_password_when_the_session_was_rejected(forum, store) -> None:
    account = await signed_in(forum, store, remember=True)
    old_session = await store.get_session(SITE, "alice")
    forum.expire_sessions()

    user = await resume(FakeForumSession(forum), account, store)

    assert user.username == "alice"
    fresh = await store.get_session(SITE, "alice")
    assert fresh is not None and fresh != old_session and fresh["ab12_auth"] in forum.live_tokens


async def test_resume_without_a_password_and_a_dead_session_asks_for_a_log_in(forum, store) -> None:
    account = await signed_in(forum, store, remember=False)
    forum.expire_sessions()

    with pytest.raises(LoginRequiredError):
        await resume(FakeForumSession(forum), account, store)


async def test_resume_with_a_changed_password_asks_for_a_log_in_with_the_sites_reason(forum, store) -> None:
    account = await signed_in(forum, store, remember=True)
    forum.expire_sessions()
    forum.password = "changed on the website"

    with pytest.raises(LoginRequiredError) as caught:
        await resume(FakeForumSession(forum), account, store)
    assert "Wrong username or password" in str(caught.value)
    assert PASSWORD not in str(caught.value)


async def test_resume_when_the_site_needs_a_security_answer_asks_for_a_log_in(store) -> None:
    forum = FakeForum(question=True)
    account = Account(SITE, "alice", remember_password=True)
    await store.save_password(SITE, "alice", PASSWORD)

    with pytest.raises(LoginRequiredError, match="security question"):
        await resume(FakeForumSession(forum), account, store)


async def test_resume_offline_says_offline_rather_than_asking_for_a_log_in(forum, store) -> None:
    account = await signed_in(forum, store, remember=True)
    forum.reachable = False

    with pytest.raises(NetworkError):
        await resume(FakeForumSession(forum), account, store)


async def test_an_expired_session_is_renewed_once_and_the_reply_goes_through(forum, store) -> None:
    account = await signed_in(forum, store, remember=True)
    session = FakeForumSession(forum)
    await resume(session, account, store)
    forum.expire_sessions()

    result = await with_reauth(session, account, store, lambda: session.reply("42", "hello"))

    assert result == ReplyResult("42", "1001")
    saved = await store.get_session(SITE, "alice")
    assert saved is not None and saved["ab12_auth"] in forum.live_tokens


@pytest.mark.parametrize(
    ("remember", "logged_in"), [(False, True), (True, False)], ids=["no saved password", "a guest"]
)
async def test_an_expired_session_goes_to_the_user_without_a_password_or_for_a_guest(
    forum, store, remember: bool, logged_in: bool
) -> None:
    account = await signed_in(forum, store, remember=remember)
    session = FakeForumSession(forum)
    if logged_in:  # logged in during this run (nothing was kept to resume from)
        await session.login(LoginRequest("alice", PASSWORD))
    forum.expire_sessions()
    logins_before = forum.logins

    with pytest.raises(SessionExpiredError):
        await with_reauth(session, account, store, lambda: session.reply("42", "hello"))
    assert forum.logins == logins_before, "nobody is logged in behind their back"


async def test_reauth_happens_only_once_when_the_retry_fails_too(forum, store) -> None:
    account = await signed_in(forum, store, remember=True)
    session = FakeForumSession(forum)
    await resume(session, account, store)
    calls = 0

    async def always_expired() -> None:
        nonlocal calls
        calls += 1
        raise SessionExpiredError()

    with pytest.raises(SessionExpiredError):
        await with_reauth(session, account, store, always_expired)
    assert calls == 2


async def test_sign_out_ends_the_session_and_forgets_what_was_asked(forum, store) -> None:
    account = await signed_in(forum, store, remember=True)
    session = FakeForumSession(forum)
    await resume(session, account, store)

    await sign_out(session, account, store, AccountBook.load(), forget_password=False)
    assert forum.live_tokens == set()
    assert await store.get_session(SITE, "alice") is None
    assert await store.get_password(SITE, "alice") == PASSWORD

    await sign_out(session, account, store, AccountBook.load(), forget_password=True)
    assert await store.get_password(SITE, "alice") is None
    kept = AccountBook.load().last()
    assert kept is not None and kept.username == "alice" and not kept.remember_password


async def test_sign_out_offline_still_forgets_the_session(forum, store) -> None:
    account = await signed_in(forum, store, remember=True)
    forum.reachable = False

    await sign_out(FakeForumSession(forum), account, store, AccountBook.load(), forget_password=True)
    assert await store.get_session(SITE, "alice") is None
    assert await store.get_password(SITE, "alice") is None


async def test_forgetting_the_password_clears_the_remembered_mark_even_from_a_stale_account(
    forum, store
) -> None:
    account = await signed_in(forum, store, remember=True)
    stale = Account(account.site_url, account.username)  # what an app holding an old copy passes

    await sign_out(FakeForumSession(forum), stale, store, AccountBook.load(), forget_password=True)

    listed = AccountBook.load().get(SITE, "alice")
    assert listed is not None and not listed.remember_password
