"""Each error owns its whole sentence: the reason, then what to do, built in one place."""

from __future__ import annotations

from tui import errors


def test_flood_control_names_the_seconds_when_the_forum_gave_them() -> None:
    assert (
        str(errors.FloodControlError(seconds=15))
        == "You are posting too fast. Wait 15 seconds and send again."
    )
    worded = errors.FloodControlError("您两次发表间隔少于 15 秒", seconds=15)
    assert str(worded) == "您两次发表间隔少于 15 秒"
    assert str(errors.FloodControlError("Posting too fast.", seconds=20)) == (
        "Posting too fast. Wait 20 seconds and send again."
    )
    assert str(errors.FloodControlError()) == "You are posting too fast. Wait a little and send again."


def test_log_in_failures_say_attempts_left_and_the_wait() -> None:
    assert str(errors.WrongPasswordError(attempts_left=2)) == "Wrong username or password. 2 attempts left."
    assert str(errors.WrongPasswordError(attempts_left=1)).endswith("1 attempt left.")
    assert str(errors.WrongPasswordError()) == "Wrong username or password."
    assert str(errors.TooManyLoginsError(minutes=20)).endswith("Wait 20 minutes and try again.")
    assert str(errors.TooManyLoginsError()).endswith("Wait about 15 minutes and try again.")


def test_busy_and_rate_limited_name_the_status_and_the_wait() -> None:
    busy = errors.ServerBusyError(status=503, retry_after=30)
    assert str(busy) == "The forum is busy (HTTP 503). Wait 30 seconds and try again."
    limited = errors.ServerBusyError(status=429, retry_after=None)
    assert str(limited) == "The forum is limiting requests (HTTP 429). Wait a little and try again."
    assert str(errors.ServerError(status=500)) == "The forum had a server error (HTTP 500). Try again later."


def test_answer_too_large_names_its_size() -> None:
    assert (
        str(errors.AnswerTooLargeError(size_mb="50")) == "The forum sent an answer too large to read (50 MB)."
    )


def test_every_error_is_a_forum_error_with_a_message() -> None:
    for kind in (
        errors.ForumTimeoutError,
        errors.ConnectionDroppedError,
        errors.BrokenAnswerError,
        errors.RedirectError,
        errors.InsecureRedirectError,
    ):
        error = kind()
        assert isinstance(error, errors.ForumError) and str(error) == error.message
        assert str(error).endswith(".")
