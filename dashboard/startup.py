"""The first script run of a server process: no pauses for the garbage collector, and the
page's modules imported while the run waits on the database.

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

Also on the first run, :func:`preload_modules` imports the page's modules on a worker thread
while the main thread reads the sidebar's figures: SQLite releases the interpreter lock
while it scans (the newest publication day reads every observation's index entry: 0.1-0.5 s
at a million), so the imports the page needs next (pandas and the presentation modules,
0.2-0.3 s) run meanwhile on the second core instead of after it.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

_LOGGER = logging.getLogger(__name__)
_process = {"started": False, "preloaded": False}


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


def preload_modules(modules: Iterable[str]) -> None:
    """Import ``modules`` on a worker thread, once per process; return at once.

    Only the first call does anything, and only for modules not yet imported. Importing is
    all the thread does (no Streamlit, no database), so a module that fails here fails
    again, with its real error, when the page imports it.
    """
    if _process["preloaded"]:
        return
    _process["preloaded"] = True
    missing = [name for name in modules if name not in sys.modules]
    if missing:
        threading.Thread(target=_import_all, args=(missing,), name="preload", daemon=True).start()


def _import_all(modules: list[str]) -> None:
    """Import each module in turn; a failure is left for the page's own import to report."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # the page imports it again and shows the error
            _LOGGER.debug("preloading %s failed", name, exc_info=True)
