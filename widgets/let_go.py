"""Letting go of widgets removed from a parent that stays: nothing of the parent's, nor
Textual's cache of drawn lines, keeps them alive (they sit in reference cycles, freed by the
cycle collector's next pass over them), and the heap freed is given back to the system where
the C library allows it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache

from textual._styles_cache import StylesCache
from textual.widget import Widget


def let_go_of_removed(parent: Widget) -> None:
    """After widgets were removed from ``parent``: drop what still holds them, and once the
    next frame is drawn (off the key's path) give the freed heap back."""
    release_drawn_lines()
    drop_stale_child_lists(parent)
    parent.call_after_refresh(return_freed_heap)


def release_drawn_lines() -> None:
    """Let the lines drawn for widgets already removed go.

    Textual keeps the last 1,024 widgets' line caches alive through an ``lru_cache`` on a
    method of those caches (``StylesCache.get_inner_outer``, keyed on the cache itself), so
    without this a long read would hold the drawn lines of a thousand floors gone by.
    """
    StylesCache.get_inner_outer.cache_clear()


def drop_stale_child_lists(parent: Widget) -> None:
    """Forget the list of ``parent``'s displayed children made before some were removed.

    Textual keeps that list until it is next asked for, which for the thread view comes only
    with the next change of focus; until then the widgets removed (a page of floors) stay
    alive. Asking for it now makes it again from the children left.
    """
    parent.displayed_children  # noqa: B018 (read for its effect: the list is made anew)


def return_freed_heap() -> None:
    """Give the pages of the C heap that are wholly free back to the system (glibc's
    ``malloc_trim``; nothing elsewhere).

    glibc keeps what was freed below the top of its heap for later use, so the peak of a
    page laid out and another let go would stay in the process's resident size for good.
    The call walks the heap once: well under a millisecond for this app's heap.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim()


@cache
def _malloc_trim() -> Callable[[], object] | None:
    """``malloc_trim(0)`` of the C library this process runs on, or None when it has none."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # no C library to load, or one without it (musl)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0)
