"""Mobile-API JSON → ``tui.model``, leniently.

Discuz! sends every number as a string, field sets differ between API versions and
modules, and display dates are pre-formatted (often relative: ``3&nbsp;小时前``). So every
reader here accepts missing or odd fields, ignores unknown ones and never raises: a
missing count is ``None`` (or 0 where the model wants an int). Exact times come from the
raw epoch fields (``dbdateline``, ``dblastpost``) when the answer has them.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from tui import errors, model
from tui.content.sanitize import clean_text
from tui.content.smilies import builtin_smiley
from tui.model import CurrentUser, Timestamp
from tui.times import exact_text, site_language

# The model's later parts load with their first use, not with the engine: their classes are
# named ``model.Board``, ``model.Post`` and so on where they are built.
if TYPE_CHECKING:
    from tui.model import (
        Attachment,
        AuthorCard,
        Board,
        BoardIndex,
        Conversation,
        Notice,
        NoticeKind,
        Page,
        Poll,
        Post,
        PrivateMessage,
        Profile,
        SiteInfo,
        Thread,
        ThreadList,
        ThreadPage,
        ThreadSummary,
        ThreadType,
    )

_TAG = re.compile(r"<[^>]*>")
_EPOCH = re.compile(r"^\d{9,11}$")
_EXACT_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?$")
PHONE_STATUS_BIT = 8  # post status bit 4: sent through the mobile client (the web's 来自手机)


def text(value: Any) -> str:
    """A plain-text field: entities decoded, tags removed, and made terminal-safe the same way
    as post bodies (whole escape sequences and bidi overrides go, not just their ESC byte)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    return clean_text(html.unescape(_TAG.sub("", str(value))).replace("\xa0", " ")).strip()


def text_outside_quotes(post_html: str) -> str:
    """A floor's own words as plain text: every quote block it holds (nested ones with it) is
    left out, found by the HTML parser rather than by pattern, so a quote inside a quote
    cannot cut the outer one short."""
    from selectolax.lexbor import LexborHTMLParser  # loads with the first quote, not the engine

    tree = LexborHTMLParser(post_html)
    while (quote := tree.css_first("div.quote")) is not None:
        quote.decompose()
    body = tree.body
    return text(body.html if body is not None else "")


def number(value: Any, default: int = 0) -> int:
    found = optional_number(value)
    return default if found is None else found


def optional_number(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        try:
            return int(float(str(value)))
        except (TypeError, ValueError):
            return None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _rows(value: Any) -> list[Mapping[str, Any]]:
    """A list of objects whether PHP sent a JSON list or an object keyed by id."""
    items = value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else []
    return [item for item in items if isinstance(item, Mapping)]


def timestamp(display: Any, epoch: Any = None) -> Timestamp | None:
    """A ``Timestamp`` from display text and, when given, a raw epoch."""
    shown = text(display)
    raw = str(epoch).strip() if epoch not in (None, "", "0") else ""
    if not raw and _EPOCH.match(shown):
        raw = shown
    exact = datetime.fromtimestamp(int(raw), tz=UTC) if _EPOCH.match(raw) else None
    if exact and (not shown or shown == raw):
        shown = exact_text(exact)
    if not shown and exact is None:
        return None
    return Timestamp(text=shown, exact=exact)


def current_user(variables: Mapping[str, Any]) -> CurrentUser:
    notice = _mapping(variables.get("notice"))
    return CurrentUser(
        uid=text(variables.get("member_uid")) or "0",
        username=text(variables.get("member_username")),
        group_id=text(variables.get("groupid")),
        unread_notices=number(notice.get("newprompt")),  # newmypost is a (non-new) category count
        unread_pms=number(notice.get("newpm")),
    )


def site_info(base_url: str, check: Mapping[str, Any]) -> SiteInfo:
    """What ``module=check`` says about the site."""
    return model.SiteInfo(
        base_url=base_url,
        name=text(check.get("sitename")),
        version=text(check.get("truediscuzversion") or check.get("discuzversion")),
        charset=text(check.get("charset")).lower() or "utf-8",
        api_enabled=True,
        language=site_language(text(check.get("sitename"))),
    )


NEWEST_API_VERSION = 4


def api_version(check: Mapping[str, Any]) -> int:
    """The API version to ask for: what ``module=check`` offers (X3.2/X3.4 plugins offer less), at most 4."""
    offered = number(check.get("version"), NEWEST_API_VERSION)
    return min(max(offered, 1), NEWEST_API_VERSION)


def _board(row: Mapping[str, Any], parent_id: str | None = None) -> Board:
    board_id = text(row.get("fid"))
    return model.Board(
        id=board_id,
        name=text(row.get("name")),
        description=text(row.get("description")),
        threads=optional_number(row.get("threads")),
        posts=optional_number(row.get("posts")),
        today_posts=optional_number(row.get("todayposts")),
        parent_id=parent_id or (text(row.get("fup")) or None),
        subboards=[_board(sub, board_id) for sub in _rows(row.get("sublist"))],
    )


def board_index(variables: Mapping[str, Any]) -> BoardIndex:
    boards = {board.id: board for board in map(_board, _rows(variables.get("forumlist")))}
    groups = []
    for category in _rows(variables.get("catlist")):
        group_id = text(category.get("fid"))
        members = category.get("forums") if isinstance(category.get("forums"), list) else []
        chosen = [boards.pop(str(fid)) for fid in members if str(fid) in boards]
        for board in chosen:
            board.parent_id = group_id
        groups.append(model.BoardGroup(id=group_id, name=text(category.get("name")), boards=chosen))
    if boards:  # boards no category listed: keep them reachable
        groups.append(model.BoardGroup(id="", name="", boards=list(boards.values())))
    return model.BoardIndex(groups=groups, user=current_user(variables))


def sticky_level(row: Mapping[str, Any]) -> int:
    """Discuz!'s pin level from ``displayorder``: 1 this board, 2 its group, 3 the whole site.

    Negative values mark threads in moderation or the recycle bin: not pins.
    """
    level = number(row.get("displayorder"))
    return level if 0 < level <= 3 else 0


def thread_summary(row: Mapping[str, Any], board_id: str = "") -> ThreadSummary:
    image_count = number(row.get("attachmentImageNumber"))
    return model.ThreadSummary(
        id=text(row.get("tid") or row.get("id")),
        subject=text(row.get("subject") or row.get("title")),
        author=text(row.get("author")),
        author_id=text(row.get("authorid")),
        board_id=text(row.get("fid")) or board_id,
        replies=number(row.get("replies")),
        views=number(row.get("views")),
        created=timestamp(row.get("dateline"), row.get("dbdateline")),
        last_reply=timestamp(row.get("lastpost"), row.get("dblastpost")),
        last_poster=text(row.get("lastposter")),
        sticky=sticky_level(row),
        digest=max(number(row.get("digest")), 0),
        closed=number(row.get("closed")) == 1,
        poll=number(row.get("special")) == 1,
        has_attachment=number(row.get("attachment")) > 0,
        has_image=number(row.get("attachment")) == 2 or image_count > 0,
        highlighted=number(row.get("highlight")) > 0,
        thread_type=text(row.get("typename")),
        is_new=number(row.get("new")) > 0,
    )


def _thread_types(variables: Mapping[str, Any]) -> list[ThreadType]:
    types = _mapping(_mapping(variables.get("threadtypes")).get("types"))
    return [model.ThreadType(id=str(type_id), name=text(name)) for type_id, name in types.items()]


def thread_list(variables: Mapping[str, Any], board_id: str) -> ThreadList:
    forum = _mapping(variables.get("forum"))
    board = _board(forum) if forum.get("fid") else model.Board(id=board_id, name="")
    page_size = number(variables.get("tpp"), 20) or 20
    total = optional_number(forum.get("threadcount"))
    if total is None:
        total = board.threads
    types = {item.id: item.name for item in _thread_types(variables)}
    threads = []
    for row in _rows(variables.get("forum_threadlist")):
        summary = thread_summary(row, board.id)
        summary.thread_type = summary.thread_type or types.get(text(row.get("typeid")), "")
        threads.append(summary)
    pages = max(1, math.ceil((total or 0) / page_size))
    page = number(variables.get("page"), 1) or 1
    return model.ThreadList(
        board=board,
        threads=threads,
        page=page if page <= pages else 1,  # past the end the forum serves the first page
        pages=pages,
        page_size=page_size,
        total=total,
        subboards=[_board(sub, board.id) for sub in _rows(variables.get("sublist"))],
        thread_types=_thread_types(variables),
        user=current_user(variables),
    )


def _attachment_file(item: Mapping[str, Any], base_url: str) -> str:
    """The absolute URL of an attachment's file (an image shows it; others link the download)."""
    return urljoin(base_url, text(item.get("url")) + text(item.get("attachment")))


def attachments(post: Mapping[str, Any], base_url: str) -> list[Attachment]:
    """A post's attachments with absolute URLs (images link the file, others the download)."""
    found = []
    for item in _rows(post.get("attachments")):
        aid = text(item.get("aid"))
        is_image = number(item.get("isimage")) != 0 or number(item.get("attachimg")) != 0
        file_url = _attachment_file(item, base_url)
        encoded = text(item.get("aidencode"))
        download = urljoin(base_url, f"forum.php?mod=attachment&aid={encoded}") if encoded else file_url
        found.append(
            model.Attachment(
                id=aid,
                name=text(item.get("filename")),
                url=file_url if is_image else download,
                size=text(item.get("attachsize")),
                downloads=optional_number(item.get("downloads")),
                is_image=is_image,
                thumbnail_url=file_url + ".thumb.jpg" if number(item.get("thumb")) else "",
            )
        )
    return found


def avatar_url(variables: Mapping[str, Any], uid: str) -> str:
    """A user's avatar, built from the viewer's own ``member_avatar`` URL (same UCenter)."""
    own = text(variables.get("member_avatar"))
    return re.sub(r"([?&]uid=)\d+", lambda found: found.group(1) + uid, own) if own and uid else ""


def _author(row: Mapping[str, Any], group_titles: Mapping[str, str], avatar: str = "") -> AuthorCard:
    uid = text(row.get("authorid"))
    return model.AuthorCard(
        id=uid,
        name=text(row.get("author") or row.get("username")),
        group=text(row.get("authortitle") or row.get("grouptitle"))
        or group_titles.get(text(row.get("groupid")), ""),
        threads=optional_number(row.get("threads")),
        posts=optional_number(row.get("posts")),
        credits=optional_number(row.get("credits")),
        avatar_url=text(row.get("avatar")) or avatar,
    )


def _group_titles(variables: Mapping[str, Any]) -> dict[str, str]:
    """groupid → title, from whatever group facts the answer carries."""
    titles = {}
    group = _mapping(variables.get("group"))
    if group.get("groupid") and group.get("grouptitle"):
        titles[text(group["groupid"])] = text(group["grouptitle"])
    return titles


def poll(variables: Mapping[str, Any], user: CurrentUser) -> Poll | None:
    data = _mapping(variables.get("special_poll"))
    if not data:
        return None
    options = [
        model.PollOption(
            id=text(row.get("polloptionid")),
            text=text(row.get("polloption")),
            votes=number(row.get("votes")),
            percent=float_or_none(row.get("percent")) or 0.0,
        )
        for row in _rows(data.get("polloptions"))
    ]
    can_vote = number(data.get("allowvote")) == 1
    return model.Poll(
        options=options,
        max_choices=max(number(data.get("maxchoices"), 1), 1),
        voters=number(data.get("voterscount")),
        multiple=number(data.get("multiple")) == 1,
        expires=timestamp("", data.get("expirations")) if number(data.get("expirations")) else None,
        can_vote=can_vote,
        # The answer has no "you voted" flag: a member who may not vote has most likely voted.
        voted=not can_vote and not user.is_guest,
        results_visible=True,
    )


def float_or_none(value: Any) -> float | None:
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return None


def post(
    row: Mapping[str, Any],
    base_url: str,
    group_titles: Mapping[str, str],
    message_html: str | None = None,
    avatar: str = "",
) -> Post:
    """One floor; ``message_html`` overrides the row's message (see ``session`` on v1 bodies)."""
    return model.Post(
        id=text(row.get("pid")),
        thread_id=text(row.get("tid")),
        floor=number(row.get("position") or row.get("number")),
        author=_author(row, group_titles, avatar),
        html=str(row.get("message") or "") if message_html is None else message_html,
        time=timestamp(row.get("dateline"), row.get("dbdateline")) or Timestamp(text=""),
        is_first=number(row.get("first")) == 1,
        attachments=attachments(row, base_url),
        base_url=base_url,
        from_phone=bool(number(row.get("status")) & PHONE_STATUS_BIT),
    )


def _shown_offset(display: Any, epoch: Any) -> timedelta | None:
    """How far the forum's clock is from UTC, when ``display`` is an exact 'Y-n-j H:i[:s]' of ``epoch``."""
    found = _EXACT_DATE.match(text(display))
    raw = str(epoch or "").strip()
    if not found or not _EPOCH.match(raw):
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in found.groups())
    try:
        shown = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    minutes = (shown - datetime.fromtimestamp(int(raw), UTC).replace(tzinfo=None)).total_seconds() / 60
    quarters = round(minutes / 15)  # a date without seconds lags by less than a minute
    return timedelta(minutes=15 * quarters) if abs(quarters) <= 14 * 4 else None


def forum_time_zone(rows: list[Mapping[str, Any]]) -> timezone | None:
    """The forum's time zone, read off the first row that shows an exact date beside its epoch."""
    for row in rows:
        offset = _shown_offset(row.get("dateline"), row.get("dbdateline"))
        if offset is not None:
            return timezone(offset)
    return None


def thread(variables: Mapping[str, Any], thread_url: str = "") -> Thread:
    row = _mapping(variables.get("thread"))
    return model.Thread(
        id=text(row.get("tid")),
        subject=text(row.get("subject")),
        board_id=text(row.get("fid") or variables.get("fid")),
        author=text(row.get("author")),
        author_id=text(row.get("authorid")),
        # ``replies`` counts only one author's posts when the page is filtered; ``allreplies`` all.
        replies=number(row.get("allreplies"), number(row.get("replies"))),
        views=number(row.get("views")),
        closed=number(row.get("closed")) == 1,
        sticky=sticky_level(row),
        digest=max(number(row.get("digest")), 0),
        url=thread_url,
        last_floor=number(row.get("maxposition")),
    )


COUNTED_FLOORS = frozenset({2, 3, 5})  # thread kinds (trade, reward, debate) Discuz! numbers by count


def counts_floors(variables: Mapping[str, Any]) -> bool:
    """Whether Discuz! numbers this thread's floors by count rather than by position: in trade,
    reward and debate threads only v4's ``position`` is the floor, not ``number``."""
    return number(_mapping(variables.get("thread")).get("special")) in COUNTED_FLOORS


def needs_positions(variables: Mapping[str, Any]) -> bool:
    """Whether a v1 answer's ``number``s are not all floors, so the page needs v4's ``position``:
    a counted-floors thread, or a row numbered -1 (a hot reply Discuz! repeats on page 1)."""
    rows = _rows(variables.get("postlist"))
    return counts_floors(variables) or any(number(row.get("number")) < 1 for row in rows)


def rows_by_pid(variables: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """pid → post row of a viewthread answer, for ``thread_page``'s ``richer_bodies``."""
    return {text(row.get("pid")): row for row in _rows(variables.get("postlist"))}


_ATTACH_TAG = re.compile(r"\[attach\](\d+)\[/attach\]", re.IGNORECASE)


def inline_attachments(row: Mapping[str, Any], base_url: str) -> Mapping[str, Any]:
    """A post row with its ``[attach]N[/attach]`` tags shown as v4 shows them.

    v1 leaves the tags in the message as text and lists every attachment, so an image the
    body places inline would also be listed below it. Here, as in v4, each tag of an image
    the reader may see becomes that image and the image leaves the list; any other tag goes
    (its file stays listed). A row without tags (every v4 row) is returned as it is.
    """
    message = row.get("message")
    if not isinstance(message, str) or not _ATTACH_TAG.search(message):
        return row
    listed = {text(item.get("aid")): item for item in _rows(row.get("attachments"))}
    shown: set[str] = set()

    def image_for(tag: re.Match[str]) -> str:
        item = listed.get(tag.group(1))
        if item is None or not number(item.get("attachimg")):
            return ""
        shown.add(tag.group(1))
        url = _attachment_file(item, base_url)
        return f'<div class="img"><img src="{html.escape(url)}" aid="{html.escape(tag.group(1))}" /></div>'

    message = _ATTACH_TAG.sub(image_for, message)
    kept = [item for aid, item in listed.items() if aid not in shown]
    return {**row, "message": message, "attachments": kept}


def require_posts(variables: Mapping[str, Any], *, filtered: bool) -> None:
    """A thread answer without its thread or its posts is an error, never an empty page."""
    thread = variables.get("thread")
    rows = variables.get("postlist")
    has_thread = isinstance(thread, dict) and bool(text(thread.get("tid")))
    if not has_thread or not isinstance(rows, (list, dict)):
        raise errors.BrokenAnswerError(
            "The forum's answer had no thread or no list of posts in it.", server_key="no_postlist"
        )
    if not rows and not filtered:
        raise errors.NotFoundError("The forum sent this thread with no posts in it.", server_key="no_posts")


def thread_page(
    variables: Mapping[str, Any],
    base_url: str,
    *,
    page: int,
    richer_bodies: Mapping[str, Mapping[str, Any]] | None = None,
    author_id: str | None = None,
    reverse: bool = False,
    thread_url: str = "",
) -> ThreadPage:
    """A page of posts, from a v1 or a v4 answer. ``richer_bodies`` maps pid → the same post
    from the v1 answer, whose message (and attachments, when the row has none) win."""
    user = current_user(variables)
    titles = _group_titles(variables)
    richer = richer_bodies or {}
    posts = []
    for row in _rows(variables.get("postlist")):
        row = inline_attachments(row, base_url)
        other = inline_attachments(richer.get(text(row.get("pid")), {}), base_url)
        if other.get("attachments") and not row.get("attachments"):
            row = {**row, "attachments": other["attachments"]}
        body = other.get("message")
        avatar = avatar_url(variables, text(row.get("authorid")))
        posts.append(post(row, base_url, titles, body if isinstance(body, str) and body else None, avatar))
    page_size = number(variables.get("ppp"), 10) or 10
    header = thread(variables, thread_url)
    # The forum counts pages from ``replies``, which is the filtered count with ``authorid``.
    shown_replies = number(_mapping(variables.get("thread")).get("replies"))
    pages = max(1, math.ceil((shown_replies + 1) / page_size))
    return model.ThreadPage(
        thread=header,
        posts=posts,
        page=min(page, pages),  # past the end the forum serves the last page
        pages=pages,
        page_size=page_size,
        poll=poll(variables, user),
        only_author_id=author_id,
        reverse=reverse,
        user=user,
        time_zone=forum_time_zone(_rows(variables.get("postlist"))),
    )


def _page_numbers(variables: Mapping[str, Any], count: int, default_size: int) -> tuple[int, int, int | None]:
    """(page, pages, total) from the ``page``/``perpage``/``count`` fields lists carry."""
    page = number(variables.get("page"), 1) or 1
    size = number(variables.get("perpage"), default_size) or default_size
    total = optional_number(variables.get("count"))
    pages = max(page, math.ceil(total / size)) if total is not None else page + (count >= size)
    return page, max(pages, 1), total


def favourite_threads(variables: Mapping[str, Any]) -> Page[ThreadSummary]:
    rows = [row for row in _rows(variables.get("list")) if text(row.get("idtype")) in ("tid", "")]
    items = []
    for row in rows:
        summary = thread_summary(row)
        summary.created = timestamp("", row.get("dateline"))
        items.append(summary)
    page, pages, total = _page_numbers(variables, len(rows), 20)
    return model.Page(items=items, page=page, pages=pages, total=total)


def favourite_boards(variables: Mapping[str, Any]) -> Page[Board]:
    """``myfavforum``: the boards the account favourited on the site."""
    rows = [row for row in _rows(variables.get("list")) if text(row.get("idtype")) in ("fid", "")]
    items = [
        model.Board(id=text(row.get("id")), name=text(row.get("title")))
        for row in rows
        if text(row.get("id"))
    ]
    page, pages, total = _page_numbers(variables, len(rows), 20)
    return model.Page(items=items, page=page, pages=pages, total=total)


def my_threads(variables: Mapping[str, Any]) -> Page[ThreadSummary]:
    rows = _rows(variables.get("data"))
    page, pages, total = _page_numbers(variables, len(rows), 20)
    return model.Page(items=[thread_summary(row) for row in rows], page=page, pages=pages, total=total)


def _credit_columns(variables: Mapping[str, Any], space: Mapping[str, Any]) -> list[tuple[str, int]]:
    """The site's own credit columns (``extcredits`` titles) with this user's amounts."""
    columns = []
    for key, column in _mapping(variables.get("extcredits")).items():
        title = text(_mapping(column).get("title"))
        amount = optional_number(space.get(f"extcredits{key}"))
        if title and amount is not None:
            columns.append((title, amount))
    return columns


def profile(variables: Mapping[str, Any]) -> Profile:
    space = _mapping(variables.get("space"))
    group = _mapping(space.get("group"))
    return model.Profile(
        uid=text(space.get("uid")),
        username=text(space.get("username")),
        group=text(group.get("grouptitle")) or _group_titles(variables).get(text(space.get("groupid")), ""),
        threads=optional_number(space.get("threads")),
        posts=optional_number(space.get("posts")),
        credits=optional_number(space.get("credits")),
        registered=timestamp(space.get("regdate")),
        last_visit=timestamp(space.get("lastvisit")),
        credit_columns=_credit_columns(variables, space),
        location=residence(space),
        signature_html=str(space.get("sightml") or ""),
    )


def residence(space: Mapping[str, Any]) -> str:
    """Where a member lives, as the profile fills it in ('江苏省 南京市'); '' when unsaid."""
    parts = (text(space.get(name)) for name in ("residecountry", "resideprovince", "residecity"))
    return " ".join(part for part in parts if part)


def conversations(variables: Mapping[str, Any]) -> Page[Conversation]:
    rows = _rows(variables.get("list"))
    items = [  # touid / tousername always name the other party, whoever wrote last
        model.Conversation(
            with_uid=text(row.get("touid")),
            with_name=text(row.get("tousername")),
            last_message=text(row.get("message")),
            last_time=timestamp(row.get("vdateline") or row.get("dateline"), row.get("dbdateline")),
            unread=number(row.get("isnew")) == 1,
            count=number(row.get("pmnum")),
        )
        for row in rows
    ]
    page, pages, total = _page_numbers(variables, len(rows), 15)
    return model.Page(items=items, page=page, pages=pages, total=total)


def private_messages(variables: Mapping[str, Any]) -> Page[PrivateMessage]:
    rows = _rows(variables.get("list"))
    items = [
        model.PrivateMessage(
            id=text(row.get("pmid")),
            from_uid=text(row.get("msgfromid")),
            from_name=text(row.get("msgfrom")),
            text=text(re.sub(r"<br\s*/?>", "\n", str(row.get("message") or ""))),
            time=timestamp(row.get("vdateline") or row.get("dateline"), row.get("dbdateline")),
        )
        for row in rows
    ]
    page, pages, total = _page_numbers(variables, len(rows), 5)
    return model.Page(items=items, page=page, pages=pages, total=total)


_FINDPOST = re.compile(r"goto=findpost[^\"'>]*")
_NOTICE_VIEW_LINK = re.compile(r"<a\b[^>]*class=[\"']lit[\"'][^>]*>.*?</a>", re.DOTALL | re.IGNORECASE)
_NOTICE_KINDS = {"at": "mention", "system": "system", "post": "reply"}  # type → NoticeKind value


def notice_kind(kind: str, source: str = "") -> NoticeKind:
    """A notice's kind from Discuz!'s ``type`` and, for posts, ``from_idtype`` (quote or post)."""
    found = model.NoticeKind(_NOTICE_KINDS.get(kind, "other"))
    return model.NoticeKind.QUOTE if found is model.NoticeKind.REPLY and source == "quote" else found


def _identifier(value: Any) -> str:
    """An id field; "0" (Discuz!'s "none") becomes empty."""
    found = text(value)
    return "" if found.strip("0") == "" else found


def findpost_target(note_html: str) -> tuple[str, str]:
    """(thread id, post id) of the first "find post" link in a notice's HTML, or empty strings
    (also for an id of 0, Discuz!'s "none", which would name a post that does not exist)."""
    found = _FINDPOST.search(html.unescape(note_html))
    if not found:
        return "", ""
    link = found.group(0)
    thread = re.search(r"ptid=(\d+)", link)
    post = re.search(r"\bpid=(\d+)", link)
    return (_identifier(thread.group(1)) if thread else "", _identifier(post.group(1)) if post else "")


def notice_text(note_html: str) -> str:
    """A notice's sentence without its trailing "view" link."""
    return re.sub(r"\s+", " ", text(_NOTICE_VIEW_LINK.sub("", note_html)))


def notices(variables: Mapping[str, Any]) -> Page[Notice]:
    """A ``mynotelist`` answer: the account's notifications, unread first as the site sends them."""
    rows = _rows(variables.get("list"))
    items = []
    for row in rows:
        facts = _mapping(row.get("notevar"))
        note = str(row.get("note") or "")
        linked_thread, linked_post = findpost_target(note)
        items.append(
            model.Notice(
                id=text(row.get("id")),
                kind=notice_kind(text(row.get("type")), text(row.get("from_idtype"))),
                text=notice_text(note),
                time=timestamp("", row.get("dateline")),
                unread=number(row.get("new")) == 1,
                actor=text(facts.get("actorusername") or row.get("author")),
                actor_id=_identifier(facts.get("actoruid") or row.get("authorid")),
                thread_id=_identifier(facts.get("tid")) or linked_thread,
                post_id=linked_post or _identifier(facts.get("pid")),
                subject=text(facts.get("subject")),
            )
        )
    items.sort(key=lambda notice: not notice.unread)  # stable: the site's order within each group
    page, pages, total = _page_numbers(variables, len(rows), 30)
    return model.Page(items=items, page=page, pages=pages, total=total)


_SMILEY_ESCAPE = re.compile(r"\\(.)")
SMILEY_FOLDER = "static/image/smiley/"


def smilies(variables: Mapping[str, Any], site_url: str) -> dict[str, str]:
    """The site's smiley table (``module=smiley``) as image → typing code (``{:2_25:}``).

    Each image is keyed by its absolute URL and by its ``static/image/smiley/…`` path (post
    bodies use either). Images the built-in table has an emoji for are left out: the emoji wins.
    """
    table: dict[str, str] = {}
    groups = variables.get("smilies")
    if not isinstance(groups, list):
        return table
    for group in groups:
        for smiley in group if isinstance(group, list) else []:
            if not isinstance(smiley, dict):
                continue
            image = text(smiley.get("image")).lstrip("/")
            pattern = text(smiley.get("code"))
            if len(pattern) > 2 and pattern[0] == pattern[-1] == "/":
                pattern = pattern[1:-1]  # a PHP regex: /\:lol/ → :lol
            code = _SMILEY_ESCAPE.sub(r"\1", pattern).strip()
            path = SMILEY_FOLDER + image
            if not image or not code or builtin_smiley(path) is not None:
                continue
            table[urljoin(site_url, path)] = code
            table[path] = code
    return table
