"""Typed errors every engine raises and every screen can explain in plain words.

Each error keeps the server's own message key (``server_key``) so a user or a bug report
can name exactly what the forum said, while ``str(error)`` is the whole sentence for people:
the reason (the forum's own words when it sent some, else the class's) followed by what to
do about it ("Wait 30 seconds and send again.", "2 attempts left."), built here and nowhere
else. Engines raise nothing but these: transport failures of every kind are turned into
them where the request is made.
"""

from __future__ import annotations


def _wait(amount: float | None, unit: str, then: str) -> str:
    """ "Wait 30 seconds and try again." — the one place a waiting time is put into words."""
    if not amount:
        return f"Wait a little and {then}."
    count = max(1, round(amount))
    return f"Wait {count} {unit if count == 1 else unit + 's'} and {then}."


class ForumError(Exception):
    """Base of everything a forum operation can fail with."""

    default_message = "The forum refused the request."

    def __init__(self, message: str | None = None, *, server_key: str = "") -> None:
        super().__init__(message or self.default_message)
        self.server_key = server_key

    @property
    def reason(self) -> str:
        """What went wrong, without advice."""
        return str(self.args[0])

    def advice(self) -> str:
        """What the user can do about it, or ""; added to the reason unless already said."""
        return ""

    def __str__(self) -> str:
        advice = self.advice()
        reason = self.reason
        if not advice or any(word in reason for word in self._advice_markers()):
            return reason
        return f"{reason} {advice}"

    def _advice_markers(self) -> tuple[str, ...]:
        """Words that show the reason already carries the advice (e.g. the server said the number)."""
        return ()

    @property
    def message(self) -> str:
        return str(self)


class NetworkError(ForumError):
    default_message = "Could not reach the forum. Check the address and your connection."


class ForumTimeoutError(NetworkError):
    """The answer did not arrive within the request's total deadline."""

    default_message = "The forum took too long to answer."

    def __init__(
        self, message: str | None = None, *, server_key: str = "timeout", seconds: float = 0
    ) -> None:
        if message is None and seconds:
            message = f"The forum took too long to answer (no full answer within {seconds:g} seconds)."
        super().__init__(message, server_key=server_key)
        self.seconds = seconds

    def advice(self) -> str:
        return "Try again, or check your connection."


class ConnectionDroppedError(NetworkError):
    default_message = "The connection to the forum dropped in the middle of its answer."

    def advice(self) -> str:
        return "Try again."


class NotSavedError(NetworkError):
    """Offline, and this page was never read (or no longer kept) on this computer."""

    default_message = "Offline: this page is not saved for offline reading."

    def advice(self) -> str:
        return "Open it again when the forum can be reached."


class ServerError(ForumError):
    """The forum's server failed (HTTP 5xx): nothing the user did wrong."""

    def __init__(self, message: str | None = None, *, server_key: str = "", status: int = 500) -> None:
        super().__init__(message or f"The forum had a server error (HTTP {status}).", server_key=server_key)
        self.status = status

    def advice(self) -> str:
        return "Try again later."


class ServerBusyError(ServerError):
    """HTTP 503 or 429: the forum asks us to come back later, maybe saying when (Retry-After)."""

    def __init__(
        self,
        message: str | None = None,
        *,
        server_key: str = "",
        status: int = 503,
        retry_after: float | None = None,
    ) -> None:
        if message is None:
            message = (
                "The forum is limiting requests (HTTP 429)."
                if status == 429
                else f"The forum is busy (HTTP {status})."
            )
        super().__init__(message, server_key=server_key, status=status)
        self.retry_after = retry_after

    def advice(self) -> str:
        return _wait(self.retry_after, "second", "try again")


class BrokenAnswerError(ForumError):
    """The answer arrived but cannot be read: cut off, badly compressed, badly encoded."""

    default_message = "The forum's answer was broken (cut off or malformed)."

    def advice(self) -> str:
        return "Try again; if it keeps happening, the forum itself is at fault."


class AnswerTooLargeError(BrokenAnswerError):
    def __init__(
        self, message: str | None = None, *, server_key: str = "too_large", size_mb: str = ""
    ) -> None:
        super().__init__(
            message or f"The forum sent an answer too large to read ({size_mb} MB).", server_key=server_key
        )

    def advice(self) -> str:
        return ""


class RedirectError(ForumError):
    """A redirect that must not be followed: a loop, or from https to plain http."""

    default_message = "The forum keeps redirecting to itself (a redirect loop), so nothing could be read."


class InsecureRedirectError(RedirectError):
    default_message = (
        "The forum redirected from https to plain http; that was refused so nothing is sent unencrypted."
    )


class NotAForumError(ForumError):
    """The server answered with a web page where data was expected."""

    default_message = "The site answered with a web page instead of forum data."


class ApiDisabledError(ForumError):
    default_message = "This forum has its mobile API switched off, so it cannot be used from here."


class LoginRequiredError(ForumError):
    default_message = "You need to log in to do this."


class PermissionDeniedError(ForumError):
    default_message = "You do not have permission to do this."


class NotFoundError(ForumError):
    default_message = "That does not exist (any more)."


class ThreadClosedError(ForumError):
    default_message = "This thread is closed: no new replies."


class FloodControlError(ForumError):
    default_message = "You are posting too fast."

    def __init__(
        self, message: str | None = None, *, server_key: str = "", seconds: int | None = None
    ) -> None:
        super().__init__(message, server_key=server_key)
        self.seconds = seconds

    def advice(self) -> str:
        return _wait(self.seconds, "second", "send again")

    def _advice_markers(self) -> tuple[str, ...]:
        return (str(self.seconds),) if self.seconds else ("Wait",)


class MessageTooShortError(ForumError):
    default_message = "The message is too short for this forum."


class MessageTooLongError(ForumError):
    default_message = "The message is too long for this forum."


class SubjectRequiredError(ForumError):
    default_message = "A new thread needs a subject."


class CaptchaRequiredError(ForumError):
    default_message = "The forum wants a captcha answer."


class CaptchaWrongError(CaptchaRequiredError):
    default_message = "The captcha answer was wrong. Try the new image."


class SecurityQuestionRequiredError(ForumError):
    default_message = "This account has a security question: pick it and give the answer."


class SecurityQuestionWrongError(SecurityQuestionRequiredError):
    default_message = "The security question or its answer was wrong."


class WrongPasswordError(ForumError):
    default_message = "Wrong username or password."

    def __init__(
        self, message: str | None = None, *, server_key: str = "", attempts_left: int | None = None
    ) -> None:
        super().__init__(message, server_key=server_key)
        self.attempts_left = attempts_left

    def advice(self) -> str:
        if self.attempts_left is None:
            return ""
        return f"{self.attempts_left} attempt{'' if self.attempts_left == 1 else 's'} left."

    def _advice_markers(self) -> tuple[str, ...]:
        return (str(self.attempts_left),)


class TooManyLoginsError(ForumError):
    default_message = "Too many failed log-ins from here."

    def __init__(
        self, message: str | None = None, *, server_key: str = "", minutes: int | None = None
    ) -> None:
        super().__init__(message, server_key=server_key)
        self.minutes = minutes

    def advice(self) -> str:
        if not self.minutes:
            return "Wait about 15 minutes and try again."
        return _wait(self.minutes, "minute", "try again")

    def _advice_markers(self) -> tuple[str, ...]:
        return (str(self.minutes),) if self.minutes else ("Wait",)


class AlreadyDoneError(ForumError):
    """Voting twice, favouriting twice: harmless, but the user should know."""

    default_message = "Already done."


class SessionExpiredError(LoginRequiredError):
    """The stored session was rejected; a fresh log-in may fix it."""

    default_message = "Your session has expired. Log in again."
