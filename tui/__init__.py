"""forum-tui: a keyboard-first terminal client for Discuz! X forums."""

__version__ = "0.1.0"
