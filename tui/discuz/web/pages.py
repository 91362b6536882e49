"""Desktop pages of the default Discuz! X3.x template → ``tui.model``, by structure.

Everything is found by element ids, classes and form names the template has used since X2
(``category_N``, ``threadlisttableid``, ``normalthread_N``, ``postlist``, ``post_N``,
``postmessage_N``, ``authorposton_N``, ``form[name=login]``, ``form#postform``…), never by
wording, so translated templates read the same. Like the JSON readers, every function here
accepts missing or odd parts and never raises; a page that is not what was asked for
yields empty results, and ``message`` tells what the forum said instead.
"""

from __future__ import annotations

import html as html_lib
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from urllib.parse import parse_qs, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui import errors
from tui.discuz import web_rating
from tui.discuz.parse import number, optional_number, text
from tui.discuz.urls import resolve
from tui.model import (
    Attachment,
    AuthorCard,
    Board,
    BoardGroup,
    BoardIndex,
    CurrentUser,
    Poll,
    PollOption,
    Post,
    TargetKind,
    Thread,
    ThreadList,
    ThreadPage,
    ThreadSummary,
    Timestamp,
)

DEFAULT_POSTS_PER_PAGE = 10  # the X3.x default for the web pages (``ppp``)
DEFAULT_THREADS_PER_PAGE = 20  # the X3.x default (``tpp``)
# The first floors' names in the default language packs; later floors show a number.
_FLOOR_NAMES = {"楼主": 1, "沙发": 2, "板凳": 3, "地板": 4, "樓主": 1, "沙發": 2}
_ROW_ID = re.compile(r"^(stick|normal)thread_(\d+)$")
_POST_ID = re.compile(r"^post_(\d+)$")
_DIGITS = re.compile(r"\d+")
_LEADING_NUMBER = re.compile(r"^\s*\d+\.\s*")
# The script misc.php?mod=secqaa&action=update answers writes the question slot's HTML with the
# question as the string between the template's last two pieces: ``sectplcode[2] + '…' + sectplcode[3]``.
_SECQAA_QUESTION = re.compile(r"sectplcode\[2\]\s*\+\s*'((?:[^'\\]|\\.)*)'\s*\+\s*sectplcode\[3\]")
_JS_ESCAPE = re.compile(r"\\(.)")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_SUCCEED = re.compile(
    r"succeedhandle_\w*\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'((?:[^'\\]|\\.)*)'\s*(?:,\s*\{(.*?)\})?"
)
_MESSAGE_BOX = re.compile(r"<div class=\"alert_\w+\">(.*?)</div>", re.DOTALL)
_ERROR = re.compile(r"errorhandle_\w*\(\s*'((?:[^'\\]|\\.)*)'")
_JS_PAIR = re.compile(r"'(\w+)'\s*:\s*'((?:[^'\\]|\\.)*)'")
_PERCENT = re.compile(r"([\d.]+)%")
_PARENS_NUMBER = re.compile(r"\((\d+)\)")
_FULL_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])")
_GMT = re.compile(r"GMT\s*([+-])\s*(\d{1,2})(?:[:.](\d{2}))?")


def document(page: str) -> LexborHTMLParser:
    return LexborHTMLParser(page)


def _attr(node: LexborNode | None, name: str) -> str:
    return (node.attributes.get(name) or "") if node is not None else ""


def _text(node: LexborNode | None) -> str:
    return text(node.text(separator="")) if node is not None else ""


def _query(href: str) -> dict[str, str]:
    """A link's query as a flat dict (``&amp;`` already decoded by the HTML parser)."""
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def _id_in_link(node: LexborNode | None, name: str) -> str:
    """The ``name`` (uid, fid, tid…) a link carries, plain or rewritten (``forum-8-1.html``)."""
    href = _attr(node, "href")
    value = _query(href).get(name, "")
    if not value and href:
        target = resolve(urljoin("http://site/", href))
        wanted = {"fid": TargetKind.BOARD, "tid": TargetKind.THREAD}.get(name)
        if target.kind is wanted:
            value = target.id
    return value if value.isdigit() else ""


def _shown_time(node: LexborNode | None, zone: tzinfo | None = None) -> Timestamp | None:
    """A time as the page shows it; ``span[title]`` holds the full date behind "3 天前".

    A full date (to the minute) is exact once the forum's time zone is known."""
    if node is None:
        return None
    titled = node.css_first("span[title]")
    shown = _attr(titled, "title") or _text(node)
    shown = re.sub(r"^\D*(?=\d)", "", shown) if _DIGITS.search(shown) else shown  # "发表于 " prefix
    if not shown:
        return None
    found = _FULL_DATE.match(shown)
    if found:
        shown = found.group().strip()  # a cell's plain date is followed by who posted
    exact = None
    if found and zone is not None:
        year, month, day, hour, minute, second = (int(part or 0) for part in found.groups())
        try:
            exact = datetime(year, month, day, hour, minute, second, tzinfo=zone)
        except ValueError:
            exact = None
    return Timestamp(text=shown, exact=exact)


def forum_zone(doc: LexborHTMLParser) -> timezone | None:
    """The forum's time zone, from the footer's "GMT+8, 2026-11-28 18:59"."""
    found = _GMT.search(_text(doc.css_first("#ft p.xs0")))
    if found is None:
        return None
    sign = -1 if found.group(1) == "-" else 1
    hours, minutes = int(found.group(2)), int(found.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def formhash(doc: LexborHTMLParser) -> str:
    """The session's form token, from any form on the page."""
    return _attr(doc.css_first("input[name=formhash]"), "value")


def message(doc: LexborHTMLParser) -> str:
    """What a ``showmessage`` page (提示信息) says, or "" for any other page."""
    return _text(doc.css_first("#messagetext p")) or _text(doc.css_first("#messagetext"))


def message_error(doc: LexborHTMLParser) -> errors.ForumError | None:
    """The typed error a message page stands for; None when the page is not one."""
    said = message(doc)
    if not said:
        return None
    if doc.css_first("#messagelogin") is not None or doc.css_first("#messagetext form[name=login]"):
        return errors.LoginRequiredError(said, server_key="to_login")
    return error_for_text(said)


def error_for_text(said: str) -> errors.ForumError:
    """A forum's own sentence (web pages and AJAX answers only give words) as a typed error."""
    if re.search(r"关闭|關閉|closed", said, re.IGNORECASE):
        return errors.ThreadClosedError(said, server_key="post_thread_closed")
    if re.search(r"登录|登錄|log ?in", said, re.IGNORECASE):
        return errors.LoginRequiredError(said, server_key="to_login")
    if re.search(r"不存在|已被删除|已被刪除|not exist", said, re.IGNORECASE):
        return errors.NotFoundError(said, server_key="nonexistence")
    if re.search(r"验证码|驗證碼|验证问答|驗證問答|seccode|secqaa", said, re.IGNORECASE):
        return errors.CaptchaWrongError(said, server_key="submit_seccode_invalid")
    if re.search(r"灌水|间隔|間隔|\d+\s*秒|flood", said, re.IGNORECASE):
        seconds = _DIGITS.search(said)
        return errors.FloodControlError(
            said, server_key="post_flood_ctrl", seconds=int(seconds.group()) if seconds else None
        )
    if re.search(r"字符|字元|字数|字數|长度|長度", said):
        if re.search(r"超过|超過|多于|多於|大于|大於", said):
            return errors.MessageTooLongError(said, server_key="post_message_toolong")
        return errors.MessageTooShortError(said, server_key="post_message_tooshort")
    if re.search(r"标题|標題|subject", said, re.IGNORECASE):
        return errors.SubjectRequiredError(said, server_key="post_sm_isnull")
    if re.search(r"已经投过|已經投過|already voted", said, re.IGNORECASE):
        return errors.AlreadyDoneError(said, server_key="thread_poll_voted")
    if re.search(r"权限|權限|permission", said, re.IGNORECASE):
        return errors.PermissionDeniedError(said, server_key="nopermission")
    return errors.ForumError(said, server_key="web_message")


def current_user(doc: LexborHTMLParser) -> CurrentUser:
    """Who the page was served to: the header's member link, or a guest."""
    member = doc.css_first("strong.vwmy a")
    uid = _id_in_link(member, "uid")
    if not uid:
        return CurrentUser()
    prompt = _PARENS_NUMBER.search(_text(doc.css_first("#myprompt")))
    pms = "new" in _attr(doc.css_first("#pm_ntc"), "class").split()
    return CurrentUser(
        uid=uid,
        username=_text(member),
        unread_notices=int(prompt.group(1)) if prompt else 0,
        unread_pms=1 if pms else 0,  # the header marks new messages without counting them
    )


def site_name(doc: LexborHTMLParser) -> str:
    return _text(doc.css_first("#pt a.nvhm")) or _text(doc.css_first("#flk strong a"))


def site_version(doc: LexborHTMLParser) -> str:
    return _text(doc.css_first("#frt em"))


def is_discuz_page(doc: LexborHTMLParser) -> bool:
    """Whether a page comes from a Discuz! X desktop template (the header and its forms)."""
    return bool(formhash(doc)) and doc.css_first("#hd, #toptb, #ct, #wp") is not None


def page_count(doc: LexborHTMLParser, current: int = 1) -> tuple[int, int]:
    """(this page, number of pages) from the ``div.pg`` pager; (current, current) without one."""
    pager = doc.css_first("div.pg")
    if pager is None:
        return current, current
    shown = [optional_number(_text(node).strip(". ")) for node in pager.css("a, strong")]
    found = _DIGITS.search(
        _attr(pager.css_first("label span[title]"), "title") or _text(pager.css_first("label"))
    )
    total = int(found.group()) if found else 0
    here = optional_number(_text(pager.css_first("strong"))) or current
    pages = max([here, total, *(value for value in shown if value)])
    return here, pages


# ----- the board list (forum.php) -------------------------------------------------------------


def _board(link: LexborNode, parent_id: str | None, zone: tzinfo | None) -> Board:
    """A board from its name link and the table row (or grid cell) around it."""
    board_id = _id_in_link(link, "fid")
    cell = link.parent
    while cell is not None and cell.tag not in ("tr", "td", "dl"):
        cell = cell.parent
    row = cell.parent if cell is not None and cell.tag == "td" else cell
    stats = row.css_first("td.fl_i") if row is not None else None
    threads = optional_number(_text(stats.css_first("span.xi2"))) if stats is not None else None
    posts = _DIGITS.search(_text(stats.css_first("span.xg1"))) if stats is not None else None
    today = _PARENS_NUMBER.search(_text(link.parent.css_first("em"))) if link.parent is not None else None
    description = row.css_first("p.xg2") if row is not None else None
    last = row.css_first("td.fl_by cite") if row is not None else None
    # A site that lists sub-boards on its index (``subforumsindex``) puts their links in a line
    # of their own under the board's name: "子版块: <a>…</a>, <a>…</a>".
    subboards = [
        Board(id=_id_in_link(sub, "fid"), name=_text(sub), parent_id=board_id)
        for sub in (row.css("td > p:not(.xg2) a") if row is not None else [])
        if _id_in_link(sub, "fid") not in ("", board_id)
    ]
    return Board(
        id=board_id,
        name=_text(link),
        description=_text(description),
        threads=threads,
        posts=int(posts.group()) if posts else None,
        today_posts=int(today.group(1)) if today else None,
        parent_id=parent_id,
        last_post=_shown_time(last, zone),
        subboards=subboards,
    )


def board_index(doc: LexborHTMLParser) -> BoardIndex:
    """The board groups (``div#category_N``) and their boards, as forum.php lists them."""
    zone = forum_zone(doc)
    groups = []
    for block in doc.css("div[id^=category_]"):
        group_id = block.attributes.get("id", "").removeprefix("category_")
        if not group_id.isdigit():
            continue
        header = block.parent.css_first("div.bm_h h2") if block.parent is not None else None
        boards = [
            _board(link, group_id, zone) for link in block.css("h2 a, dt a") if _id_in_link(link, "fid")
        ]
        groups.append(BoardGroup(id=group_id, name=_text(header), boards=boards))
    return BoardIndex(groups=groups, user=current_user(doc))


# ----- a board's thread list (forum.php?mod=forumdisplay) -------------------------------------


def _marks(row: LexborNode) -> dict[str, object]:
    """Sticky level, digest level, closed and poll from a row's icons (classes and file names)."""
    icons = " ".join(
        _attr(node, "class") + " " + _attr(node, "src")
        for node in row.css("td.icn i, td.icn img, th img, th i")
    )
    sticky = 0
    found = re.search(r"tpin(\d)|pin_(\d)", icons)
    if found:
        sticky = int(found.group(1) or found.group(2))
    elif _attr(row, "id").startswith("stickthread_"):
        sticky = 1
    digest_label = row.css_first("span.tdigest")
    digest = 0
    if digest_label is not None:
        digest = number(
            _DIGITS.search(_text(digest_label)).group() if _DIGITS.search(_text(digest_label)) else 1
        )
    elif found_digest := re.search(r"digest_(\d)", icons):
        digest = int(found_digest.group(1))
    return {
        "sticky": min(sticky, 3),
        "digest": digest,
        "closed": bool(re.search(r"lock", icons)),
        "poll": bool(re.search(r"vote|poll", icons)),
        "has_image": bool(re.search(r"fico-image|image_s", icons)),
        "has_attachment": bool(re.search(r"fico-attach|attachicon|common\.gif", icons)),
    }


def _thread_row(row: LexborNode, board_id: str, zone: tzinfo | None) -> ThreadSummary | None:
    found = _ROW_ID.match(_attr(row, "id"))
    subject = row.css_first("a.xst")
    if found is None or subject is None:
        return None
    authors = row.css("td.by")
    starter = authors[0] if authors else None
    latest = authors[1] if len(authors) > 1 else None
    counts = row.css_first("td.num")
    starter_link = starter.css_first("cite a") if starter is not None else None
    heading = row.css_first("th")
    return ThreadSummary(
        id=found.group(2),
        subject=_text(subject),
        author=_text(starter_link) or _text(starter.css_first("cite") if starter is not None else None),
        author_id=_id_in_link(starter_link, "uid"),
        board_id=board_id,
        replies=number(_text(counts.css_first("a")) if counts is not None else 0),
        views=number(_text(counts.css_first("em")) if counts is not None else 0),
        created=_shown_time(starter.css_first("em") if starter is not None else None, zone),
        last_reply=_shown_time(latest.css_first("em") if latest is not None else None, zone),
        last_poster=_text(latest.css_first("cite") if latest is not None else None),
        highlighted="color" in _attr(subject, "style"),
        thread_type=_text(heading.css_first("em a") if heading is not None else None).strip("[]"),
        is_new="new" in _attr(heading, "class").split(),
        **_marks(row),  # type: ignore[arg-type]
    )


def thread_list(doc: LexborHTMLParser, board_id: str, page: int = 1) -> ThreadList:
    """A page of a board's threads (``tbody#stickthread_N`` / ``#normalthread_N`` rows)."""
    rows = doc.css("#threadlisttableid tbody") or doc.css("tbody[id$=thread_]")
    zone = forum_zone(doc)
    threads = [summary for row in rows if (summary := _thread_row(row, board_id, zone)) is not None]
    here, pages = page_count(doc, page)
    title = doc.css_first("#ct h1 a") or doc.css_first("h1.xs2 a")
    links = doc.css("div[id^=subforum_] h2 a")
    subboards = [_board(link, board_id, zone) for link in links if _id_in_link(link, "fid")]
    normal = sum(1 for summary in threads if not summary.sticky)
    page_size = normal if here < pages and normal else DEFAULT_THREADS_PER_PAGE
    return ThreadList(
        board=Board(id=board_id, name=_text(title), subboards=subboards),
        threads=threads,
        page=here,
        pages=pages,
        page_size=page_size,
        subboards=subboards,
        user=current_user(doc),
        marks_closed=True,
    )


# ----- a thread page (forum.php?mod=viewthread) ------------------------------------------------


def _floor(node: LexborNode | None) -> int | None:
    """The floor a ``postnum`` link shows: a number in ``<em>``, or one of the first floors' names."""
    if node is None:
        return None
    shown = _text(node.css_first("em")) or _text(node)
    return optional_number(shown) or _FLOOR_NAMES.get(shown)


def _author(post: LexborNode, pid: str) -> AuthorCard:
    card = post.css_first(f"#favatar{pid}") or post
    link = card.css_first(".authi a")
    counts = [optional_number(_text(node)) for node in card.css(".tns p")]
    group = card.css_first("a[href*=usergroup]")
    return AuthorCard(
        id=_id_in_link(link, "uid") or "0",
        name=_text(link) or _text(card.css_first(".authi")),
        group=_text(group),
        threads=counts[0] if counts else None,
        posts=counts[1] if len(counts) > 1 else None,
        credits=counts[2] if len(counts) > 2 else None,
        avatar_url=_attr(card.css_first(".avatar img"), "src"),
    )


def _attachments(post: LexborNode, base_url: str) -> list[Attachment]:
    """Attached files: images (``img[aid]``) and download links, inline (``span#attach_N``) or
    in the list below the floor (``p.attnm``)."""
    found: dict[str, Attachment] = {}
    for image in post.css("img[aid]"):
        aid = _attr(image, "aid")
        url = _attr(image, "zoomfile") or _attr(image, "file") or _attr(image, "src")
        found.setdefault(
            aid,
            Attachment(
                id=aid,
                name=_attr(image, "alt") or _attr(image, "title"),
                url=urljoin(base_url, url),
                is_image=True,
            ),
        )
    for link in post.css("span[id^=attach_] a, p.attnm a"):
        holder = link.parent if link.parent is not None and link.parent.tag == "span" else None
        numbered = _attr(link, "id").removeprefix("aid")  # the href may carry an encoded aid
        aid = _attr(holder, "id").removeprefix("attach_") or (numbered if numbered.isdigit() else "")
        aid = aid or _query(_attr(link, "href")).get("aid", "")
        if aid and aid not in found:
            found[aid] = Attachment(id=aid, name=_text(link), url=urljoin(base_url, _attr(link, "href")))
    return list(found.values())


def _poll(doc: LexborNode, user: CurrentUser) -> Poll | None:
    """The poll form under the first floor; the page has no "you voted" mark, so a member who
    may not vote has most likely voted (as with the API)."""
    form = doc.css_first("form#poll")
    if form is None:
        return None
    options = []
    for index, row in enumerate(form.css("tr.ptl"), start=1):
        label = row.css_first("label")
        target = _attr(label, "for")
        choice = form.css_first(f"input#{target}") if target else None
        result = _text(row.css_first("td.pvts"))
        percent = _PERCENT.search(result)
        votes = _PARENS_NUMBER.search(result)
        options.append(
            PollOption(
                id=_attr(choice, "value") or str(index),
                text=_LEADING_NUMBER.sub("", _text(label)),
                votes=int(votes.group(1)) if votes else 0,
                percent=float(percent.group(1)) if percent else 0.0,
            )
        )
    summary = _text(form.css_first(".pinf"))
    numbers = [int(value) for value in _DIGITS.findall(summary)]
    choices = form.css("input[name='pollanswers[]']")
    multiple = any(_attr(choice, "type") == "checkbox" for choice in choices)
    return Poll(
        options=options,
        max_choices=max(numbers[0], 1) if multiple and len(numbers) > 1 else 1,
        voters=numbers[-1] if numbers else 0,
        multiple=multiple,
        can_vote=bool(choices),
        voted=not choices and not user.is_guest,
        results_visible=any(option.votes or option.percent for option in options),
    )


def is_closed_thread(doc: LexborHTMLParser) -> bool:
    """The lock icon the default template puts beside the subject of a closed thread (the icon
    font's ``fico-lock`` since X3.5, a ``lock`` picture before)."""
    marks = doc.css("#postlist td.vwthd > .xg1 i, #postlist td.vwthd > .xg1 img")
    return any(re.search(r"\block", _attr(mark, "class") + " " + _attr(mark, "src")) for mark in marks)


def _thread_header(doc: LexborHTMLParser, thread_id: str, thread_url: str) -> Thread:
    counts = [optional_number(_text(node)) for node in doc.css("#postlist td.pls .hm span.xi1")]
    crumbs = [link for link in doc.css("#pt a") if _id_in_link(link, "fid")]
    reply_form = doc.css_first("#fastpostform, #postform")
    board_id = (
        _id_in_link(crumbs[-1], "fid") if crumbs else _query(_attr(reply_form, "action")).get("fid", "")
    )
    return Thread(
        id=thread_id,
        subject=_text(doc.css_first("#thread_subject")),
        board_id=board_id,
        closed=is_closed_thread(doc),
        views=counts[0] or 0 if counts else 0,
        replies=(counts[1] or 0) if len(counts) > 1 else 0,
        url=thread_url,
    )


def thread_page(
    doc: LexborHTMLParser,
    thread_id: str,
    base_url: str,
    *,
    page: int = 1,
    author_id: str | None = None,
    reverse: bool = False,
    thread_url: str = "",
) -> ThreadPage:
    """A page of floors: each ``div#post_N`` in ``#postlist`` with its author card and body."""
    here, pages = page_count(doc, page)
    user, zone = current_user(doc), forum_zone(doc)
    header = _thread_header(doc, thread_id, thread_url)
    blocks = [node for node in doc.css("#postlist > div") if _POST_ID.match(_attr(node, "id"))]
    posts: list[Post] = []
    for block in blocks:
        pid = _attr(block, "id").removeprefix("post_")
        body = block.css_first(f"#postmessage_{pid}")
        extra = block.css_first(".pattl")
        floor = _floor(block.css_first(f"#postnum{pid}")) or 0
        posts.append(
            Post(
                id=pid,
                thread_id=thread_id,
                floor=floor,
                author=_author(block, pid),
                html=(body.inner_html if body is not None else "")
                + (extra.html or "" if extra is not None else ""),
                time=_shown_time(block.css_first(f"#authorposton{pid}"), zone) or Timestamp(text=""),
                is_first=floor == 1,
                attachments=_attachments(block, base_url),
                base_url=base_url,
                ratings=web_rating.floor_ratings(block, pid),
            )
        )
    page_size = DEFAULT_POSTS_PER_PAGE
    if here < pages and posts:
        page_size = len(posts)
    elif here > 1 and posts and posts[0].floor > 1 and not reverse and not author_id:
        page_size = (posts[0].floor - 1) // (here - 1) or DEFAULT_POSTS_PER_PAGE
    if not author_id and header.replies and not reverse:
        pages = max(pages, math.ceil((header.replies + 1) / page_size))
    return ThreadPage(
        thread=header,
        posts=posts,
        page=here,
        pages=pages,
        page_size=page_size,
        poll=_poll(doc.root, user) if doc.root is not None else None,
        only_author_id=author_id,
        reverse=reverse,
        user=user,
        time_zone=zone,
    )


# ----- forms and AJAX answers ---------------------------------------------------------------


@dataclass(slots=True)
class Form:
    """A form to post back: where to, what a browser sends of it unchanged (hidden fields and
    ticked boxes, such as an edited post's "show my signature"), and any captcha or question."""

    action: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    seccode_id: str = ""  # ``span#seccode_<id>``: the form wants a captcha answer
    secqaa_id: str = ""  # ``span#secqaa_<id>``: the form wants a question answered

    def value(self, name: str) -> str:
        return next((value for key, value in self.hidden if key == name), "")


def _form(node: LexborNode | None) -> Form | None:
    if node is None:
        return None
    hidden = [
        (_attr(field_node, "name"), _attr(field_node, "value"))
        for field_node in node.css("input[type=hidden]")
        if _attr(field_node, "name")
    ]
    hidden += [
        (_attr(box, "name"), _attr(box, "value") or "on")
        for box in node.css("input[type=checkbox][checked]")
        if _attr(box, "name") and "disabled" not in box.attributes
    ]
    seccode = node.css_first("span[id^=seccode_]")
    secqaa = node.css_first("span[id^=secqaa_]")
    return Form(
        action=html_lib.unescape(_attr(node, "action")),
        hidden=hidden,
        seccode_id=_attr(seccode, "id").removeprefix("seccode_"),
        secqaa_id=_attr(secqaa, "id").removeprefix("secqaa_"),
    )


def secqaa_question(script: str) -> str:
    """The verification question in the script that fills a form's ``span#secqaa_<id>``, as
    text (it may be HTML), or "" when the script holds none."""
    found = _SECQAA_QUESTION.search(script)
    return text(_JS_ESCAPE.sub(r"\1", found.group(1))) if found else ""


def login_form(doc: LexborHTMLParser) -> Form | None:
    """The log-in form (``form[name=login]``), on its page or in the AJAX pop-up."""
    return _form(doc.css_first("form[name=login]"))


def post_form(doc: LexborHTMLParser) -> Form | None:
    """The full post form (``form#postform``), else the quick reply under a thread."""
    return _form(doc.css_first("form#postform") or doc.css_first("form#fastpostform"))


def ajax_html(answer: str) -> str:
    """The HTML an ``inajax=1`` XML answer carries in its CDATA ("" when it has none)."""
    return " ".join(_CDATA.findall(answer))


@dataclass(slots=True)
class AjaxOutcome:
    """What an ``inajax=1`` answer said: its words, and the success call's URL and values."""

    succeeded: bool
    message: str = ""
    url: str = ""
    values: dict[str, str] = field(default_factory=dict)

    def id_of(self, name: str) -> str:
        """``tid``/``pid`` from the success values, else from the URL it sends the browser to."""
        value = self.values.get(name, "")
        if not value and self.url:
            value = _query(self.url).get(name, "")
            if not value and name == "pid":
                found = re.search(r"#pid(\d+)", self.url)
                value = found.group(1) if found else ""
            if not value and name == "tid":
                target = resolve(urljoin("http://site/", self.url))
                value = target.id if target.kind is TargetKind.THREAD else target.thread_id
        return value if value.isdigit() else ""


def ajax_outcome(answer: str) -> AjaxOutcome:
    """Read an ``inajax`` answer: a ``succeedhandle_`` call, or the error words and ``errorhandle_``.

    An answer with neither words nor an error call is a success whose script was not sent. A
    GET's answer draws its words in a message box (``div.alert_*``) under a "提示信息" title
    and above a "确定" button: only the box's words count then.
    """
    body = ajax_html(answer) or answer
    scripts = " ".join(_SCRIPT.findall(body))
    said = text(_SCRIPT.sub("", body))
    boxed = [text(_SCRIPT.sub("", found)) for found in _MESSAGE_BOX.findall(body)]
    said = next((words for words in boxed if words), said)
    if succeeded := _SUCCEED.search(scripts):
        values = {key: value for key, value in _JS_PAIR.findall(succeeded.group(3) or "")}
        return AjaxOutcome(
            True, text(succeeded.group(2)) or said, html_lib.unescape(succeeded.group(1)), values
        )
    if failed := _ERROR.search(scripts):
        return AjaxOutcome(False, said or text(failed.group(1)))
    return AjaxOutcome(not said, said)
