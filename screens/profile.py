"""A member's profile: group, credits and the site's own credit columns, counts, dates and the
signature, rendered like a post (sanitised by the content package)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.base import ForumScreen
from tui import keys
from tui.content import parse_post_html, render_document
from tui.engine import SupportsProfiles
from tui.model import Profile
from widgets.forum_text import forum_text


def profile_view(profile: Profile, site_url: str, *, images: bool = True) -> RenderableType:
    """The profile's facts as a two-column table, then the signature."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    rows: list[tuple[str, Text]] = [
        ("User", forum_text(f"{profile.username}  (uid {profile.uid})")),
        ("Group", forum_text(profile.group)),
        ("Credits", Text("" if profile.credits is None else str(profile.credits))),
        *((name, Text(str(amount))) for name, amount in profile.credit_columns),
        ("Threads", Text("" if profile.threads is None else str(profile.threads))),
        ("Posts", Text("" if profile.posts is None else str(profile.posts))),
        ("Lives in", forum_text(profile.location)),
        ("Registered", forum_text(profile.registered.text if profile.registered else "")),
        ("Last visit", forum_text(profile.last_visit.text if profile.last_visit else "")),
    ]
    for label, value in rows:
        if value.plain:
            facts.add_row(forum_text(label), value)
    if not profile.signature_html.strip():
        return facts
    signature = render_document(parse_post_html(profile.signature_html, site_url), images=images)
    return Group(facts, Text(""), Text("Signature", style="bold"), signature)


class ProfileScreen(ForumScreen):
    """One member's profile (the account's own without a uid); ``r`` reloads."""

    BINDINGS = keys.bindings([keys.BACK, keys.REFRESH])
    CAPABILITY = SupportsProfiles
    FEATURE = "profiles"

    def __init__(self, uid: str = "", name: str = "") -> None:
        super().__init__()
        self.uid = uid
        self.name_hint = name

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="profile-box"):
            yield Static(id="profile")

    def on_mount(self) -> None:
        self.set_title(Text.assemble(("Profile ", "bold"), forum_text(self.name_hint)))
        self.action_refresh()

    def action_refresh(self) -> None:
        uid = self.uid or None
        self.load(
            lambda: self.host.context.require_session().profile(uid),
            self._show,
            busy=self.query_one("#profile-box"),
        )

    def _show(self, profile: Profile) -> None:
        self.set_title(Text.assemble(("Profile ", "bold"), forum_text(profile.username)))
        images = self.host.settings.images
        self.query_one("#profile", Static).update(
            profile_view(profile, self.host.context.session.site_url, images=images)
        )
