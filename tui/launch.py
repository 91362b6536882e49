"""Start the app: read the settings, start the demo forum when asked, run, clean up."""

from __future__ import annotations

import gc
import sys


def run_app(url: str | None, demo: bool, offline: bool = False) -> int:
    """Run the interface until the user quits; the exit status for the shell.

    With ``demo`` the demo forum runs in a child process for as long as the app does, its state
    kept between runs in ``demo_data_dir()``.
    ``offline`` reads only the pages saved on this computer.
    """
    # Start-up makes a great many objects that live as long as the app, and the collector
    # would walk them all several times before the first screen is drawn: it is paused for
    # start-up (``ForumApp.start_up_over`` turns it back on a second after the app mounts).
    gc.disable()
    from tui.app import ForumApp
    from tui.collector import keep_loaded_code
    from tui.config import config_path, demo_data_dir, load_settings

    keep_loaded_code()

    settings = load_settings()
    if not demo:
        app = ForumApp(settings, start=url, config_path=config_path(), offline=offline)
        app.run()
        return app.return_code or 0
    from tui.demo.accounts import DEMO_ACCOUNTS
    from tui.demo.serve import spawn_kept_demo

    print("forum-tui: starting the demo forum...", flush=True)
    try:
        server = spawn_kept_demo(demo_data_dir())
    except (OSError, RuntimeError) as error:
        print(f"forum-tui: could not start the demo forum: {error}", file=sys.stderr)
        return 1
    app = ForumApp(settings, start=server.url, demo_accounts=DEMO_ACCOUNTS, config_path=config_path())
    try:
        app.run()
    finally:
        server.stop()
    return app.return_code or 0
