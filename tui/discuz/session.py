"""``DiscuzSession``: the ``ForumSession`` for Discuz! X sites, over the bundled mobile API.

How the quirks of Discuz! X3.5 (all visible in the real captures) are handled:

- **Thread pages.** v4 ``viewthread`` renders messages with ``mobile_discuzcode``, which
  silently drops ``[code]`` blocks and inline ``[attachimg]`` images; v1 renders them with
  the desktop ``discuzcode`` and keeps them. Of what this client reads, v1 lacks only v4's
  ``position`` (and leaves ``[attach]N[/attach]`` in the message with its image still
  listed, which ``parse`` shows as v4 does), and its ``number`` is the floor wherever
  Discuz! numbers floors by position. So a page is one v1 request. Where v1 cannot number
  the floors (one author's posts; trade, reward and debate threads, remembered once seen;
  a hot reply numbered -1) v4 is read too: it gives the structure, and each post's message
  (and attachments v4 left out) comes from the v1 row of the same pid. A v1 answer that is
  no API answer at all leaves the page to v4 alone; a v1 read beside v4 that fails for any
  reason leaves the v4 page alone.
- **Log-in.** The mobile answer to a wrong password has no attempts count, but the web
  form's AJAX answer says "N attempts left", so log-in goes through the web form first and
  each try costs the user exactly one counted attempt. If the form is missing or its answer
  unrecognisable, the mobile API is used: there a *successful* v4 log-in answers HTTP 503
  "System Error" HTML while setting the auth cookie, so a set ``<prefix>auth`` cookie is
  what counts. ``login_strike`` (or "wait 15 minutes") → ``TooManyLoginsError``.
- **Captcha.** ``module=secure`` answers 503 when no captcha is needed; otherwise its
  ``seccode`` page names the image, which is fetched with a Referer (without one the
  server says "Access Denied").
- **Formhash.** POSTs carry the current formhash; a stale one gets the 503
  ``request_tainting`` page, so the formhash is refreshed and the POST retried once.
- **Guest crashes.** ``mythread``/``myfavthread`` answer 503 for guests: that is "log in".
- **Author cards.** ``viewthread`` names each floor's author but gives no group title or
  counts; ``module=profile&uid=N`` does. A thread page fetches its authors' profiles
  concurrently (a few at a time), waits for them at most ``AUTHOR_WAIT`` seconds and keeps
  them ``AUTHOR_TTL`` seconds. A refused, failed or odd profile leaves the card as it was.
  Guests are refused (``home_no_privilege//1``, though the answer still carries a
  ``space``): one refusal and a guest session stops asking until someone logs in.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import json
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from http.cookiejar import Cookie
from typing import TYPE_CHECKING, Any, BinaryIO, Concatenate, ParamSpec, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from tui import errors, model
from tui.discuz import files, messages, parse
from tui.discuz.api import (
    DEFAULT_DEADLINE,
    Answer,
    DiscuzApi,
    Fields,
    NoNetwork,
    read_capped,
    transport_error,
)
from tui.discuz.authors import AuthorFacts, add_author_facts, author_facts
from tui.discuz.site_memory import SiteFacts, SiteMemory, same_charset
from tui.discuz.urls import list_filters, paged, resolve, thread_filters, thread_url
from tui.discuz.wire import REDIRECT_STATUSES
from tui.engine import (
    ForumSession,
    SupportsDownloads,
    SupportsEditing,
    SupportsFavourites,
    SupportsMessages,
    SupportsMyThreads,
    SupportsNotifications,
    SupportsPolls,
    SupportsProfiles,
    SupportsRatings,
    SupportsRuntimeLimits,
    SupportsSearch,
    SupportsSmilies,
)
from tui.model import (
    Board,
    BoardIndex,
    CaptchaChallenge,
    CurrentUser,
    LoginRequest,
    SiteInfo,
    TargetKind,
    ThreadOrder,
)
from tui.times import forum_date

# Loaded when first needed, not with the engine: the web-page modules when a site or a feature
# needs them (see _web_pages), and the model's thread and member parts with their first use
# (their classes are named ``model.Post`` and so on where they are built).
if TYPE_CHECKING:
    from tui.discuz.web.session import WebPages
    from tui.model import (
        Conversation,
        Notice,
        Page,
        Post,
        PostLocation,
        PostSource,
        PrivateMessage,
        Profile,
        RateForm,
        Rating,
        ReplyResult,
        SearchQuery,
        SearchResult,
        ThreadList,
        ThreadPage,
        ThreadSummary,
    )

_WEB_LOGIN_FORM = {
    "mod": "logging",
    "action": "login",
    "infloat": "yes",
    "handlekey": "login",
    "inajax": "1",
    "ajaxtarget": "fwin_content_login",
}
_FORMHASH = re.compile(r'name="formhash"\s+value="(\w+)"')
_LOGINHASH = re.compile(r"loginhash=(\w+)")
_ATTEMPTS = re.compile(r"(\d+)\s*(?:次|times?|attempts?|more)", re.IGNORECASE)
_STRIKE = re.compile(r"(\d+)\s*(?:分钟|分鐘|minutes?)", re.IGNORECASE)
_QUESTION_WORDS = re.compile(r"安全提问|安全提問|security ques", re.IGNORECASE)
_SECCODE_BLOCK = re.compile(r"""id=["']seccode_|name=["']seccodeverify""", re.IGNORECASE)
_CAPTCHA_WORDS = re.compile(r"验证码|驗證碼|seccode|captcha|verification code", re.IGNORECASE)
_BBCODE_TAG = re.compile(
    r"\[/?(?:quote|url|img|b|i|u|s|p|color|size|font|code|hide|attach|attachimg|table|tr|td|list|align"
    r"|media|email|float|backcolor|free|indent|hr|audio|flash|qq|\*)(?:=[^\[\]]*)?\]",
    re.IGNORECASE,
)
_IMG_SRC = re.compile(r"""<img[^>]+src=["']([^"']+)["']""", re.IGNORECASE)
REMEMBERED_POSTS = 300  # about the last 30 pages read, for building quotes
REMEMBERED_THREAD_KINDS = 200  # threads last seen numbering floors by count (v1 alone cannot number them)
REMEMBER_SECONDS = "2592000"  # "stay logged in" for 30 days, like the web form's checkbox
AUTHOR_READS = 4  # profile requests in flight at once
AUTHOR_WAIT = 2.0  # seconds a thread page waits for its authors' profiles; later ones still fill the cache
AUTHOR_TTL = 600.0  # seconds an author's profile facts are reused
EXTRA_WAIT = 2.0  # seconds an optional extra (v1 bodies, smiley table) may take before it is left out
MAX_IMAGE_BYTES = 20 * 1024 * 1024  # an image bigger than this is refused, not downloaded
INDEX_REUSE_SECONDS = 2.0  # how long the index a session check read serves the board list
_ALREADY_RATED = re.compile(r"重复评分|重複評分|已经评|已經評|already rated", re.IGNORECASE)
# group_nopermission: the user's group has no rating range ("…用户组(…)无法进行此操作")
_GROUP_REFUSED = re.compile(r"无法进行此操作|無法進行此操作|not allowed to do", re.IGNORECASE)
# thread_rate_ctrl: more than the group's 24-hour rating total
_RATE_LIMIT = re.compile(r"24\s*小[时時]评分数|24\s*小[时時]評分數|24 hours", re.IGNORECASE)
_SECONDS = re.compile(r"(\d+)\s*(?:秒|seconds?)", re.IGNORECASE)
_EXPIRED_SEARCH = re.compile(r"不存在或已过期|不存在或已過期|does not exist|expired", re.IGNORECASE)
_NO_PERMISSION = re.compile(r"登录|登錄|权限|權限|log ?in|permission", re.IGNORECASE)


def _keep_newest(entries: dict[Any, Any], limit: int) -> None:
    """Drop the oldest entries of an insertion-ordered dict beyond ``limit``."""
    for stale in list(entries)[: max(0, len(entries) - limit)]:
        del entries[stale]


def _host_cookie_domain(site_url: str) -> str:
    """The domain the cookie jar files host-only cookies under."""
    host = urlsplit(site_url).hostname or ""
    return host if "." in host else host + ".local"


def _saved_cookie(text: str) -> dict[str, Any] | None:
    """A cookie's attributes as ``export_session`` wrote them, or None for anything else."""
    try:
        saved = json.loads(text)
    except ValueError:
        return None
    if not isinstance(saved, dict) or not isinstance(saved.get("value"), str):
        return None
    if not isinstance(saved.get("domain"), str) or not isinstance(saved.get("path"), str):
        return None
    return saved


def _cookie(name: str, saved: Mapping[str, Any]) -> Cookie:
    """A cookie-jar entry with exactly the saved domain, path, Secure flag and expiry."""
    domain = str(saved["domain"])
    expires = saved.get("expires")
    return Cookie(
        version=0,
        name=name,
        value=str(saved["value"]),
        port=None,
        port_specified=False,
        domain=domain,
        domain_specified=domain.startswith("."),
        domain_initial_dot=domain.startswith("."),
        path=str(saved["path"]),
        path_specified=True,
        secure=bool(saved.get("secure")),
        expires=int(expires) if isinstance(expires, (int, float)) else None,
        discard=not isinstance(expires, (int, float)),
        comment=None,
        comment_url=None,
        rest={},
    )


def _cookie_prefix(set_cookies: list[str]) -> str:
    """The site's cookie prefix (``SMHx_2132_``), read off the session cookie it sets."""
    for header in set_cookies:
        name = header.partition("=")[0].strip()
        if name.endswith("saltkey"):
            return name.removesuffix("saltkey")
    return ""


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _or_web_pages(
    method: Callable[Concatenate[DiscuzSession, _P], Awaitable[_R]],
) -> Callable[Concatenate[DiscuzSession, _P], Awaitable[_R]]:
    """Once the session reads the web pages (no mobile API), the same call goes to them."""

    @functools.wraps(method)
    async def call(self: DiscuzSession, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if self.web is not None:
            return await getattr(self.web, method.__name__)(*args, **kwargs)
        try:
            return await method(self, *args, **kwargs)
        except (errors.ApiDisabledError, errors.NotAForumError, SiteChangedError):
            if not self.probed_from_memory:
                raise
        # The remembered facts may be what is wrong (API turned off, charset changed): ask again.
        await asyncio.to_thread(self.memory.forget_facts)
        await self.probe()
        return await call(self, *args, **kwargs)

    return call


class SiteChangedError(errors.ForumError):
    """An answer contradicted the site facts remembered from an earlier visit."""

    default_message = "The forum's settings changed since the last visit; try again."


class DiscuzSession(
    ForumSession,
    SupportsSmilies,
    SupportsPolls,
    SupportsFavourites,
    SupportsMyThreads,
    SupportsProfiles,
    SupportsRatings,
    SupportsEditing,
    SupportsMessages,
    SupportsNotifications,
    SupportsSearch,
    SupportsDownloads,
    SupportsRuntimeLimits,
):
    """One guest or logged-in conversation with one Discuz! X site."""

    def __init__(
        self,
        site_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        deadline: float = DEFAULT_DEADLINE,
        author_cards: bool = True,
        offline: bool = False,
    ) -> None:
        """``deadline``: seconds one request may take in all (connect, redirects, retries, body).
        ``offline``: nothing leaves the computer; every request fails at once as a refused connection.
        ``author_cards``: read the page authors' profiles for their cards (group, counts); a
        reader that shows no cards (``forum-tui read``) is spared those requests."""
        self.site_url = resolve(site_url).site_url
        transport = NoNetwork() if offline else transport
        self.api = DiscuzApi(self.site_url, transport=transport, deadline=deadline)
        self.site: SiteInfo | None = None
        self.user = CurrentUser()
        self.cookie_prefix = ""
        self.formhash = ""  # the form token of the site's latest answer or page; every POST repeats it
        self._seen_posts: dict[str, Post] = {}
        self._counted_threads: dict[str, bool] = {}  # tids seen to number floors by count (bounded)
        self._authors: dict[str, tuple[float, AuthorFacts | None]] = {}  # uid → (when, facts)
        self._author_reads: dict[str, asyncio.Task[None]] = {}
        self._author_slots = asyncio.Semaphore(AUTHOR_READS)
        self._guest_profiles: bool | None = None  # may guests read profiles? None until one asked
        self._smilies: asyncio.Future[dict[str, str]] | None = None  # module=smiley, read once
        self._index_read: tuple[float, str, dict[str, Any]] | None = None  # see refresh_user
        self._author_cards = author_cards
        self._captcha_enforced: set[str] = set()  # purposes a captcha-less form was refused for
        self._login_form: Answer | None = None  # read by captcha_for_login for the log-in that follows
        self._search_ids: dict[SearchQuery, str] = {}  # a search's results stay on the site a while
        self.web: WebPages | None = None  # set by the probe when the site has no mobile API
        self.memory = SiteMemory(self.site_url)
        self.probed_from_memory = False  # site facts came from an earlier visit, not yet confirmed

    def capability_gap(self, capability: type, feature: str) -> str:
        """A site read through its web pages lacks what only the mobile API gives."""
        if self.web is None:
            return ""
        from tui.discuz.web.session import NOT_ON_WEB_PAGES, not_offered

        return not_offered(feature) if capability in NOT_ON_WEB_PAGES else ""

    # ----- plumbing -------------------------------------------------------------------------

    def _absorb(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Learn who we are, the formhash and the cookie prefix from any mobile answer."""
        variables = data.get("Variables")
        if not isinstance(variables, dict):
            return {}
        if "member_uid" in variables:
            user = parse.current_user(variables)
            if user.uid != self.user.uid:
                self._forget_authors()
                self._search_ids.clear()  # searches belong to who made them
            self.user = user
        self.formhash = parse.text(variables.get("formhash")) or self.formhash
        self.cookie_prefix = parse.text(variables.get("cookiepre")) or self.cookie_prefix
        return variables

    async def _get(
        self, module: str, params: Mapping[str, str | int] | None = None, *, version: int | None = None
    ) -> dict[str, Any]:
        answer = await self.api.mobile(module, version=version, params=params)
        if answer.is_system_error and self.user.is_guest and module in ("mythread", "myfavthread"):
            raise errors.LoginRequiredError(server_key="to_login")
        return self._data(answer)

    def _data(self, answer: Answer) -> dict[str, Any]:
        """An answer's Variables; "log in first" to a session that was logged in means it expired."""
        was_member = not self.user.is_guest
        if isinstance(answer.data, dict):
            self._check_remembered_charset(answer.data)
            self._absorb(answer.data)
        try:
            return self._absorb(answer.require_data())
        except errors.LoginRequiredError as error:
            if was_member and self.user.is_guest and not isinstance(error, errors.SessionExpiredError):
                raise errors.SessionExpiredError(server_key=error.server_key) from error
            raise

    async def _post(self, module: str, params: Mapping[str, str | int], fields: Fields) -> dict[str, Any]:
        """A form POST with the current formhash; refreshed and retried once if stale."""
        fields = list(fields)
        await self._learn_charset()
        if not self.formhash:
            await self.refresh_user()
        answer = await self.api.mobile(module, params=params, fields=[("formhash", self.formhash), *fields])
        if answer.is_tainted:
            await self.refresh_user()
            answer = await self.api.mobile(
                module, params=params, fields=[("formhash", self.formhash), *fields]
            )
        return self._data(answer)

    async def _learn_charset(self) -> None:
        """Probe once before the first form, so fields go out in the site's charset."""
        if self.site is None:
            with contextlib.suppress(errors.ForumError):  # the form itself will say what is wrong
                await self.probe()

    @staticmethod
    def _captcha_fields(
        captcha: CaptchaChallenge | None, answer: str, question_answer: str = ""
    ) -> list[tuple[str, str]]:
        """The picture's and the question's answers, each with the challenge's token."""
        fields: list[tuple[str, str]] = []
        if captcha is not None and answer:
            fields += [("seccodehash", captcha.token), ("seccodeverify", answer)]
        if captcha is not None and question_answer:
            fields += [("secqaahash", captcha.token), ("secanswer", question_answer)]
        return fields

    # ----- reading ----------------------------------------------------------------------------

    async def probe(self, *, remembered: bool = False) -> SiteInfo:
        """The mobile API's site facts; without that API, the web pages' (for the whole session).
        With ``remembered``, facts learnt on a visit less than a day ago are used without asking;
        an answer that contradicts them later makes the session ask after all."""
        facts = await asyncio.to_thread(self.memory.facts) if remembered else None
        self.probed_from_memory = facts is not None
        if facts is None:
            self.web = None
        elif facts.mobile_api:
            return self._recall(facts)
        else:
            try:
                return await self._probe_web_pages()
            except errors.NotAForumError:
                await asyncio.to_thread(self.memory.forget_facts)
                return await self.probe()
        try:
            site = await self._probe_mobile_api()
        except (errors.ApiDisabledError, errors.NotAForumError) as missing:
            try:
                site = await self._probe_web_pages()
            except errors.NotAForumError:
                raise missing from None
            await asyncio.to_thread(self.memory.remember_facts, SiteFacts(self.site_url, mobile_api=False))
            return site
        facts = SiteFacts(
            site_url=self.site_url,
            mobile_api=True,
            charset=site.charset,
            api_version=self.api.version,
            cookie_prefix=self.cookie_prefix,
            name=site.name,
            version=site.version,
            language=site.language,
        )
        await asyncio.to_thread(self.memory.remember_facts, facts)
        return site

    def _web_pages(self) -> WebPages:
        """The web-page side a web-pages site reads through, or a new one for what the mobile
        API lacks (post sources, edits); the web-page modules load on this first need."""
        if self.web is not None:
            return self.web
        from tui.discuz.web.session import WebPages

        return WebPages(self)

    async def _probe_web_pages(self) -> SiteInfo:
        from tui.discuz.web.session import WebPages

        web = WebPages(self)
        self.site = await web.probe()
        self.web = web
        return self.site

    def _recall(self, facts: SiteFacts) -> SiteInfo:
        """Take up what an earlier probe of this site learnt, as if it had just been asked."""
        if facts.site_url != self.site_url:
            self.site_url = facts.site_url
            self.api.move_to(facts.site_url)
        self.cookie_prefix = self.cookie_prefix or facts.cookie_prefix
        self.api.charset = facts.charset
        self.api.version = facts.api_version
        self.site = SiteInfo(
            base_url=self.site_url,
            name=facts.name,
            version=facts.version,
            charset=facts.charset,
            api_enabled=True,
            language=facts.language,
        )
        return self.site

    def _check_remembered_charset(self, data: Mapping[str, Any]) -> None:
        """A mobile answer names its charset: one unlike the remembered facts makes them stale."""
        said = parse.text(data.get("Charset")).lower()
        if not self.probed_from_memory or not said or self.site is None:
            return
        if same_charset(said, self.site.charset):
            return
        self.memory.forget_facts()
        self.api.charset = said  # right at once for whatever is sent next
        self.site = dataclasses.replace(self.site, charset=said)
        raise SiteChangedError(server_key="charset_changed")

    async def _probe_mobile_api(self) -> SiteInfo:
        answer = await self.api.mobile("check")
        if answer.is_json and isinstance(answer.data, dict) and answer.data.get("error"):
            raise messages.error_for(str(answer.data["error"]))
        if not answer.is_json or not isinstance(answer.data, dict) or "charset" not in answer.data:
            if answer.status == 404 or (answer.status == 200 and not answer.body.strip()):
                raise errors.ApiDisabledError(server_key=f"http_{answer.status}")
            raise answer.failure() if not answer.is_json else errors.NotAForumError(server_key="no_charset")
        moved = resolve(answer.url).site_url if answer.url else self.site_url
        if moved != self.site_url:  # e.g. http:// redirected to https://
            self.site_url = moved
            self.api.move_to(moved)
        self.cookie_prefix = self.cookie_prefix or _cookie_prefix(answer.set_cookies)
        self.site = parse.site_info(self.site_url, answer.data)
        self.api.charset = self.site.charset
        self.api.version = parse.api_version(answer.data)
        return self.site

    @_or_web_pages
    async def board_index(self) -> BoardIndex:
        try:
            return parse.board_index(self._index_just_read() or await self._get("forumindex"))
        except errors.LoginRequiredError as error:
            if not self.user.is_guest or isinstance(error, errors.SessionExpiredError):
                raise
            raise errors.LoginRequiredError(  # the forum index refused: the whole site is members-only
                "This forum shows nothing to guests: log in to read it.", server_key=error.server_key
            ) from error

    @_or_web_pages
    async def thread_list(
        self,
        board_id: str,
        page: int = 1,
        *,
        order: ThreadOrder = ThreadOrder.LAST_REPLY,
        digest_only: bool = False,
        type_id: str = "",
        page_size: int | None = None,
    ) -> ThreadList:
        params = paged(page, fid=board_id)
        if page_size:
            params["tpp"] = page_size
        params.update(list_filters(order, digest_only, type_id))
        return parse.thread_list(await self._get("forumdisplay", params), board_id)

    @_or_web_pages
    async def thread_page(
        self,
        thread_id: str,
        page: int = 1,
        *,
        author_id: str | None = None,
        reverse: bool = False,
        page_size: int | None = None,
    ) -> ThreadPage:
        params = paged(page, tid=thread_id)
        if page_size:
            params["ppp"] = page_size
        params.update(thread_filters(author_id, reverse))
        if author_id or thread_id in self._counted_threads:
            main, bodies = await self._v4_with_v1_bodies(params, filtered=bool(author_id))
        else:
            main, bodies = await self._v1_page(params)
        if parse.counts_floors(main):  # its next pages read v4 and v1 at once
            self._counted_threads[thread_id] = True
            _keep_newest(self._counted_threads, REMEMBERED_THREAD_KINDS)
        result = parse.thread_page(
            main,
            self.site_url,
            page=page,
            richer_bodies=bodies,
            author_id=author_id,
            reverse=reverse,
            thread_url=self.thread_url(thread_id, page),
        )
        if self._author_cards:
            await self._add_author_facts(result.posts)
        self.remember_posts(result.posts)
        self.time_zone = result.time_zone or self.time_zone
        return result

    @_or_web_pages
    async def smilies(self) -> dict[str, str]:
        if self._smilies is None:
            self._smilies = asyncio.ensure_future(self._read_smilies())
        # Shielded: a reader that gives up waiting must not cancel the one shared read.
        return dict(await asyncio.shield(self._smilies))

    async def _read_smilies(self) -> dict[str, str]:
        """The site's smiley table, as remembered from a visit less than a day ago or asked for."""
        remembered = await asyncio.to_thread(self.memory.smilies)
        if remembered is not None:
            return remembered
        try:
            answer = await self.api.mobile("smiley", deadline=EXTRA_WAIT)
            table = parse.smilies(self._data(answer), self.site_url)
        except Exception:  # smilies are a nicety: any failure means "none", once
            return {}
        # Kept even when empty (every picture has an emoji): that too is the site's answer.
        await asyncio.to_thread(self.memory.remember_smilies, table)
        return table

    # ----- author cards ----------------------------------------------------------------------

    def _forget_authors(self) -> None:
        """Someone else is logged in now: what profiles showed (or refused) may differ."""
        self._authors.clear()
        self._guest_profiles = None

    def _is_known(self, uid: str) -> bool:
        """Whether ``uid``'s profile was read (or refused) less than ``AUTHOR_TTL`` ago."""
        return uid in self._authors and time.monotonic() - self._authors[uid][0] < AUTHOR_TTL

    def _author_read(self, uid: str) -> asyncio.Task[None] | None:
        """The (possibly already running) profile read for ``uid``; None while it is known."""
        if self._is_known(uid):
            return None
        if uid not in self._author_reads:
            self._author_reads[uid] = asyncio.ensure_future(self._read_author(uid))
        return self._author_reads[uid]

    async def _read_author(self, uid: str) -> None:
        """Cache one author's profile facts; None when refused, failed or malformed."""
        facts = None
        try:
            async with self._author_slots:
                answer = await self.api.mobile("profile", params={"uid": uid})
            # A guest's answer says "no privilege" yet still carries the counts the web page
            # shows guests beside each floor: those are used; a bare refusal stops the asking.
            facts = author_facts(answer.variables, uid) if answer.is_json else None
            key = answer.message_key
            refused = (
                bool(key)
                and not messages.is_success(key)
                and isinstance(
                    messages.error_for(key), (errors.LoginRequiredError, errors.PermissionDeniedError)
                )
            )
            if self.user.is_guest and (facts is not None or refused):
                self._guest_profiles = facts is not None
        except Exception:  # a profile must never break the thread page
            facts = None
        finally:
            self._author_reads.pop(uid, None)
        self._authors[uid] = (time.monotonic(), facts)

    async def _add_author_facts(self, posts: list[Post]) -> None:
        """Group, counts and location on each card, from the profiles of the page's authors."""
        deadline = time.monotonic() + AUTHOR_WAIT
        self._authors = {uid: entry for uid, entry in self._authors.items() if self._is_known(uid)}
        uids = list(dict.fromkeys(post.author.id for post in posts if parse.number(post.author.id) > 0))
        if self.user.is_guest and self._guest_profiles is None and uids:
            first = self._author_read(uids[0])  # one request tells whether guests may read profiles
            if first is not None:
                await asyncio.wait({first}, timeout=AUTHOR_WAIT)
        if not self.user.is_guest or self._guest_profiles:
            reads = {read for read in map(self._author_read, uids) if read is not None}
            if reads:
                await asyncio.wait(reads, timeout=max(deadline - time.monotonic(), 0.0))
        for post in posts:
            facts = self._authors[post.author.id][1] if self._is_known(post.author.id) else None
            if facts is not None:
                add_author_facts(post.author, facts)

    def remember_posts(self, posts: list[Post]) -> None:
        """Keep recently read posts (bounded) so quoting one needs no second fetch; the web pages
        hand theirs here too."""
        self._seen_posts.update((post.id, post) for post in posts)
        _keep_newest(self._seen_posts, REMEMBERED_POSTS)

    async def _viewthread(
        self, params: Mapping[str, str | int], *, version: int | None = None, filtered: bool = False
    ) -> dict[str, Any]:
        """A thread page's answer (v4 unless ``version`` says), refused without its posts."""
        answer = await self._get("viewthread", params, version=version)
        parse.require_posts(answer, filtered=filtered)
        return answer

    async def _v1_page(
        self, params: Mapping[str, str | int]
    ) -> tuple[dict[str, Any], Mapping[str, Mapping[str, Any]]]:
        """A page's answer and the v1 rows for its bodies, in one v1 request where v1 numbers
        the floors; else v4 as well, for ``position``. A v1 answer that is no API answer at
        all (malformed, a web page, missing) is left for v4 alone, which may still read."""
        try:
            desktop = await self._viewthread(params, version=1)
        except errors.AnswerTooLargeError:
            raise  # v4 would hold the same posts: no second such download
        except (errors.BrokenAnswerError, errors.NotAForumError, errors.ApiDisabledError):
            return await self._viewthread(params), {}
        if not parse.needs_positions(desktop):
            return desktop, {}
        return await self._viewthread(params), parse.rows_by_pid(desktop)

    async def _v4_with_v1_bodies(
        self, params: Mapping[str, str | int], *, filtered: bool
    ) -> tuple[dict[str, Any], Mapping[str, Mapping[str, Any]]]:
        """v4's answer for the structure and, read beside it, v1's rows for the bodies."""
        desktop_read = asyncio.ensure_future(self._richer_bodies(params))
        try:
            main = await self._viewthread(params, filtered=filtered)
        except BaseException:
            desktop_read.cancel()
            raise
        return main, await desktop_read

    async def _richer_bodies(self, params: Mapping[str, str | int]) -> Mapping[str, Mapping[str, Any]]:
        """pid → post row from the v1 answer, which keeps [code] and [attachimg]; {} on failure."""
        try:
            answer = await self.api.mobile("viewthread", version=1, params=params, deadline=EXTRA_WAIT)
            variables = answer.require_data().get("Variables")
        except errors.ForumError:
            return {}
        return parse.rows_by_pid(variables) if isinstance(variables, dict) else {}

    async def locate_post(self, post_id: str, thread_id: str = "") -> PostLocation:
        params = {"mod": "redirect", "goto": "findpost", "pid": post_id}
        if thread_id:
            params["ptid"] = thread_id
        answer = await self.api.send("GET", "forum.php", params=params, follow=False)
        if answer.status not in REDIRECT_STATUSES or not answer.location:
            raise errors.NotFoundError(server_key="post_nonexistence")
        target = resolve(urljoin(self.site_url, answer.location))
        if target.kind is TargetKind.POST:
            return model.PostLocation(thread_id=target.thread_id, page=target.page, post_id=target.id)
        if target.kind is TargetKind.THREAD:
            return model.PostLocation(thread_id=target.id, page=target.page, post_id=post_id)
        raise errors.NotFoundError(server_key="post_nonexistence")

    # ----- captcha and log-in -------------------------------------------------------------------

    async def _captcha(self, purpose: str) -> CaptchaChallenge | None:
        """What ``module=secure`` asks for ``purpose``: a picture (seccode), a question (secqaa)."""
        answer = await self.api.mobile("secure", params={"type": purpose})
        if answer.is_system_error and not answer.is_tainted:
            return None  # X3.5 crashes in secure.php exactly when nothing is asked
        variables = self._absorb(answer.require_data())
        token = parse.text(variables.get("sechash"))
        page_url = parse.text(variables.get("seccode"))
        question = parse.text(variables.get("secqaa"))
        if not token or not (page_url or question):
            return None
        image, image_url = (await self._captcha_image(page_url)) if page_url else (b"", "")
        return CaptchaChallenge(token=token, image=image, image_url=image_url, question=question)

    async def _captcha_image(self, page_url: str) -> tuple[bytes, str]:
        """The captcha picture behind the ``seccode`` page, fetched with a Referer."""
        page = await self.api.send("GET", urljoin(self.site_url, page_url), referer=self.site_url)
        found = _IMG_SRC.search(page.text)
        image_url = urljoin(self.site_url, found.group(1)) if found else urljoin(self.site_url, page_url)
        image = await self.api.send("GET", image_url, referer=self.site_url)
        if not image.content_type.startswith("image/"):
            raise errors.CaptchaRequiredError(
                "The forum wants a captcha but would not send its image.", server_key="seccode"
            )
        return image.body, image_url

    @_or_web_pages
    async def captcha_for_login(self) -> CaptchaChallenge | None:
        """The log-in captcha, marked optional when the site announces one it will not check.

        ``module=secure`` announces the captcha whenever its rule is on, even where the
        site's global switch is off. It is required when the web log-in form carries the
        captcha too, or once a log-in without it was refused for it.
        """
        challenge = await self._captcha("login")
        if challenge is None or not challenge.image_url or "login" in self._captcha_enforced:
            return challenge
        with contextlib.suppress(errors.ForumError):  # no readable form: take secure at its word
            form = await self.api.send("GET", "member.php", params=_WEB_LOGIN_FORM)
            if form.status == 200 and _FORMHASH.search(form.text):
                challenge.required = bool(_SECCODE_BLOCK.search(form.text))
                self._login_form = form
        return challenge

    @_or_web_pages
    async def captcha_for_post(self) -> CaptchaChallenge | None:
        return await self._captcha("post")

    def _login_fields(self, request: LoginRequest) -> list[tuple[str, str]]:
        return [
            ("username", request.username),
            ("password", request.password),
            ("questionid", str(request.question_id)),
            ("answer", request.answer if request.question_id else ""),
            ("cookietime", REMEMBER_SECONDS),
            *self._captcha_fields(request.captcha, request.captcha_answer, request.question_answer),
        ]

    @_or_web_pages
    async def login(self, request: LoginRequest) -> CurrentUser:
        """Web form first (its answers say how many attempts are left), else the mobile API."""
        await self._learn_charset()
        try:
            user = await self.web_login(request)
            return user if user is not None else await self._mobile_login(request)
        except errors.CaptchaRequiredError:
            self._captcha_enforced.add("login")  # the site does check it: no longer optional
            raise

    async def web_login(self, request: LoginRequest) -> CurrentUser | None:
        """The web form's AJAX log-in (the mobile API's sites and the web pages' both use it); None
        when the form is missing or its answer unclear. A form ``captcha_for_login`` read is used
        once, rather than read again."""
        form, self._login_form = self._login_form, None
        if form is None:
            form = await self.api.send("GET", "member.php", params=_WEB_LOGIN_FORM)
        formhash = _FORMHASH.search(form.text) if form.status == 200 else None
        if formhash is None:
            return None
        params = {"mod": "logging", "action": "login", "loginsubmit": "yes", "inajax": "1"}
        if loginhash := _LOGINHASH.search(form.text):
            params["loginhash"] = loginhash.group(1)
        fields = [("formhash", formhash.group(1)), ("referer", self.site_url), ("loginfield", "auto")]
        answer = await self.api.send(
            "POST", "member.php", params=params, fields=fields + self._login_fields(request)
        )
        if answer.sets_cookie("auth"):
            return await self._logged_in()
        from tui.discuz.web.pages import ajax_html

        said = parse.text(ajax_html(answer.text))
        self._raise_web_login_failure(said, request)
        return None

    @staticmethod
    def _raise_web_login_failure(said: str, request: LoginRequest) -> None:
        """Raise the typed error the web form's words describe, if they are recognisable."""
        if strike := _STRIKE.search(said):
            raise errors.TooManyLoginsError(server_key="login_strike", minutes=int(strike.group(1)))
        if attempts := _ATTEMPTS.search(said):
            left = int(attempts.group(1))
            if left == 0:
                raise errors.TooManyLoginsError(server_key="login_strike")
            raise errors.WrongPasswordError(server_key="login_invalid", attempts_left=left)
        if _QUESTION_WORDS.search(said):
            if request.question_id:
                raise errors.SecurityQuestionWrongError(server_key="login_question_invalid")
            raise errors.SecurityQuestionRequiredError(server_key="login_question_empty")
        if _CAPTCHA_WORDS.search(said):
            if request.captcha_answer:
                raise errors.CaptchaWrongError(server_key="submit_seccode_invalid")
            raise errors.CaptchaRequiredError(server_key="submit_seccode_invalid")

    async def _mobile_login(self, request: LoginRequest) -> CurrentUser:
        answer = await self.api.mobile(
            "login",
            params={"loginsubmit": "yes", "loginfield": "auto"},
            fields=self._login_fields(request),
        )
        if not answer.is_json and answer.sets_cookie("auth"):
            return await self._logged_in()  # the v4 success that answers 503 HTML
        key = messages.bare_key(answer.message_key)
        if key == "login_question_empty" and request.question_id:
            raise errors.SecurityQuestionWrongError(server_key=answer.message_key)
        if key in ("submit_seccode_invalid", "seccode_invalid") and not request.captcha_answer:
            raise errors.CaptchaRequiredError(server_key=answer.message_key)
        self._absorb(answer.require_data())
        return await self._logged_in()

    async def _logged_in(self) -> CurrentUser:
        user = await self.refresh_user()
        if user.is_guest:
            raise errors.LoginRequiredError(
                "The forum accepted the log-in but did not keep the session.", server_key="login_lost"
            )
        return user

    @_or_web_pages
    async def logout(self) -> None:
        if self.formhash:
            # Forgetting the cookies below logs out locally even when the forum is unreachable.
            with contextlib.suppress(errors.NetworkError):
                await self.api.mobile("login", params={"mlogout": 1, "hash": self.formhash})
        self.api.client.cookies.clear()
        self.user = CurrentUser()
        self.formhash, self._login_form = "", None
        self._forget_authors()

    # ----- writing ------------------------------------------------------------------------------

    async def _quote_fields(self, thread_id: str, post_id: str) -> list[tuple[str, str]]:
        """The ``noticetrimstr``/``reppid`` pair a quote reply sends (see the quote capture)."""
        try:  # the reply form for a quote; only some plugin versions return the quote block
            offered = await self._get("sendreply", {"tid": thread_id, "repquote": post_id})
        except (errors.NotAForumError, errors.ApiDisabledError):
            offered = {}
        quote = str(offered.get("noticetrimstr") or "")
        if "goto=findpost" not in quote:  # the link lets readers (and `f`) go to the quoted floor
            try:
                quote = await self._quote_from_post(thread_id, post_id)
            except errors.NotFoundError:
                if not quote:
                    raise
        fields = [("noticetrimstr", quote), ("reppid", post_id)]
        for name in ("noticeauthor", "noticeauthormsg"):
            if offered.get(name):
                fields.append((name, str(offered[name])))
        return fields

    async def _quote_from_post(self, thread_id: str, post_id: str) -> str:
        """Build the quote block the way the web editor does: its header links to the floor."""
        quoted = self._seen_posts.get(post_id)
        if quoted is None:
            where = await self.locate_post(post_id, thread_id)
            await self.thread_page(where.thread_id, where.page)
            quoted = self._seen_posts.get(post_id)
        if quoted is None:
            raise errors.NotFoundError(server_key="post_nonexistence")
        # Text that looks like BBCode must not become markup inside the quote block.
        excerpt = _BBCODE_TAG.sub("", parse.text_outside_quotes(quoted.html))
        if len(excerpt) > 100:
            excerpt = excerpt[:100] + " ..."
        exact = quoted.time.exact  # dated in the forum's zone, as the web editor writes it
        when = forum_date(exact, self.time_zone) if exact else quoted.time.text
        link = f"forum.php?mod=redirect&goto=findpost&pid={post_id}&ptid={thread_id}"
        author = _BBCODE_TAG.sub("", quoted.author.name)
        return (
            f"[quote][size=2][url={link}][color=#999999]{author} 发表于 {when}[/color][/url][/size]\n"
            f"[color=#999999]{excerpt}[/color][/quote]"
        )

    @staticmethod
    def _posted(variables: Mapping[str, Any], thread_id: str = "") -> ReplyResult:
        return model.ReplyResult(
            thread_id=parse.text(variables.get("tid")) or thread_id, post_id=parse.text(variables.get("pid"))
        )

    @_or_web_pages
    async def reply(
        self,
        thread_id: str,
        text: str,
        *,
        quote_post_id: str | None = None,
        captcha: CaptchaChallenge | None = None,
        captcha_answer: str = "",
        question_answer: str = "",
    ) -> ReplyResult:
        quote = await self._quote_fields(thread_id, quote_post_id) if quote_post_id else []
        variables = await self._post(
            "sendreply",
            {"tid": thread_id, "replysubmit": "yes"},
            [
                ("message", text),
                *quote,
                ("usesig", "1"),
                *self._captcha_fields(captcha, captcha_answer, question_answer),
            ],
        )
        return self._posted(variables, thread_id)

    @_or_web_pages
    async def new_thread(
        self,
        board_id: str,
        subject: str,
        text: str,
        *,
        type_id: str = "",
        captcha: CaptchaChallenge | None = None,
        captcha_answer: str = "",
        question_answer: str = "",
    ) -> ReplyResult:
        fields = [("subject", subject), ("message", text), ("allownoticeauthor", "1"), ("usesig", "1")]
        if type_id:
            fields.append(("typeid", type_id))
        variables = await self._post(
            "newthread",
            {"fid": board_id, "topicsubmit": "yes"},
            [*fields, *self._captcha_fields(captcha, captcha_answer, question_answer)],
        )
        return self._posted(variables)

    @_or_web_pages
    async def vote(self, thread_id: str, board_id: str, option_ids: list[str]) -> None:
        await self._post(
            "pollvote",
            {"fid": board_id, "tid": thread_id, "pollsubmit": "yes"},
            [("pollanswers[]", option) for option in option_ids],
        )

    @_or_web_pages
    async def add_favourite_thread(self, thread_id: str) -> None:
        await self._post("favthread", {"id": thread_id, "favoritesubmit": "true"}, [])

    @_or_web_pages
    async def post_source(self, thread_id: str, post_id: str) -> PostSource:
        return await self._web_pages().post_source(thread_id, post_id)

    async def edit_post(self, thread_id: str, post_id: str, text: str, *, subject: str = "") -> None:
        await self._learn_charset()
        await self._web_pages().edit_post(thread_id, post_id, text, subject=subject)

    # ----- ratings (web forms: the mobile API has none) ------------------------------------------

    async def _misc(self, method: str, action: str, params: Mapping[str, str], fields: Fields = ()) -> str:
        """A ``forum.php?mod=misc`` AJAX exchange; the HTML inside its XML answer."""
        answer = await self.api.send(
            method,
            "forum.php",
            params={"mod": "misc", "action": action, **params, "inajax": "1"},
            fields=list(fields) or None,
        )
        if answer.is_tainted:
            raise errors.SessionExpiredError(server_key="request_tainting")
        from tui.discuz.web.pages import ajax_html

        return ajax_html(answer.text) or answer.text

    @staticmethod
    def _rate_refusal(said: str) -> errors.ForumError:
        """The rate form's refusals (only words come back) as typed errors in the site's words."""
        if _ALREADY_RATED.search(said):
            return errors.AlreadyDoneError(said, server_key="thread_rate_duplicate")
        if _GROUP_REFUSED.search(said):
            return errors.PermissionDeniedError(said, server_key="group_nopermission")
        if _RATE_LIMIT.search(said):
            return errors.PermissionDeniedError(said, server_key="thread_rate_ctrl")
        from tui.discuz.web.pages import error_for_text

        return error_for_text(said or "The forum refused the rating.")

    async def ratings(self, thread_id: str, post_id: str) -> list[Rating]:
        from tui.discuz import web_rating

        return web_rating.ratings(await self._misc("GET", "viewratings", {"tid": thread_id, "pid": post_id}))

    async def rate_form(self, thread_id: str, post_id: str) -> RateForm:
        if self.user.is_guest:
            raise errors.LoginRequiredError("Log in to rate posts.", server_key="to_login")
        page = await self._misc(
            "GET", "rate", {"tid": thread_id, "pid": post_id, "infloat": "yes", "handlekey": "rate"}
        )
        from tui.discuz import web_rating
        from tui.discuz.web.pages import ajax_outcome

        form = web_rating.rate_form(page)
        if form is None or not form.credits:
            raise self._rate_refusal(ajax_outcome(page).message)
        return form

    async def rate(self, form: RateForm, scores: Mapping[str, int], reason: str) -> None:
        from tui.discuz.web.session import submit_form

        await self._learn_charset()
        fields = [(f"score{credit}", str(amount)) for credit, amount in scores.items()]
        outcome = await submit_form(self.api, form.action, form.hidden, [*fields, ("reason", reason)])
        if not outcome.succeeded:
            raise self._rate_refusal(outcome.message)

    @_or_web_pages
    async def add_favourite_board(self, board_id: str) -> None:
        await self._post("favforum", {"id": board_id, "favoritesubmit": "true"}, [])

    @_or_web_pages
    async def send_pm(
        self,
        to_uid: str,
        text: str,
        *,
        username: str = "",
        captcha: CaptchaChallenge | None = None,
        captcha_answer: str = "",
        question_answer: str = "",
    ) -> None:
        await self._post(
            "sendpm",
            {},
            [
                ("touid", to_uid) if to_uid else ("username", username),
                ("message", text),
                ("pmsubmit", "yes"),
                *self._captcha_fields(captcha, captcha_answer, question_answer),
            ],
        )

    # ----- the user's own things ----------------------------------------------------------------

    @_or_web_pages
    async def favourite_threads(self, page: int = 1) -> Page[ThreadSummary]:
        return parse.favourite_threads(await self._get("myfavthread", paged(page)))

    async def favourite_boards(self, page: int = 1) -> Page[Board]:
        return parse.favourite_boards(await self._get("myfavforum", paged(page)))

    async def remove_favourite_thread(self, thread_id: str) -> None:
        """``favthread`` with ``op=delete`` and the thread's id: the module fixes the type to
        threads, so the site finds the member's favourite of it without its ``favid``."""
        await self._post("favthread", {"op": "delete", "id": thread_id}, [("deletesubmit", "true")])

    async def notifications(self, page: int = 1) -> Page[Notice]:
        """``mynotelist`` (reading it marks the notices read); the web page when the API has no list."""
        try:
            answer = await self.api.mobile("mynotelist", params=paged(page))
            if not answer.is_json and not answer.is_tainted:
                return await self._web_notifications(page)
            return parse.notices(self._data(answer))
        except errors.LoginRequiredError as error:
            if isinstance(error, errors.SessionExpiredError):
                raise
            raise errors.LoginRequiredError(
                "Log in to see your notifications.", server_key=error.server_key
            ) from error

    async def _web_notifications(self, page: int) -> Page[Notice]:
        from tui.discuz import web_notices, web_search

        answer = await self.api.send("GET", "home.php", params=paged(page, mod="space", do="notice"))
        found = web_notices.notices(answer.text)
        if not found.items and (said := web_search.message(answer.text)):
            raise self._web_refusal(said, "notice")
        return found

    # ----- search (web pages: the mobile API has none) -------------------------------------------

    def _web_refusal(self, said: str, key: str) -> errors.ForumError:
        """The typed error for a web message page's sentence."""
        if seconds := _SECONDS.search(said):
            wait = int(seconds.group(1))
            return errors.FloodControlError(
                f"The forum allows one search every {wait} seconds. Wait {wait} seconds and search again.",
                server_key=f"{key}_ctrl",
                seconds=wait,
            )
        if self.user.is_guest and _NO_PERMISSION.search(said):
            return errors.LoginRequiredError(
                "Log in to search." if key == "search" else said, server_key=f"{key}_login"
            )
        if said:
            return errors.PermissionDeniedError(said, server_key=key)
        return errors.NotAForumError("The forum answered the search with a page it did not recognise.")

    async def search(self, query: SearchQuery, page: int = 1) -> Page[SearchResult]:
        """The site's search; its search id is reused for later pages, and renewed once if expired."""
        from tui.discuz import web_search

        for _attempt in range(2):
            search_id = self._search_ids.get(query) or await self._start_search(query)
            params = paged(
                page, mod="forum", searchid=search_id, orderby="lastpost", ascdesc="desc", searchsubmit="yes"
            )
            answer = await self.api.send("GET", "search.php", params=params)
            if web_search.is_result_page(answer.text):
                return web_search.results(answer.text, self.site_url)
            said = web_search.message(answer.text)
            self._search_ids.pop(query, None)
            if not _EXPIRED_SEARCH.search(said):
                raise self._web_refusal(said, "search")
        raise errors.NotFoundError(
            "The search expired on the forum. Search again.", server_key="search_id_invalid"
        )

    async def _start_search(self, query: SearchQuery) -> str:
        """Send the search form; the site answers with a redirect naming the new search id."""
        from tui.discuz import web_search

        await self._learn_charset()
        page = await self.api.send("GET", "search.php", params={"mod": "forum"})
        form = web_search.search_form(page.text)
        if form is None:
            raise self._web_refusal(web_search.message(page.text), "search")
        fields = [("formhash", form.formhash), ("srchtxt", query.text), ("searchsubmit", "yes")]
        if form.full_text and query.text:
            fields.append(("srchtype", "fulltext"))
        if query.author:
            fields.append(("srchuname", query.author))
        if query.board_id:
            fields.append(("srchfid[]", query.board_id))
        answer = await self.api.send(
            "POST", form.action, fields=fields, referer=urljoin(self.site_url, "search.php?mod=forum")
        )
        search_id = web_search.search_id(answer.location) if answer.status in REDIRECT_STATUSES else ""
        if not search_id:
            raise self._web_refusal(web_search.message(answer.text), "search")
        self._search_ids[query] = search_id
        return search_id

    @_or_web_pages
    async def my_threads(self, page: int = 1, *, replied: bool = False) -> Page[ThreadSummary]:
        params = paged(page, type="reply") if replied else paged(page)
        try:
            return parse.my_threads(await self._get("mythread", params))
        except errors.NotAForumError as error:
            raise errors.PermissionDeniedError(
                "This forum has its guide (导读) switched off, so your threads cannot be listed.",
                server_key="guide_status_off",
            ) from error

    @_or_web_pages
    async def profile(self, uid: str | None = None) -> Profile:
        return parse.profile(await self._get("profile", {"uid": uid} if uid else None))

    @_or_web_pages
    async def conversations(self, page: int = 1) -> Page[Conversation]:
        return parse.conversations(await self._get("mypm", paged(page)))

    @_or_web_pages
    async def conversation(self, with_uid: str, page: int = 1) -> Page[PrivateMessage]:
        params = paged(page, subop="view", touid=with_uid)
        return parse.private_messages(await self._get("mypm", params))

    @_or_web_pages
    async def refresh_user(self) -> CurrentUser:
        """Who we are, from the forum index; a ``board_index`` call right after (as when a
        remembered session is checked and the board list follows) takes that same answer."""
        variables = await self._get("forumindex")
        self._index_read = (time.monotonic(), self.user.uid, variables)
        return self.user

    def _index_just_read(self) -> dict[str, Any] | None:
        """The forum index ``refresh_user`` read less than ``INDEX_REUSE_SECONDS`` ago for the
        same user, once; None otherwise."""
        read, self._index_read = self._index_read, None
        if read is None or read[1] != self.user.uid or time.monotonic() - read[0] > INDEX_REUSE_SECONDS:
            return None
        return read[2]

    # ----- images ---------------------------------------------------------------------------------

    async def fetch_image(self, url: str) -> bytes:
        """An image's bytes, asked for with the site as Referer (Discuz! refuses some without one)."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise errors.NotFoundError("That image has no web address.", server_key="image_url")
        too_large = errors.ForumError(
            f"The image is bigger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB, so it was not downloaded.",
            server_key="image_too_big",
        )
        try:
            async with (
                asyncio.timeout(self.api.deadline),
                self.api.client.stream(
                    "GET", url, headers={"Referer": self.site_url}, follow_redirects=True
                ) as response,
            ):
                files.refuse_unless_file(response, "image")
                body = await read_capped(response, MAX_IMAGE_BYTES, too_large)
        except TimeoutError as error:
            raise errors.NetworkError("The image took too long to arrive.", server_key="timeout") from error
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise transport_error(error, body_started=False) from error
        if not body:
            raise errors.NotFoundError("The forum sent an empty image.", server_key="image_empty")
        return bytes(body)

    async def download(self, url: str, sink: BinaryIO, progress: Callable[[int, int | None], None]) -> str:
        charset = self.site.charset if self.site else "utf-8"
        return await files.download(
            self.api.client, url, referer=self.site_url, charset=charset, sink=sink, progress=progress,
            deadline=max(self.api.deadline, 600.0),  # a big file may take minutes
        )  # fmt: skip

    # ----- session secrets and links ------------------------------------------------------------

    def secret_values(self) -> list[str]:
        """The forum's own cookie values (its ``auth``, its ``saltkey``) and the formhash."""
        values = [
            cookie.value
            for cookie in self.api.client.cookies.jar
            if self._is_own_cookie(cookie) and cookie.value and len(cookie.value) >= 8
        ]  # short values (a flag, a timestamp) are no secret and too common to search for
        return [*values, self.formhash] if self.formhash else values

    def export_session(self) -> dict[str, str]:
        """The forum's own cookies (its host, its cookie prefix), each with its attributes.

        Third-party cookies met on the way (another host, another prefix) are left out, and
        each kept cookie records its domain, path, Secure flag and expiry so that restoring
        it neither widens it to subdomains nor lets it travel over plain http.
        """
        return {
            cookie.name: json.dumps(
                {
                    "value": cookie.value or "",
                    "domain": cookie.domain,
                    "path": cookie.path,
                    "secure": cookie.secure,
                    "expires": cookie.expires,
                },
                sort_keys=True,
            )
            for cookie in self.api.client.cookies.jar
            if self._is_own_cookie(cookie)
        }

    def _is_own_cookie(self, cookie: Cookie) -> bool:
        host = _host_cookie_domain(self.site_url)
        domain = cookie.domain.lstrip(".")
        on_host = domain == host or (cookie.domain.startswith(".") and host.endswith("." + domain))
        return on_host and cookie.name.startswith(self.cookie_prefix)

    def restore_session(self, secrets: Mapping[str, str]) -> None:
        """Put back what ``export_session`` gave, exactly; a bare value (as older versions
        saved) becomes a host-only cookie, Secure on an https site."""
        for name, text in secrets.items():
            saved = _saved_cookie(text)
            if saved is None:
                host = _host_cookie_domain(self.site_url)
                secure = self.site_url.startswith("https:")
                saved = {"value": text, "domain": host, "path": "/", "secure": secure}
            self.api.client.cookies.jar.set_cookie(_cookie(name, saved))

    def thread_url(self, thread_id: str, page: int = 1) -> str:
        return thread_url(self.site_url, thread_id, page)

    def post_url(self, post_id: str, thread_id: str) -> str:
        return f"{self.site_url}forum.php?mod=redirect&goto=findpost&pid={post_id}&ptid={thread_id}"

    async def aclose(self) -> None:
        for read in list(self._author_reads.values()):
            read.cancel()
        await self.api.aclose()
