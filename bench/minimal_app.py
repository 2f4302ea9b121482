"""The baseline app of the cold-start and memory benchmarks (``bench/scale_bench.py``).

Why: a Streamlit server that imports streamlit, pandas, plotly and SQLAlchemy and draws one
plotly chart costs a fixed amount of start-up time and memory whatever the app does. The
dashboard is compared with this app so that the benchmark shows only what jwmetrics adds on
top (its own imports, opening and migrating the database, reading the figures).
It reads no database.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import sqlalchemy
import streamlit as st

st.set_page_config(page_title="Baseline app", layout="wide")
st.title("Baseline app")
st.caption(f"Imports streamlit, pandas, plotly and SQLAlchemy {sqlalchemy.__version__} only.")

frame = pd.DataFrame(
    {
        "quarter": [f"{year} Q{q}" for year in range(1998, 2025) for q in range(1, 5)],
        "value": [1850 - 10 * i + (i % 4) * 15 for i in range(108)],
    }
)
figure = go.Figure(go.Scatter(x=frame["quarter"], y=frame["value"], mode="lines+markers"))
figure.update_layout(title="One synthetic series", height=400)
st.plotly_chart(figure)
