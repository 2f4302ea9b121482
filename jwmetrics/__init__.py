"""jwmetrics: progress, trajectories, forecasts and RAG status for joined-up public services.

``from jwmetrics import Metrics`` gives the one public face (:mod:`jwmetrics.metrics`); it is
loaded on first use, so ``import jwmetrics`` (and every module under it) stays cheap. The
library never imports Streamlit: the app (``app.py``, ``pages/``, ``dashboard/``), the command
line (``python -m jwmetrics``), notebooks and tests all use it as it is.

The folders, from the bottom up (a folder imports only those before it; see
``CONTRIBUTING.md``): the base modules :mod:`~jwmetrics.periods`, :mod:`~jwmetrics.problems`,
:mod:`~jwmetrics.steps`, :mod:`~jwmetrics.text` and :mod:`~jwmetrics.distributions`;
:mod:`~jwmetrics.db`;
:mod:`~jwmetrics.store` and :mod:`~jwmetrics.tabular`; :mod:`~jwmetrics.governance`;
:mod:`~jwmetrics.returns`; :mod:`~jwmetrics.assess`; :mod:`~jwmetrics.spc`,
:mod:`~jwmetrics.compare`, :mod:`~jwmetrics.value` and :mod:`~jwmetrics.self_assessment`;
:mod:`~jwmetrics.briefing` and :mod:`~jwmetrics.catalogue`; :mod:`~jwmetrics.present`;
:mod:`~jwmetrics.metrics`; :mod:`~jwmetrics.cli` (with ``__main__``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jwmetrics.metrics.face import Metrics as Metrics

__version__ = "0.1.0"
__all__ = ["Metrics", "__version__"]


def __getattr__(name: str) -> object:
    """``jwmetrics.Metrics``, imported on first use (PEP 562)."""
    if name == "Metrics":
        from jwmetrics.metrics.face import Metrics

        return Metrics
    raise AttributeError(f"module 'jwmetrics' has no attribute {name!r}")
