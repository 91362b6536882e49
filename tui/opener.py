"""Which program opens a link or a file outside the app, and whether it needs the terminal.

A terminal browser (w3m, lynx — Debian's ``www-browser`` on a machine without a desktop)
takes over the terminal, so the app must step aside while it runs; a desktop program runs
on its own. This module only decides; the interface runs the program.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys

# Python's ``webbrowser`` falls back to these, in this order, when there is no desktop.
TERMINAL_BROWSERS = ("www-browser", "links", "elinks", "lynx", "w3m")


def has_desktop() -> bool:
    """Whether desktop (windowed) programs can be shown."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _browser_setting() -> list[list[str]]:
    """The commands ``$BROWSER`` names (colon-separated), each split like a shell would."""
    commands = []
    for entry in os.environ.get("BROWSER", "").split(os.pathsep):
        try:
            words = shlex.split(entry)
        except ValueError:
            continue
        if words and shutil.which(words[0]):
            commands.append(words)
    return commands


def terminal_opener() -> list[str] | None:
    """The terminal program that would open a link here, or None when a desktop program
    would (or nothing would)."""
    chosen = _browser_setting()
    desktop = has_desktop()
    for words in chosen:
        if not desktop or os.path.basename(words[0]) in TERMINAL_BROWSERS:
            return words
    if chosen or desktop:
        return None
    found = next((name for name in TERMINAL_BROWSERS if shutil.which(name)), None)
    return [found] if found else None


def command_for(words: list[str], target: str) -> list[str]:
    """The command line opening ``target``: ``%s`` in the setting stands for it, as for ``$BROWSER``."""
    if any("%s" in word for word in words):
        return [word.replace("%s", target) for word in words]
    return [*words, target]
