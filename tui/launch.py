"""Start the app: read the settings, start the demo forum when asked, run, clean up."""

from __future__ import annotations


def run_app(url: str | None, demo: bool) -> int:
    """Run the interface until the user quits; the exit status for the shell."""
    from tui.app import ForumApp
    from tui.config import config_path, load_settings

    settings = load_settings()
    if not demo:
        ForumApp(settings, start=url, config_path=config_path()).run()
        return 0
    from tui.demo.accounts import DEMO_ACCOUNTS
    from tui.demo.serve import spawn_demo_process

    server = spawn_demo_process()
    try:
        ForumApp(settings, start=server.url, demo_accounts=DEMO_ACCOUNTS, config_path=config_path()).run()
    finally:
        server.stop()
    return 0
