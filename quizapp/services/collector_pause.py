"""Python's cyclic garbage collector held off while a bulk import or export builds its
objects.

An Anki import makes a few hundred thousand small objects that all stay alive until the
write (a review log, two memory states and a timeline entry per revlog row); a native
import holds markdown-it's tokens, the cards and the writer's keys; an Anki export its
rows, cards and fields. None of them makes a reference cycle (they are trees and flat
records), yet each batch of 700 allocations starts a collection and the older
generations are walked again and again as they grow: a fifth of an Anki import's time
(a generated 10,000-note package with 100,000 revlog entries), a quarter of an export's
Python time, and on a rescan a full collection of the keys just loaded. So the collector
is paused for the run and resumed after it; its next run collects whatever cycles were
left. ``services/importer.py`` (native files and Anki packages) and
``services/anki_export.py`` use it.
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
