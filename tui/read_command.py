"""``forum-tui read URL``: print one page of a thread (or ``--all`` of them) to stdout, with no
interface.

Everything the forum sent is untrusted: bodies go through the content helpers and every
other string through ``clean_text``, so no terminal control sequence reaches stdout (JSON
output escapes whatever is left). Any failure is one line on stderr and a non-zero exit.

A page of a site read before, as a guest, is read by the engine in one blocking request when
it can (``Engine.read_at_once``): a command that prints one page and ends needs no session,
no event loop and none of their imports. Everything else goes through a session.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from tui.content import clean_text, html_to_markdown, html_to_text
from tui.errors import ForumError, LoginRequiredError
from tui.model import Post, Target, TargetKind, ThreadPage
from tui.registry import Engine, engine_for, open_session
from tui.times import exact_text
from tui.words import counted

if TYPE_CHECKING:
    import httpx

    from tui.engine import ForumSession

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PIPE_CLOSED = 141  # what a shell reports for a program stopped by SIGPIPE
_SMILEY_PATH = "image/smiley/"  # where every Discuz! smiley picture lives (static/image/smiley/<set>/)


def _when(post: Post) -> str:
    exact = post.time.exact
    return exact_text(exact) if exact else clean_text(post.time.text)


ALL_PAGES = 0  # the ``page`` of a ThreadPage that holds every page (``read --all``, Export thread)


def _facts(page: ThreadPage) -> str:
    thread = page.thread
    where = f"all {page.pages} pages" if page.page == ALL_PAGES else f"page {page.page}/{page.pages}"
    counts = f"{counted(thread.replies, 'reply')} · {counted(thread.views, 'view')}"
    return f"by {clean_text(thread.author)} · {counts} · {where}"


async def read_all_pages(
    session: ForumSession,
    thread_id: str,
    *,
    author_id: str | None = None,
    reverse: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ThreadPage:
    """Every page of a thread as one ``ThreadPage`` (``page`` = ``ALL_PAGES``), fetched in order;
    ``progress(done, pages)`` after each. A floor met twice (the thread grew meanwhile) is kept once."""
    first = await session.thread_page(thread_id, 1, author_id=author_id, reverse=reverse)
    posts, seen = list(first.posts), {post.id for post in first.posts}
    if progress is not None:
        progress(1, first.pages)
    for number in range(2, first.pages + 1):
        page = await session.thread_page(thread_id, number, author_id=author_id, reverse=reverse)
        posts.extend(post for post in page.posts if post.id not in seen)
        seen.update(post.id for post in page.posts)
        if progress is not None:
            progress(number, first.pages)
    return replace(first, posts=posts, page=ALL_PAGES)


def _poll_lines(page: ThreadPage) -> list[str]:
    if page.poll is None:
        return []
    lines = [f"Poll ({page.poll.voters} voters):"]
    for option in page.poll.options:
        lines.append(f"  - {clean_text(option.text)}: {option.votes} ({option.percent:.0f}%)")
    return [*lines, ""]


def format_text(page: ThreadPage, smilies: Mapping[str, str] | None = None) -> str:
    lines = [clean_text(page.thread.subject), _facts(page), "", *_poll_lines(page)]
    for post in page.posts:
        lines.append(f"#{post.floor} {clean_text(post.author.name)} · {_when(post)}")
        lines.append(html_to_text(post.html, post.base_url, smilies=smilies).rstrip())
        lines.append("")
    return "\n".join(lines) + "\n"


def format_markdown(page: ThreadPage, smilies: Mapping[str, str] | None = None) -> str:
    lines = [f"# {clean_text(page.thread.subject)}", "", f"*{_facts(page)}*", "", *_poll_lines(page)]
    for post in page.posts:
        lines.append(f"### #{post.floor} {clean_text(post.author.name)} · {_when(post)}")
        lines.append("")
        lines.append(html_to_markdown(post.html, post.base_url, smilies=smilies).rstrip())
        lines.append("")
    return "\n".join(lines) + "\n"


def format_json(page: ThreadPage, smilies: Mapping[str, str] | None = None) -> str:
    thread = page.thread
    document = {
        "thread": {
            "tid": thread.id,
            "subject": clean_text(thread.subject),
            "author": clean_text(thread.author),
            "replies": thread.replies,
            "views": thread.views,
            "pages": page.pages,
            "page": page.page or None,  # null: every page is in ``posts``
        },
        "posts": [
            {
                "pid": post.id,
                "floor": post.floor,
                "author": clean_text(post.author.name),
                "authorid": post.author.id,
                "time": post.time.iso(),
                "text": html_to_text(post.html, post.base_url, smilies=smilies),
            }
            for post in page.posts
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


FORMATTERS = {"text": format_text, "markdown": format_markdown, "json": format_json}


async def read_page(
    target: Target, args: argparse.Namespace, transport: httpx.AsyncBaseTransport | None = None
) -> tuple[ThreadPage, dict[str, str]]:
    """The thread page a link (and the command's options) points at, and the site's smilies."""
    from tui.engine import SupportsSmilies, offers

    session = open_session(target.site_url, transport=transport, deadline=args.timeout, author_cards=False)
    try:
        await session.probe(remembered=True)  # a repeat read asks only for the page
        if not getattr(args, "guest", False):
            await _as_saved_account(session)
        thread_id, page = target.id, target.page
        if target.kind is TargetKind.POST:
            where = await session.locate_post(target.id, target.thread_id)
            thread_id, page = where.thread_id, where.page
        filters = {"author_id": args.author, "reverse": args.reverse}
        if getattr(args, "all", False):  # callers that build their own options may leave it out
            shown = await read_all_pages(session, thread_id, progress=_stderr_progress(), **filters)
        else:
            shown = await session.thread_page(thread_id, args.page or page, **filters)
        # The site's smiley table only matters for smiley pictures: no other request otherwise.
        if not _shows_smileys(shown) or not offers(session, SupportsSmilies):
            return shown, {}
        return shown, await session.smilies()
    finally:
        await session.aclose()


def _shows_smileys(page: ThreadPage) -> bool:
    """Whether a floor shows a smiley picture, for which the site's smiley table gives the text."""
    return any(_SMILEY_PATH in post.html for post in page.posts)


def _read_at_once(
    engine: Engine, target: Target, args: argparse.Namespace
) -> tuple[ThreadPage, dict[str, str]] | None:
    """One page of one thread, every author's floors, read as a guest (``--guest``, or no
    account saved for the site) by the engine without a session; None when it cannot be (a
    post link, a site it does not know yet…)."""
    if engine.read_at_once is None or getattr(args, "all", False) or args.author:
        return None
    if not getattr(args, "guest", False):
        from tui.accounts import AccountBook

        if AccountBook.load().for_site(target.site_url):
            return None
    return engine.read_at_once(
        target,
        args.page or target.page,
        reverse=args.reverse,
        deadline=args.timeout,
        wants_smilies=_shows_smileys,
    )


async def _as_saved_account(session: ForumSession) -> None:
    """Read as the account saved for this site (as the app would), so members-only threads
    read the same; without a usable saved log-in, say so on stderr and read as a guest."""
    import asyncio

    from tui.accounts import AccountBook
    from tui.auth import resume
    from tui.credentials import CredentialStore

    saved = (await asyncio.to_thread(AccountBook.load)).for_site(session.site_url)
    if not saved:
        return
    try:
        await resume(session, saved[0], CredentialStore())
    except LoginRequiredError as error:
        print(f"forum-tui read: {clean_text(str(error))} Reading as a guest.", file=sys.stderr)


def _stderr_progress() -> Callable[[int, int], None] | None:
    """"page 3/13" on stderr while reading every page, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, pages: int) -> None:
        sys.stderr.write(f"\rreading page {done}/{pages}…" + ("\n" if done >= pages else ""))
        sys.stderr.flush()

    return show


def run_read(args: argparse.Namespace, *, transport: httpx.AsyncBaseTransport | None = None) -> int:
    """Print one page of a thread; 0 on success, non-zero with one line on stderr otherwise.
    ``transport`` carries the session's requests (a test's recorded or counting one); with it,
    every read goes through the session."""
    try:
        engine, target = engine_for(args.url)
    except ForumError as error:
        print(f"forum-tui read: {clean_text(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    if target.kind not in (TargetKind.THREAD, TargetKind.POST):
        print("forum-tui read: that link is not a thread or post link", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "all", False) and args.page is not None:
        print("forum-tui read: --all reads every page; leave out --page", file=sys.stderr)
        return EXIT_USAGE
    if args.page is not None and args.page < 1:
        print("forum-tui read: --page must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    if args.timeout <= 0:
        print("forum-tui read: --timeout must be more than 0 seconds", file=sys.stderr)
        return EXIT_USAGE
    try:
        read = _read_at_once(engine, target, args) if transport is None else None
        if read is None:
            import asyncio

            read = asyncio.run(read_page(target, args, transport))
        page, smilies = read
        text = FORMATTERS[args.format](page, smilies)
    except ForumError as error:
        print(f"forum-tui read: {clean_text(str(error))}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug must still end in one line, not a traceback
        print(
            f"forum-tui read: failed unexpectedly ({type(error).__name__}); please report it", file=sys.stderr
        )
        return EXIT_FAILED
    return _write(text)


def _write(text: str) -> int:
    """Print ``text``; a reader that stopped early (``| head``) ends it quietly."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit: point it at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_PIPE_CLOSED
    return 0
