"""Opening a web page outside the app: the system's browser when there is one, else the link
is shown and copied (OSC 52), so the reader can always get there."""

from __future__ import annotations

import asyncio
import webbrowser

from textual.app import App


def open_in_browser(app: App, url: str, *, title: str = "Opening in the browser") -> None:
    """Hand ``url`` to the system's browser off the event loop; never raises."""

    async def run() -> None:
        try:
            opened = await asyncio.to_thread(webbrowser.open, url)
        except Exception:  # a broken opener is the same as none
            opened = False
        if opened:
            app.notify(url, title=title, markup=False)
        else:
            app.copy_to_clipboard(url)
            app.notify(url, title="No browser found: link copied", markup=False, timeout=15)

    app.run_worker(run(), group="browser", exit_on_error=False)
