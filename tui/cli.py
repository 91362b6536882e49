"""Command-line entry point: the app by default, plus a few commands that need no interface.

Heavy imports (Textual, httpx, keyring) happen inside each command so ``--help`` and
``--version`` answer instantly; plain ``forum-tui`` (nothing to parse) does not even load argparse.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui import __version__

if TYPE_CHECKING:
    import argparse

SUBCOMMANDS = ("read", "serve-demo", "accounts", "logout")


def _app_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="forum-tui",
        description="A keyboard-first terminal client for Discuz! X forums.",
        epilog=(
            "commands: read URL (print a thread page), serve-demo (run the demo forum), "
            "accounts (list saved accounts), logout [SITE] [USER]. "
            "Use 'forum-tui COMMAND --help' for each."
        ),
    )
    parser.add_argument("--version", action="version", version=f"forum-tui {__version__}")
    parser.add_argument(
        "url",
        nargs="?",
        help="a forum, board or thread URL to open (default: the last site, or the site picker)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="start the built-in demo forum and open the app on it"
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="read only the boards, thread lists and threads saved on this computer (no network)",
    )
    return parser


def _read_parser() -> argparse.ArgumentParser:
    import argparse

    from tui.config import DEFAULT_TIMEOUT

    parser = argparse.ArgumentParser(
        prog="forum-tui read", description="Print one page of a thread to stdout, with no interface."
    )
    parser.add_argument("url", help="thread URL (any Discuz! thread or post link)")
    parser.add_argument("--page", type=int, default=None, help="page number (default: the URL's, or 1)")
    parser.add_argument("--author", metavar="UID", default=None, help="only posts by this user id")
    parser.add_argument("--reverse", action="store_true", help="newest replies first")
    parser.add_argument(
        "--guest", action="store_true", help="read as a guest, not as the account saved for the site"
    )
    parser.add_argument(
        "--all", action="store_true", help="every page, in one text, Markdown or JSON document"
    )
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on any one request after this long (default: {DEFAULT_TIMEOUT:g})",
    )
    return parser


def _serve_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="forum-tui serve-demo",
        description="Run the built-in Discuz!-compatible demo forum in the foreground.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one, printed)")
    parser.add_argument("--data", default=None, help="folder to keep the forum's state in (default: temp)")
    parser.add_argument(
        "--charset",
        choices=("utf-8", "gbk", "big5"),
        default="utf-8",
        help="the site's charset, like an older Chinese install (default: utf-8)",
    )
    parser.add_argument(
        "--captcha",
        type=_captcha_purposes,
        default=frozenset(),
        metavar="login,post",
        help="ask a captcha at log-in and/or before each post",
    )
    parser.add_argument("--secqaa", action="store_true", help="ask a verification question before each post")
    parser.add_argument(
        "--guests-forbidden", action="store_true", help="guests see nothing: every page asks them to log in"
    )
    parser.add_argument(
        "--no-mobile-api",
        action="store_true",
        help="answer 404 on api/mobile/, like a site without the mobile API (the web pages still work)",
    )
    return parser


def _captcha_purposes(text: str) -> frozenset[str]:
    """``login``, ``post`` or both, comma-separated."""
    import argparse

    purposes = frozenset(part.strip() for part in text.split(",") if part.strip())
    if not purposes or not purposes <= {"login", "post"}:
        raise argparse.ArgumentTypeError("give login, post or login,post")
    return purposes


def _logout_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="forum-tui logout", description="Forget saved sessions and passwords from the OS keyring."
    )
    parser.add_argument("site", nargs="?", help="site URL (default: every saved account)")
    parser.add_argument("user", nargs="?", help="username (default: every account on SITE)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args and args[0] in SUBCOMMANDS else None
    if command == "read":
        from tui.read_command import run_read

        return run_read(_read_parser().parse_args(args[1:]))
    if command == "serve-demo":
        from tui.demo.serve import run_serve

        return run_serve(_serve_parser().parse_args(args[1:]))
    if command == "accounts":
        import argparse

        argparse.ArgumentParser(prog="forum-tui accounts", description="List saved accounts.").parse_args(
            args[1:]
        )
        from tui.accounts_command import run_accounts

        return run_accounts()
    if command == "logout":
        from tui.accounts_command import run_logout

        return run_logout(_logout_parser().parse_args(args[1:]))
    from tui.launch import run_app

    if not args:  # the usual start: nothing to parse
        return run_app(url=None, demo=False)
    options = _app_parser().parse_args(args)
    return run_app(url=options.url, demo=options.demo, offline=options.offline)
