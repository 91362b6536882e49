"""Staying logged in: resume a saved session, sign in and out, re-authenticate once on expiry.

Engine-neutral: it talks only to ``tui.engine.ForumSession``, keeps secrets with
``tui.credentials.CredentialStore`` and plain facts with ``tui.accounts.AccountBook``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TypeVar

from tui.accounts import Account, AccountBook
from tui.credentials import CredentialStore
from tui.engine import ForumSession
from tui.errors import (
    CaptchaRequiredError,
    ForumError,
    LoginRequiredError,
    SecurityQuestionRequiredError,
    WrongPasswordError,
)
from tui.model import CurrentUser, LoginRequest, SiteInfo

T = TypeVar("T")

# Log-in failures that only the user can fix at the log-in screen.
_NEEDS_THE_USER = (WrongPasswordError, CaptchaRequiredError, SecurityQuestionRequiredError)


async def _session_user(session: ForumSession) -> CurrentUser | None:
    """Who the restored cookies make us, or None when the site treats us as a guest."""
    try:
        user = await session.refresh_user()
    except LoginRequiredError:  # includes SessionExpiredError
        return None
    return None if user.is_guest else user


async def _log_in_with_saved_password(
    session: ForumSession, account: Account, store: CredentialStore
) -> CurrentUser | None:
    """Log in with the remembered password and keep the fresh session; None without a password.

    Failures only the user can fix (wrong password, captcha, security question) become
    ``LoginRequiredError`` carrying the site's sentence, so the app shows the log-in screen.
    """
    password = await store.get_password(account.site_url, account.username)
    if password is None:
        return None
    try:
        user = await session.login(LoginRequest(account.username, password))
    except _NEEDS_THE_USER as error:
        raise LoginRequiredError(
            f"Could not log in to {account.site_url} as {account.username} with the saved password: "
            f"{error.message}",
            server_key=error.server_key,
        ) from error
    await store.save_session(account.site_url, account.username, session.export_session())
    return user


async def resume(session: ForumSession, account: Account, store: CredentialStore) -> CurrentUser:
    """Pick up where the user left off on this account.

    The saved session is tried first (no password sent over the wire); only when the site
    rejects it is the remembered password used. Raises ``LoginRequiredError`` when neither
    works; network trouble and other forum errors pass through unchanged.
    """
    cookies = await store.get_session(account.site_url, account.username)
    if cookies:
        session.restore_session(cookies)
        user = await _session_user(session)
        if user is not None:
            return user
    user = await _log_in_with_saved_password(session, account, store)
    if user is None:
        raise LoginRequiredError(f"Log in to {account.site_url} as {account.username} to go on.")
    return user


async def sign_in(
    session: ForumSession,
    request: LoginRequest,
    *,
    remember: bool,
    store: CredentialStore,
    book: AccountBook,
    site: SiteInfo | None = None,
) -> CurrentUser:
    """Log in and note the account as the one used last. With ``remember`` the session and
    the password go to the keyring; without it nothing about the account stays there (what
    an earlier log-in kept is removed) and the session ends with the app. The account book
    records whether the password was really kept: not when the keyring is unusable.
    ``site`` (from ``probe``) adds the charset to the account. Log-in errors pass through for
    the log-in screen.
    """
    user = await session.login(request)
    username = user.username or request.username
    site_url = session.site_url
    if remember:
        await store.save_session(site_url, username, session.export_session())
        await store.save_password(site_url, username, request.password)
    else:
        await store.forget(site_url, username, password=True)
    kept = remember and store.status is not None and store.status.usable
    account = Account(
        site_url,
        username,
        charset=site.charset if site else "",
        remember_password=kept,
        question_id=request.question_id,
    )
    await asyncio.to_thread(book.remember, account)
    return user


async def sign_out(
    session: ForumSession,
    account: Account,
    store: CredentialStore,
    book: AccountBook,
    *,
    forget_password: bool,
) -> None:
    """Log out on the site (best effort: being offline must not keep a session saved),
    then delete the saved session, and the password too when ``forget_password``.
    The account stays in the book so the log-in screen can offer it again.
    """
    with contextlib.suppress(ForumError):
        await session.logout()
    await store.forget(account.site_url, account.username, password=forget_password)
    if forget_password:
        await asyncio.to_thread(book.remember, replace(account, remember_password=False))


async def with_reauth(
    session: ForumSession,
    account: Account | None,
    store: CredentialStore,
    operation: Callable[[], Awaitable[T]],
) -> T:
    """Run ``operation``; if the site says we are logged out while we believed we were
    logged in, log in again once with the remembered password and retry.

    Otherwise (a guest, no saved password, the log-in failing) the original error is
    re-raised for the app to ask the user.
    """
    if account is None:
        return await operation()
    believed_logged_in = not session.user.is_guest
    try:
        return await operation()
    except LoginRequiredError as error:
        if not believed_logged_in:
            raise
        try:
            user = await _log_in_with_saved_password(session, account, store)
        except ForumError:
            raise error from None
        if user is None:
            raise
    return await operation()
