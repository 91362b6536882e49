"""How the garbage collector runs in the app.

Python looks for cycles among young objects every 700 allocations and walks the whole heap
every hundredth time. Reading on in a thread makes tens of thousands of objects a page, and the
app's heap (Textual, Rich, the screens' code) is large: at Python's pace a page read set off two
young collections and every fiftieth page a full one of about 25 ms, a frame and a half.
"""

from __future__ import annotations

import gc

YOUNG_ALLOCATIONS = 7_000  # allocations between two collections of young objects


def collect_at_session_pace() -> None:
    """Collect young objects ten times less often than Python does (so full collections come
    ten times less often too), and turn the collector on (start-up pauses it)."""
    gc.set_threshold(YOUNG_ALLOCATIONS, *gc.get_threshold()[1:])
    gc.enable()


def keep_loaded_code() -> None:
    """What start-up has imported (modules, classes, functions: about 60,000 objects) lives as
    long as the process: full collections stop walking it, which made each take about 25 ms.
    (The imports leave a few hundred objects of garbage behind: those stay too.)"""
    gc.freeze()
