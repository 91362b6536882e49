"""Opening a web page or a file outside the app: a terminal browser runs with the app
suspended (it needs the whole terminal), a desktop one on its own, and with none the link is
shown and copied (OSC 52), so the reader can always get there."""

from __future__ import annotations

import asyncio
import subprocess

from textual.app import App, SuspendNotSupported

from tui.opener import command_for, terminal_opener


def run_in_terminal(app: App, target: str) -> bool | None:
    """Run the terminal browser on ``target`` with the app suspended, waiting for it to end.

    None when this system's opener is not a terminal program; False when it could not run
    (no terminal to hand over, or the program failed to start)."""
    words = terminal_opener()
    if words is None:
        return None
    try:
        with app.suspend():
            subprocess.run(command_for(words, target), check=False)
    except (SuspendNotSupported, OSError):
        return False
    return True


def show_and_copy(app: App, url: str) -> None:
    app.copy_to_clipboard(url)
    app.notify(url, title="No browser found: link copied", markup=False, timeout=15)


def open_in_browser(app: App, url: str, *, title: str = "Opening in the browser") -> None:
    """Hand ``url`` to the system's browser (never blocking the app's loop); never raises."""
    in_terminal = run_in_terminal(app, url)
    if in_terminal is not None:
        if not in_terminal:
            show_and_copy(app, url)
        return

    async def run() -> None:
        try:
            import webbrowser  # only when a page is opened: not on the start path

            opened = await asyncio.to_thread(webbrowser.open, url)
        except Exception:  # a broken opener is the same as none
            opened = False
        if opened:
            app.notify(url, title=title, markup=False)
        else:
            show_and_copy(app, url)

    app.run_worker(run(), group="browser", exit_on_error=False)
