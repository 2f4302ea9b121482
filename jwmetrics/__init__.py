"""jwmetrics: progress, trajectories, forecasts and RAG status for joined-up public services.

The library never imports Streamlit: the app (``app.py``, ``pages/``), the command line
(``python -m jwmetrics``), notebooks and tests all use it as it is.
"""

__version__ = "0.1.0"
