"""``WebPages``: what a ``DiscuzSession`` does through the desktop pages once its mobile API is gone.

A site may remove or block ``api/mobile/``, or switch the mobile plugin off; the desktop
pages still serve everything a reader needs. The session then hands these calls here for
the rest of its life: the same HTTP client (so the same cookies), the same contract.

- **Reading.** ``forum.php`` (boards), ``mod=forumdisplay`` (threads), ``mod=viewthread``
  (floors; ``authorid`` for one author, ``ordertype=1`` for newest first), read by
  ``pages``. A ``showmessage`` page (提示信息) in their place becomes the typed error its
  words describe; "log in first" to a session that was logged in means it expired.
- **Log-in** is the AJAX web form the session already prefers; only its "who am I now"
  comes from the pages here.
- **Posting** fetches the post form first (``mod=post&action=reply|newthread``), so the
  formhash, ``posttime`` and a quote's hidden fields are the ones the forum just handed
  out, then POSTs it with ``inajax=1`` and reads the XML answer. The form's captcha and
  question slots (``span#seccode_…``, ``span#secqaa_…``) are what ``captcha_for_post`` asks.
- **Polls** are voted on through the poll form under the first floor.
- **What the pages cannot give** (favourites, own threads, profiles, private messages) is
  ``NOT_ON_WEB_PAGES``: the session says so before a screen offers it (``capability_gap``), and a
  call made anyway raises ``ApiDisabledError`` in the same words.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from selectolax.lexbor import LexborHTMLParser

from tui import errors
from tui.discuz.charset import charset_of
from tui.discuz.urls import list_filters, paged, thread_filters
from tui.discuz.web import pages
from tui.engine import SupportsFavourites, SupportsMessages, SupportsMyThreads, SupportsProfiles
from tui.model import (
    BoardIndex,
    CaptchaChallenge,
    Conversation,
    CurrentUser,
    LoginRequest,
    Page,
    Post,
    PostSource,
    PrivateMessage,
    Profile,
    ReplyResult,
    SiteInfo,
    ThreadList,
    ThreadOrder,
    ThreadPage,
    ThreadSummary,
)
from tui.times import site_language

if TYPE_CHECKING:
    from tui.discuz.api import DiscuzApi


class SessionOfPages(Protocol):
    """What the web side uses of the ``DiscuzSession`` it serves (a protocol, so this module
    does not import the session back)."""

    site_url: str
    api: DiscuzApi
    user: CurrentUser
    formhash: str
    cookie_prefix: str

    def thread_url(self, thread_id: str, page: int = 1) -> str: ...

    def remember_posts(self, posts: list[Post]) -> None: ...

    async def web_login(self, request: LoginRequest) -> CurrentUser | None: ...

FORUM = "forum.php"
_LOGIN_PAGE = {"mod": "logging", "action": "login"}


# What only the mobile API gives: the desktop pages for these need page flows not read here.
NOT_ON_WEB_PAGES: tuple[type, ...] = (
    SupportsFavourites,
    SupportsMyThreads,
    SupportsProfiles,
    SupportsMessages,
)


def not_offered(feature: str) -> str:
    """The sentence for a feature a web-pages session lacks."""
    return f"This forum's web pages don't offer {feature}."


def _unavailable(feature: str) -> errors.ApiDisabledError:
    return errors.ApiDisabledError(not_offered(feature), server_key="mobile_api_off")


async def submit_form(
    api: DiscuzApi, action: str, hidden: list[tuple[str, str]], fields: list[tuple[str, str]]
) -> pages.AjaxOutcome:
    """POST a web form as its page's AJAX does (``inajax=1``): its hidden fields, ours taking the
    place of any with the same name. A stale form token raises; a refusal is the caller's to word."""
    ours = {name for name, _ in fields}
    kept = [(name, value) for name, value in hidden if name not in ours]
    url = action if "inajax" in action else action + "&inajax=1"
    answer = await api.send("POST", url, fields=[*kept, *fields])
    if answer.is_tainted:
        raise errors.SessionExpiredError(server_key="request_tainting")
    return pages.ajax_outcome(answer.text)


class WebPages:
    """The web-page side of one ``DiscuzSession`` (its client, cookies, user and formhash)."""

    def __init__(self, session: SessionOfPages) -> None:
        self.session = session
        self.api = session.api
        self._post_seccode = ""  # the captcha slot of the last post form, once one showed it
        self._post_secqaa = ""  # its verification question's slot, likewise
        self._asked_secqaa = ""  # the slot whose question the last challenge showed

    # ----- plumbing -------------------------------------------------------------------------

    async def _page(self, path: str, params: Mapping[str, str | int] | None = None) -> LexborHTMLParser:
        """A page, its user and formhash noted; a message page in its place raises its error."""
        answer = await self.api.send("GET", path, params=params)
        if answer.status == 404:
            raise errors.NotFoundError(server_key="http_404")
        if answer.status >= 400 and not answer.text.strip():
            raise errors.NotAForumError(server_key=f"http_{answer.status}")
        doc = pages.document(answer.text)
        was_member = not self.session.user.is_guest
        self._absorb(doc)
        problem = pages.message_error(doc)
        if problem is not None:
            if was_member and self.session.user.is_guest and isinstance(problem, errors.LoginRequiredError):
                raise errors.SessionExpiredError(server_key=problem.server_key)
            raise problem
        return doc

    def _absorb(self, doc: LexborHTMLParser) -> None:
        """Who the page was served to, and the session's formhash."""
        if doc.css_first("#um, #toptb, #lsform") is not None:
            self.session.user = pages.current_user(doc)
        self.session.formhash = pages.formhash(doc) or self.session.formhash

    async def _form(self, params: Mapping[str, str | int]) -> pages.Form:
        """The post form the forum hands out now (fresh formhash and ``posttime``)."""
        if self.session.user.is_guest:
            raise errors.LoginRequiredError()
        form = pages.post_form(await self._page(FORUM, params))
        if form is None or not form.action:
            raise errors.NotAForumError("The forum's post form could not be read.", server_key="post_form")
        self._post_seccode, self._post_secqaa = form.seccode_id, form.secqaa_id
        return form

    async def _submit(self, form: pages.Form, fields: list[tuple[str, str]]) -> pages.AjaxOutcome:
        """POST a form with ``inajax=1`` and read the answer; a refusal raises its error."""
        outcome = await submit_form(self.api, form.action, form.hidden, fields)
        if not outcome.succeeded:
            raise pages.error_for_text(outcome.message or "The forum refused the post.")
        return outcome

    # ----- editing (a web form on every site: the mobile API has none) --------------------------

    @staticmethod
    def _edit_params(thread_id: str, post_id: str) -> dict[str, str]:
        return {"mod": "post", "action": "edit", "tid": thread_id, "pid": post_id}

    async def post_source(self, thread_id: str, post_id: str) -> PostSource:
        """The edit form's text box and subject: the post as its author wrote it."""
        if self.session.user.is_guest:
            raise errors.LoginRequiredError("Log in to edit your posts.")
        doc = await self._page(FORUM, self._edit_params(thread_id, post_id))
        box = doc.css_first("form#postform textarea[name=message]")
        if box is None:
            raise errors.NotAForumError("The forum's edit form could not be read.", server_key="edit_form")
        subject = doc.css_first("form#postform input[name=subject]")
        return PostSource(
            text=box.text(deep=True), subject=(subject.attributes.get("value") or "") if subject else ""
        )

    async def edit_post(self, thread_id: str, post_id: str, text: str, *, subject: str = "") -> None:
        """Post the edit form back with the new text (``editsubmit=yes``)."""
        form = await self._form(self._edit_params(thread_id, post_id))
        await self._submit(
            form, [("subject", subject), ("message", text), ("wysiwyg", "0"), ("editsubmit", "yes")]
        )

    def _captcha_fields(
        self, captcha: CaptchaChallenge | None, answer: str, question_answer: str
    ) -> list[tuple[str, str]]:
        """The post form's answers: the picture's with the challenge's token, the question's with
        the slot it was asked for (a form's picture and question have slots of their own)."""
        if captcha is None:
            return []
        fields = []
        if captcha.image:
            fields += [("seccodehash", captcha.token), ("seccodemodid", "forum::post")]
            fields.append(("seccodeverify", answer))
        if question_answer:
            fields += [("secqaahash", self._asked_secqaa), ("secanswer", question_answer)]
        return fields

    # ----- reading ----------------------------------------------------------------------------

    async def probe(self) -> SiteInfo:
        """The site as its front page shows it; ``NotAForumError`` when that is no Discuz! page."""
        answer = await self.api.send("GET", FORUM)
        doc = pages.document(answer.text)
        if answer.status != 200 or not pages.is_discuz_page(doc):
            raise errors.NotAForumError(server_key=f"http_{answer.status}")
        self._absorb(doc)
        charset = (charset_of(answer.content_type, answer.body) or "utf-8").lower()
        self.api.charset = charset
        held = [cookie.name for cookie in self.api.client.cookies.jar if cookie.name.endswith("saltkey")]
        if held and not self.session.cookie_prefix:
            self.session.cookie_prefix = held[0].removesuffix("saltkey")
        return SiteInfo(
            base_url=self.session.site_url,
            name=pages.site_name(doc),
            version=pages.site_version(doc),
            charset=charset,
            api_enabled=False,
            language=site_language(
                pages.site_name(doc), *(group.name for group in pages.board_index(doc).groups)
            ),
        )

    async def board_index(self) -> BoardIndex:
        return pages.board_index(await self._page(FORUM))

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
        params = paged(page, mod="forumdisplay", fid=board_id) | list_filters(order, digest_only, type_id)
        return pages.thread_list(await self._page(FORUM, params), board_id, page)

    async def thread_page(
        self,
        thread_id: str,
        page: int = 1,
        *,
        author_id: str | None = None,
        reverse: bool = False,
        page_size: int | None = None,
    ) -> ThreadPage:
        params = paged(page, mod="viewthread", tid=thread_id) | thread_filters(author_id, reverse)
        result = pages.thread_page(
            await self._page(FORUM, params),
            thread_id,
            self.session.site_url,
            page=page,
            author_id=author_id,
            reverse=reverse,
            thread_url=self.session.thread_url(thread_id, page),
        )
        first = next((post for post in result.posts if post.is_first), None)
        if first is not None and not result.thread.author:
            result.thread.author, result.thread.author_id = first.author.name, first.author.id
        self.session.remember_posts(result.posts)
        return result

    async def smilies(self) -> dict[str, str]:
        return {}  # the built-in table knows the default set the pages link to

    # ----- log-in ---------------------------------------------------------------------------------

    async def _seccode(self, idhash: str) -> CaptchaChallenge:
        """The picture behind a form's ``span#seccode_<idhash>`` (asked for with a Referer)."""
        params = {"mod": "seccode", "update": random.randint(10000, 99999), "idhash": idhash}
        image = await self.api.send("GET", "misc.php", params=params, referer=self.session.site_url)
        if not image.content_type.startswith("image/"):
            raise errors.CaptchaRequiredError(
                "The forum wants a captcha but would not send its image.", server_key="seccode"
            )
        return CaptchaChallenge(token=idhash, image=image.body, image_url=image.url)

    async def captcha_for_login(self) -> CaptchaChallenge | None:
        """The log-in form's captcha, when the form carries a ``seccode`` slot."""
        form = pages.login_form(await self._page("member.php", _LOGIN_PAGE))
        if form is None or not form.seccode_id:
            return None
        return await self._seccode(form.seccode_id)

    async def _secqaa(self, idhash: str) -> str:
        """The question behind a form's ``span#secqaa_<idhash>`` (the script that fills the slot,
        asked for with a Referer like the picture)."""
        params = {"mod": "secqaa", "action": "update", "idhash": idhash}
        script = await self.api.send("GET", "misc.php", params=params, referer=self.session.site_url)
        question = pages.secqaa_question(script.text)
        if not question:
            raise errors.CaptchaRequiredError(
                "The forum asks a verification question but would not send it.", server_key="secqaa"
            )
        return question

    async def captcha_for_post(self) -> CaptchaChallenge | None:
        """The post form's captcha picture and verification question: known once a post form
        showed their slots (the forum refuses a post without them first), None before."""
        picture = await self._seccode(self._post_seccode) if self._post_seccode else None
        question = await self._secqaa(self._post_secqaa) if self._post_secqaa else ""
        self._asked_secqaa = self._post_secqaa if question else ""
        if picture is None:
            return CaptchaChallenge(self._post_secqaa, b"", "", question=question) if question else None
        picture.question = question
        return picture

    async def login(self, request: LoginRequest) -> CurrentUser:
        user = await self.session.web_login(request)
        if user is None:
            raise errors.NotAForumError("The forum's log-in form could not be read.", server_key="login_form")
        return user

    async def logout(self) -> None:
        if self.session.formhash and not self.session.user.is_guest:
            params = {**_LOGIN_PAGE, "action": "logout", "formhash": self.session.formhash}
            with contextlib.suppress(errors.NetworkError):  # forgetting the cookies logs out anyway
                await self.api.send("GET", "member.php", params=params)
        self.api.client.cookies.clear()
        self.session.user = CurrentUser()
        self.session.formhash = ""

    async def refresh_user(self) -> CurrentUser:
        await self._page(FORUM)
        return self.session.user

    # ----- writing ------------------------------------------------------------------------------

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
        params: dict[str, str | int] = {"mod": "post", "action": "reply", "tid": thread_id}
        if quote_post_id:
            params["repquote"] = quote_post_id
        form = await self._form(params)
        fields = [("wysiwyg", "0"), ("message", text), ("usesig", "1")]
        fields += self._captcha_fields(captcha, captcha_answer, question_answer)
        outcome = await self._submit(form, fields)
        return ReplyResult(thread_id=outcome.id_of("tid") or thread_id, post_id=outcome.id_of("pid"))

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
        form = await self._form({"mod": "post", "action": "newthread", "fid": board_id})
        fields = [("wysiwyg", "0"), ("subject", subject), ("message", text), ("usesig", "1")]
        if type_id:
            fields.append(("typeid", type_id))
        fields += self._captcha_fields(captcha, captcha_answer, question_answer)
        outcome = await self._submit(form, fields)
        return ReplyResult(thread_id=outcome.id_of("tid"), post_id=outcome.id_of("pid"))

    # ----- what only the mobile API offers --------------------------------------------------------

    async def vote(self, thread_id: str, board_id: str, option_ids: list[str]) -> None:
        """The poll form under the thread's first floor, sent with ``inajax=1``."""
        if self.session.user.is_guest:
            raise errors.LoginRequiredError()
        if not self.session.formhash:
            await self.refresh_user()
        action = f"forum.php?mod=misc&action=votepoll&fid={board_id}&tid={thread_id}&pollsubmit=yes"
        form = pages.Form(action=action, hidden=[("formhash", self.session.formhash)])
        await self._submit(form, [("pollanswers[]", option) for option in option_ids])

    async def add_favourite_thread(self, thread_id: str) -> None:
        raise _unavailable("favourites")

    async def add_favourite_board(self, board_id: str) -> None:
        raise _unavailable("favourites")

    async def favourite_threads(self, page: int = 1) -> Page[ThreadSummary]:
        raise _unavailable("favourites")

    async def my_threads(self, page: int = 1, *, replied: bool = False) -> Page[ThreadSummary]:
        raise _unavailable("your threads")

    async def profile(self, uid: str | None = None) -> Profile:
        raise _unavailable("member profiles")

    async def conversations(self, page: int = 1) -> Page[Conversation]:
        raise _unavailable("private messages")

    async def conversation(self, with_uid: str, page: int = 1) -> Page[PrivateMessage]:
        raise _unavailable("private messages")

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
        raise _unavailable("private messages")
