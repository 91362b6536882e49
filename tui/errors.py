"""Typed errors every engine raises and every screen can explain in plain words.

Each error keeps the server's own message key (``server_key``) so a user or a bug report
can name exactly what the forum said, while ``str(error)`` is a sentence for people.
"""

from __future__ import annotations


class ForumError(Exception):
    """Base of everything a forum operation can fail with."""

    default_message = "The forum refused the request."

    def __init__(self, message: str | None = None, *, server_key: str = "") -> None:
        super().__init__(message or self.default_message)
        self.server_key = server_key

    @property
    def message(self) -> str:
        return str(self.args[0])


class NetworkError(ForumError):
    default_message = "Could not reach the forum. Check the address and your connection."


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
    default_message = "You are posting too fast. Wait a little and send again."

    def __init__(
        self, message: str | None = None, *, server_key: str = "", seconds: int | None = None
    ) -> None:
        if message is None and seconds:
            message = f"You are posting too fast. Wait {seconds} seconds and send again."
        super().__init__(message, server_key=server_key)
        self.seconds = seconds


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
        if message is None and attempts_left is not None:
            message = f"Wrong username or password. {attempts_left} attempts left."
        super().__init__(message, server_key=server_key)
        self.attempts_left = attempts_left


class TooManyLoginsError(ForumError):
    default_message = "Too many failed log-ins from here. Wait about 15 minutes and try again."

    def __init__(
        self, message: str | None = None, *, server_key: str = "", minutes: int | None = None
    ) -> None:
        if message is None and minutes:
            message = f"Too many failed log-ins from here. Wait {minutes} minutes and try again."
        super().__init__(message, server_key=server_key)
        self.minutes = minutes


class AlreadyDoneError(ForumError):
    """Voting twice, favouriting twice: harmless, but the user should know."""

    default_message = "Already done."


class SessionExpiredError(LoginRequiredError):
    """The stored session was rejected; a fresh log-in may fix it."""

    default_message = "Your session has expired. Log in again."
