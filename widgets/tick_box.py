"""A checkbox whose two states differ in shape, not only in colour.

Textual's ``Checkbox`` draws ``▐X▌`` both ticked and unticked and tells them apart by colour
alone, which a monochrome or low-colour terminal (or a colour-blind reader) cannot see.
"""

from __future__ import annotations

from textual.widgets import Checkbox

TICKED = "X"
UNTICKED = " "


class TickBox(Checkbox):
    """``▐X▌`` when ticked, ``▐ ▌`` when not."""

    def __init__(self, *args: object, **options: object) -> None:
        super().__init__(*args, **options)  # type: ignore[arg-type]
        self.BUTTON_INNER = TICKED if self.value else UNTICKED

    def watch_value(self) -> None:
        self.BUTTON_INNER = TICKED if self.value else UNTICKED
        super().watch_value()
