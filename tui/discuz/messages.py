"""Server message keys → typed errors.

Discuz! reports the outcome of an action as ``Message.messageval``: a language key such as
``post_reply_succeed`` or ``post_flood_ctrl``. A ``//1`` suffix marks "log in first".
``Message.messagestr`` is usually just ``mobile:<key>``, so the sentence shown to people
comes from the error class unless the server sent real words. Failures that arrive as a
top-level ``{"error": key}`` (a missing module, the plugin switched off) map here too.
"""

from __future__ import annotations

import re

from tui import errors
from tui.discuz.parse import text as plain_text

_LOGIN_SUFFIX = "//1"

_ERRORS: dict[str, type[errors.ForumError]] = {
    "login_invalid": errors.WrongPasswordError,
    "profile_passwd_illegal": errors.WrongPasswordError,
    "login_strike": errors.TooManyLoginsError,
    "login_question_empty": errors.SecurityQuestionRequiredError,
    "login_question_invalid": errors.SecurityQuestionWrongError,
    "submit_seccode_invalid": errors.CaptchaWrongError,
    "seccode_invalid": errors.CaptchaWrongError,
    "submit_secqaa_invalid": errors.CaptchaWrongError,
    "post_flood_ctrl": errors.FloodControlError,
    "message_can_not_send_2": errors.FloodControlError,
    "message_can_not_send_onlyfriend": errors.PermissionDeniedError,
    "message_can_not_send_9": errors.NotFoundError,
    "post_message_tooshort": errors.MessageTooShortError,
    "post_message_toolong": errors.MessageTooLongError,
    "post_sm_isnull": errors.SubjectRequiredError,
    "post_subject_toolong": errors.MessageTooLongError,
    "post_thread_closed": errors.ThreadClosedError,
    "thread_nonexistence": errors.NotFoundError,
    "forum_nonexistence": errors.NotFoundError,
    "post_nonexistence": errors.NotFoundError,
    "space_does_not_exist": errors.NotFoundError,
    "user_nonexistence": errors.NotFoundError,
    "to_login": errors.LoginRequiredError,
    "favorite_repeat": errors.AlreadyDoneError,
    "favorite_exists": errors.AlreadyDoneError,
    "thread_poll_voted": errors.AlreadyDoneError,
    "module_not_exists": errors.ApiDisabledError,
    "plugin_not_exists": errors.ApiDisabledError,
    "mobile_is_closed": errors.ApiDisabledError,
    "request_tainting": errors.SessionExpiredError,
}

# Keys whose default sentence would mislead: say what actually happened.
_SENTENCES = {
    "profile_passwd_illegal": "Enter both a username and a password.",
    "message_can_not_send_2": "You are sending messages too fast. Wait a little and send again.",
    "message_can_not_send_9": "There is no user by that name.",
    "module_not_exists": "This forum's mobile API does not offer that feature.",
    "request_tainting": "The forum rejected the form's security token. Log in again.",
    "friend_status_off": "This forum has the friends feature switched off.",
    "thread_poll_voted": "You have already voted in this poll.",
    "favorite_repeat": "Already in your favourites.",
    "submit_secqaa_invalid": "The answer to the verification question was wrong. Try the new question.",
}

_SUCCESS = re.compile(r"(_succeed|_success|_succeeded)$|^do_success$")
_NUMBER = re.compile(r"(\d+)")


def bare_key(messageval: str) -> str:
    """The language key without the ``//1`` log-in marker."""
    return messageval.split("//", 1)[0].strip()


def is_success(messageval: str) -> bool:
    return bool(_SUCCESS.search(bare_key(messageval)))


def _server_sentence(messagestr: str) -> str | None:
    """The server's own words, when it sent words rather than ``mobile:<key>``."""
    text = plain_text(messagestr)
    if not text or re.fullmatch(r"[\w:./-]+", text):
        return None
    return text


def error_for(messageval: str, messagestr: str = "") -> errors.ForumError:
    """The typed error for a failure key (callers check ``is_success`` first)."""
    key = bare_key(messageval)
    sentence = _SENTENCES.get(key) or _server_sentence(messagestr)
    kind = _ERRORS.get(key)
    if kind is None:
        if messageval.endswith(_LOGIN_SUFFIX) or key.endswith("_login_nopermission"):
            kind = errors.LoginRequiredError
        elif "nopermission" in key or "privilege" in key or "noaccess" in key or key.endswith("_off"):
            kind = errors.PermissionDeniedError
        elif key.endswith("_nonexistence") or key.endswith("_not_exist"):
            kind = errors.NotFoundError
        else:
            kind = errors.ForumError
            sentence = sentence or f"The forum refused the request ({key})."
    if kind is errors.WrongPasswordError and sentence and (left := _NUMBER.search(sentence)):
        return errors.WrongPasswordError(server_key=messageval, attempts_left=int(left.group(1)))
    if kind is errors.FloodControlError:
        seconds = _NUMBER.search(messagestr)
        return errors.FloodControlError(
            sentence,
            server_key=messageval,
            seconds=int(seconds.group(1)) if seconds else None,
        )
    return kind(sentence, server_key=messageval)
