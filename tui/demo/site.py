"""The demo forum's behaviour behind HTTP: sessions, cookies, the API envelope and dispatch.

``DemoSite.handle`` turns a ``Request`` into a ``Response``; the HTTP server in ``server.py``
only moves bytes. Sessions are Discuz-style: a random ``saltkey`` cookie per browser, an
``auth`` cookie signed with the site secret, the salt key and the member's password hash, and a
``formhash`` derived from both that every POST must repeat.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import secrets
import sqlite3
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote_plus, urlencode

from tui.demo.charsets import in_site_charset
from tui.demo.exchange import Request, Response, cookie
from tui.demo.store import Store, secret_matches

COOKIE_PREFIX = "DEMO_2132_"
CAPTCHA_ANSWER = "3827"
SECQAA_QUESTION = "一加一等于几？(One plus one: answer with a digit.)"
SECQAA_ANSWER = "2"
LOCKOUT_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60
GUEST_GROUP = 7
_SALT_ALPHABET = string.ascii_letters + string.digits


_TAINTED = ('"', ">", "<", "'", "(", ")", "CONTENT-TRANSFER-ENCODING")


def tainted(request: Request, raw_target: str) -> bool:
    """Discuz's request filter: a GET URL, or a POST without formhash, holding quotes, <> or ()."""
    if request.method == "GET":
        text = raw_target
    elif not request.arg("formhash"):
        pairs = [(key, value) for key, values in request.form.items() for value in values]
        text = raw_target + urlencode(pairs)
    else:
        return False
    text = unquote_plus(unquote_plus(text)).upper()
    return any(mark in text for mark in _TAINTED)


class Rejected(Exception):
    """A request the real server refuses with its 503 "Discuz! System Error" page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def system_error_page(reason: str, now: int) -> Response:
    """Discuz's System Error page (HTTP 503), as sent for tainted requests and PHP failures."""
    moment = time.strftime("%Y-%m-%d %H:%M:%S +0000", time.gmtime(now))
    body = (
        '<!DOCTYPE html>\n<html>\n<head>\n\t<title>System Error</title>\n\t<meta charset="utf-8" />\n'
        '</head>\n<body>\n<div id="container">\n<h1>Discuz! System Error</h1>'
        f'<p>Time: {moment}</p><div class="info"><li>{html.escape(reason)}</li></div>\n'
        "</div>\n</body>\n</html>\n"
    )
    response = Response.html(body, 503)
    response.headers.append(("Retry-After", "3600"))
    return response


@dataclass(slots=True)
class Visitor:
    """Who sent a request: the browser session (saltkey) and the member, if logged in."""

    saltkey: str
    fresh_saltkey: bool
    member: sqlite3.Row | None
    formhash: str
    auth: str | None

    @property
    def uid(self) -> int:
        return int(self.member["uid"]) if self.member else 0

    @property
    def username(self) -> str:
        return str(self.member["username"]) if self.member else ""

    @property
    def groupid(self) -> int:
        return int(self.member["groupid"]) if self.member else GUEST_GROUP


@dataclass(slots=True)
class SiteSettings:
    """The admin switches tests flip at run time; shared by reference with ``DemoForum``."""

    quirks: bool = True  # reproduce the real server's crashes and omissions
    flood_seconds: int = 0  # minimum seconds between two posts by one member
    min_message_length: int = 10
    login_captcha: bool = False
    post_captcha: bool = False
    guide: bool = True  # the guide (导读) module behind hotthread and mythread
    charset: str = "utf-8"  # "gbk" or "big5": an older Chinese install (see ``charsets``)
    secqaa: bool = False  # a verification question before every post and message
    guests_forbidden: bool = False  # guests may see nothing: every module asks them to log in
    mobile_api: str = "on"  # "on", "missing" (404) or "disabled" (plugin off): see mobile_off.py
    subforums_on_index: bool = False  # ``subforumsindex``: forum.php names each board's sub-boards
    edit_minutes: int = 0  # the member group's ``edittimelimit``: minutes an author may edit (0: always)


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """What a log-in attempt came to: the member on success, else the server's message key."""

    member: sqlite3.Row | None
    messageval: str
    attempts_left: int


Route = Callable[["DemoSite", Request, Visitor], Response]
"""Answers one accepted request: the mobile API or a web page (``router.route``)."""


class DemoSite:
    """Forum state plus the settings; ``handle`` answers one request through ``route``.

    The route is handed in rather than imported, so the handlers can use the site without the
    site depending on them.
    """

    def __init__(self, store: Store, settings: SiteSettings, route: Route) -> None:
        self.store = store
        self.settings = settings
        self.route = route
        self.clock_offset = 0
        self.secret = store.setting("secret")
        self.sechashes: set[str] = set()
        self.last_error = ""  # the last unexpected failure, for debugging the demo itself
        self._lock = threading.Lock()

    # -- time -------------------------------------------------------------------------------
    def now(self) -> int:
        return int(time.time()) + self.clock_offset

    def advance_clock(self, seconds: int) -> None:
        """Pretend time passed (flood control, lock-outs) without sleeping."""
        self.clock_offset += seconds

    # -- sessions ---------------------------------------------------------------------------
    def _sign(self, saltkey: str, uid: int, password_hash: str) -> str:
        message = f"{saltkey}|{uid}|{password_hash}".encode()
        return hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()[:32]

    def auth_token(self, saltkey: str, member: sqlite3.Row) -> str:
        raw = f"{member['uid']}\t{self._sign(saltkey, member['uid'], member['password_hash'])}"
        return base64.b64encode(raw.encode()).decode()

    def formhash(self, saltkey: str, uid: int) -> str:
        return hashlib.md5(f"{self.secret}|{saltkey}|{uid}".encode()).hexdigest()[8:16]

    def upload_hash(self, uid: int) -> str:
        """The per-member hash an attachment upload must carry (checkpost's ``uploadhash``)."""
        return hashlib.md5(f"{self.secret[8:]}{uid}".encode()).hexdigest()

    def visitor(self, request: Request) -> Visitor:
        saltkey = request.cookies.get(COOKIE_PREFIX + "saltkey", "")
        fresh = not (len(saltkey) == 8 and saltkey.isalnum())
        if fresh:
            saltkey = "".join(secrets.choice(_SALT_ALPHABET) for _ in range(8))
        member = None
        token = request.cookies.get(COOKIE_PREFIX + "auth", "")
        if token and not fresh:
            member = self._member_from_token(saltkey, token)
        return self.make_visitor(saltkey, fresh, member)

    def make_visitor(self, saltkey: str, fresh: bool, member: sqlite3.Row | None) -> Visitor:
        uid = int(member["uid"]) if member else 0
        auth = self.auth_token(saltkey, member) if member else None
        return Visitor(saltkey, fresh, member, self.formhash(saltkey, uid), auth)

    def _member_from_token(self, saltkey: str, token: str) -> sqlite3.Row | None:
        try:
            uid_text, signature = base64.b64decode(token, validate=True).decode().split("\t")
            uid = int(uid_text)
        except ValueError:
            return None
        member = self.store.one("SELECT * FROM members WHERE uid = ?", uid)
        if member and hmac.compare_digest(signature, self._sign(saltkey, uid, member["password_hash"])):
            return member
        return None

    def session_cookies(self, visitor: Visitor, action: str) -> list[str]:
        """The cookies every answer carries: saltkey for a new browser, then sid and lastact."""
        now = self.now()
        cookies = []
        if visitor.fresh_saltkey:
            cookies += [
                cookie(COOKIE_PREFIX + "saltkey", visitor.saltkey, now, 2592000, http_only=True),
                cookie(COOKIE_PREFIX + "lastvisit", str(now - 3600), now, 2592000),
            ]
        sid = hashlib.md5(visitor.saltkey.encode()).hexdigest()[:6]
        cookies += [
            cookie(COOKIE_PREFIX + "sid", sid, now, 86400),
            cookie(COOKIE_PREFIX + "lastact", quote(f"{now}\tindex.php\t{action}"), now, 86400),
        ]
        return cookies

    def login_cookies(self, visitor: Visitor) -> list[str]:
        now = self.now()
        return [
            cookie(COOKIE_PREFIX + "ulastactivity", secrets.token_urlsafe(18), now, 31536000),
            cookie(COOKIE_PREFIX + "auth", quote(visitor.auth or "", safe=""), now, 2592000, http_only=True),
            cookie(COOKIE_PREFIX + "lastcheckfeed", quote(f"{visitor.uid}|{now}"), now, 31536000),
            cookie(COOKIE_PREFIX + "lip", quote(f"127.0.0.1,{now}"), now),
        ]

    def logout_cookies(self) -> list[str]:
        now = self.now()
        names = ("saltkey", "lastvisit", "sid", "lastact", "ulastactivity", "auth", "lastcheckfeed", "lip")
        return [cookie(COOKIE_PREFIX + name, "", now, -1) for name in names]

    # -- login lock-out ---------------------------------------------------------------------
    def failures(self, ip: str) -> int:
        """Failed log-ins counted for this IP within the lock-out window."""
        row = self.store.one("SELECT count, lastupdate FROM failedlogins WHERE ip = ?", ip)
        if row is None or self.now() - row["lastupdate"] > LOCKOUT_SECONDS:
            return 0
        return int(row["count"])

    def record_failure(self, ip: str) -> int:
        count = self.failures(ip) + 1
        self.store.run(
            "INSERT INTO failedlogins(ip, count, lastupdate) VALUES (?, ?, ?)"
            " ON CONFLICT(ip) DO UPDATE SET count = excluded.count, lastupdate = excluded.lastupdate",
            ip,
            count,
            self.now(),
        )
        return count

    def clear_failures(self, ip: str) -> None:
        self.store.run("DELETE FROM failedlogins WHERE ip = ?", ip)

    def attempt_login(self, request: Request, visitor: Visitor) -> LoginOutcome:
        """Check a log-in form the way Discuz does, counting failures against the IP."""
        if self.failures(request.ip) >= LOCKOUT_FAILURES:
            return LoginOutcome(None, "login_strike", 0)
        if problem := self.challenge_problem(request, "login"):
            return LoginOutcome(None, problem, LOCKOUT_FAILURES - self.failures(request.ip))
        username, password = request.arg("username").strip(), request.arg("password")
        if not username or not password:
            return LoginOutcome(None, "profile_passwd_illegal", LOCKOUT_FAILURES - self.failures(request.ip))
        member = self.store.one("SELECT * FROM members WHERE username = ?", username)
        if member is None and request.arg("loginfield") in ("auto", "email"):
            member = self.store.one("SELECT * FROM members WHERE email = ?", username)
        if member is None or not secret_matches(password, member["salt"], member["password_hash"]):
            count = self.record_failure(request.ip)
            return LoginOutcome(None, "login_invalid", max(LOCKOUT_FAILURES - count, 0))
        if member["question_id"] and not (
            request.int_arg("questionid") == member["question_id"]
            and secret_matches(request.arg("answer"), member["salt"], member["answer_hash"])
        ):
            count = self.record_failure(request.ip)
            return LoginOutcome(None, "login_question_empty", max(LOCKOUT_FAILURES - count, 0))
        self.clear_failures(request.ip)
        return LoginOutcome(member, "login_succeed", LOCKOUT_FAILURES)

    # -- captcha ----------------------------------------------------------------------------
    def new_sechash(self, *, issued: bool = True) -> str:
        """A fresh challenge slot; ``issued=False`` for a slot whose challenge is only made when
        the client asks for it (a web form's question: ``issue_sechash`` then)."""
        sechash = "".join(secrets.choice(_SALT_ALPHABET) for _ in range(8))
        if issued:
            self.issue_sechash(sechash)
        return sechash

    def issue_sechash(self, sechash: str) -> None:
        """An answer for ``sechash`` will be checked from now on."""
        with self._lock:
            self.sechashes.add(sechash)

    def asks(self, purpose: str) -> tuple[bool, bool]:
        """Whether a ``purpose`` form ("login", "post", "register") needs (a captcha, a question)."""
        settings = self.settings
        picture = {"login": settings.login_captcha, "post": settings.post_captcha, "register": True}
        return picture.get(purpose, False), settings.secqaa and purpose == "post"

    def challenge_problem(self, request: Request, purpose: str) -> str:
        """Why a ``purpose`` form's captcha or verification question fails, or "" when they pass.

        The answers must match a challenge this server issued; a passed challenge is used up.
        """
        picture, question = self.asks(purpose)
        sechash = request.arg("sechash") or request.arg("seccodehash")
        question_hash = request.arg("secqaahash") or sechash
        with self._lock:
            if picture and not (
                sechash in self.sechashes and request.arg("seccodeverify").strip().upper() == CAPTCHA_ANSWER
            ):
                return "submit_seccode_invalid"
            if question and not (
                question_hash in self.sechashes and request.arg("secanswer").strip() == SECQAA_ANSWER
            ):
                return "submit_secqaa_invalid"
            self.sechashes.difference_update({sechash, question_hash} if picture or question else set())
        return ""

    @staticmethod
    def _bad_formhash(request: Request, visitor: Visitor) -> bool:
        """A POST must repeat the session's formhash; API log-ins and web forms may leave it out."""
        if request.method != "POST" or request.arg("formhash") == visitor.formhash:
            return False
        api_needs_hash = request.path.endswith("index.php") and request.query.get("module") not in (
            "login",
            "forumupload",
        )
        return bool(request.arg("formhash")) or api_needs_hash

    # -- dispatch ---------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        """Answer one request; anything unexpected becomes the System Error page, never a crash."""
        with self.store.lock:
            visitor = self.visitor(request)
            try:
                if tainted(request, request.target) or self._bad_formhash(request, visitor):
                    raise Rejected("您当前的访问请求当中含有非法字符，已经被系统拒绝")
                response = self.route(self, request, visitor)
            except Rejected as rejection:
                response = system_error_page(rejection.reason, self.now())
            except Exception as error:  # a bug or a malformed request: answer like PHP's fatal error
                self.last_error = f"{type(error).__name__}: {error}"
                response = system_error_page(self.last_error, self.now())
        response = in_site_charset(response, self.settings.charset)
        response.cookies[:0] = self.session_cookies(visitor, request.query.get("module", request.arg("mod")))
        return response
