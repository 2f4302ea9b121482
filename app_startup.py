"""The first script run of a server process: loading without pauses for the garbage collector.

Why: the first run imports the libraries (pandas, SQLAlchemy and its PostgreSQL dialect,
plotly, jwmetrics) and so creates a few hundred thousand objects that live as long as the
server. Each allocation burst sets off CPython's cyclic garbage collector, and every full
pass walks all of those objects: measured on the overview's cold start, four full passes of
0.1-0.4 s each (two while importing, one while drawing, Streamlit's own ``gc.collect`` after
the run), about half a second in all, none of which found more than a few hundred objects
to free. So the first run runs with the collector paused; when it ends, every object then
alive is moved to the permanent generation (``gc.freeze``), which later passes skip, and the
collector resumes. Reference counting frees everything outside a cycle all along; the few
cycles left unreachable during the first run stay frozen (a one-off, bounded by that run).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_process = {"started": False}


@contextmanager
def first_run_without_gc_pauses() -> Iterator[None]:
    """Pause the cyclic collector for the process's first run, then freeze what it loaded.

    Later runs pass straight through. The collector resumes even if the run stops early
    (``st.stop``, ``st.rerun`` and errors are exceptions inside the script).
    """
    if _process["started"]:
        yield
        return
    _process["started"] = True
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
