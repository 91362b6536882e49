"""The keys of the screen underneath, read from its active bindings so remapped keys show."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui import keys


def binding_rows(app: App, screen: Screen) -> list[tuple[str, str, str]]:
    """(keys, what it does, config name) per action bound on ``screen``, its keys joined.

    The remappable bindings come first, then the screen's and the app's, then the focused widget's.
    """
    grouped: dict[tuple[int, str], tuple[list[str], Binding, bool]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        own = active.node is screen or active.node is app
        shown, _, _ = grouped.setdefault((id(active.node), binding.action), ([], binding, own))
        display = app.get_key_display(replace(binding, key=key, key_display=None))
        if display not in shown:
            shown.append(display)
    # Remappable ones first (they have a config name), then the screen's and the app's, then the widget's.
    ordered = sorted(grouped.values(), key=lambda entry: (not entry[1].id, not entry[2]))
    return [(", ".join(shown), binding.description, binding.id or "") for shown, binding, _ in ordered]


class HelpScreen(ModalScreen[None]):
    """Every binding of the screen it was opened from; Esc, q or ? closes it."""

    BINDINGS = keys.bindings([keys.CLOSE_HELP])
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help-box {
        width: 90;
        max-width: 100%;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.described = screen

    def compose(self) -> ComposeResult:
        rows = binding_rows(self.app, self.described)
        text = Text()
        text.append(f"Keys on this screen ({self.described.__class__.__name__})\n\n", style="bold")
        width = max((len(shown) for shown, _, _ in rows), default=4) + 2
        described = max([28, *(len(description) for _, description, _ in rows)]) + 2
        for shown, description, config_name in rows:
            text.append(shown.ljust(width), style="bold")
            text.append(description.ljust(described))
            text.append(config_name, style="dim")
            text.append("\n")
        text.append(
            '\nRemap in config.toml under [keys]: name = "keys" (names in grey). Esc closes.', style="dim"
        )
        with VerticalScroll(id="help-box"):
            yield Static(text)
