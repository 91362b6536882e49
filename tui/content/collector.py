"""Python's cycle collector, paused while a post is read or laid out.

Parsing a post and drawing it make hundreds of thousands of small objects (text spans,
rows, segments), none of them in a reference cycle: reference counting frees all of them.
Yet every few hundred of them the cycle collector walks the young objects, now and then the
whole heap of the app, and frees nothing; on a long post that was a tenth of the work, more
in a process holding many objects.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The body runs with the cycle collector paused, if it is running (start-up pauses it
    too: then it is left for start-up to resume)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
