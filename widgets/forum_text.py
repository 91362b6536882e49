"""Forum text made safe to show: terminal control sequences stripped, Rich markup inert."""

from __future__ import annotations

from rich.text import Text


def clean(value: str) -> str:
    """The forum's string without terminal control sequences.

    Text with no control or format characters at all is returned as is, without importing
    the content package (kept off the start-up path).
    """
    if value.isprintable():
        return value
    from tui.content import clean_text

    return clean_text(value)


def forum_text(value: str, style: str = "") -> Text:
    """A Text that displays the string literally: ``[b]`` stays ``[b]``, escapes are gone."""
    return Text(clean(value), style=style)
