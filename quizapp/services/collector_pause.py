"""Python's cyclic garbage collector held off while a bulk import builds its objects.

An Anki import makes a few hundred thousand small objects that all stay alive until the
write (a review log, two memory states and a timeline entry per revlog row). Each batch of
700 allocations starts a collection, and the older generations are walked again and again
as they grow, which cost a fifth of the import's time (a generated 10,000-note package
with 100,000 revlog entries; ``bench/parts/anki_import.py``). None of those objects is in
a reference cycle, so those walks reclaim nothing: the collector is paused for the
import and resumed after it, and its next run collects whatever cycles were left.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector for the block (reference counting still frees
    every object without a cycle); one that was off stays off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
