"""Register and Forgot password on the log-in screen: the site's own pages, in the browser, or
shown and copied where there is none."""

from __future__ import annotations

from tests.app_helpers import demo_app, on_screen, problem_text, wait_until
from tui.config import Settings

SIZE = (100, 32)


async def test_register_and_lost_password_open_the_sites_pages(forum_server, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *args, **kwargs: opened.append(url) or True)
    app = demo_app(forum_server.url, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: opened, "the browser")
        assert opened == [forum_server.url + "member.php?mod=register"]
        assert "then log in here with the new account" in problem_text(app)
        await pilot.click("#lost-password")
        await wait_until(pilot, lambda: len(opened) == 2, "the browser again")
        assert opened[1] == forum_server.url + "member.php?mod=logging&action=login&viewlostpw=1"
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: len(opened) == 3, "the browser a third time")
        assert on_screen(app, "LoginScreen")  # the form stays, ready for the new account


async def test_without_a_browser_the_link_is_shown_and_copied(forum_server, monkeypatch) -> None:
    monkeypatch.setattr("webbrowser.open", lambda url, *args, **kwargs: False)
    app = demo_app(forum_server.url, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        await pilot.click("#register")
        url = forum_server.url + "member.php?mod=register"
        await wait_until(pilot, lambda: app.clipboard == url, "the link copied")
        assert any(url in note.message for note in app.notifications)


async def test_an_empty_site_field_is_asked_for_first(monkeypatch) -> None:
    monkeypatch.setattr("webbrowser.open", lambda url, *args, **kwargs: True)
    app = demo_app("", Settings())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: on_screen(app, "LoginScreen"), "the log-in screen")
        app.screen.query_one("#site").value = ""
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "site address" in problem_text(app), "the site asked for")
