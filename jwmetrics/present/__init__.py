"""How jwmetrics shows its objects: in words, tables, styles, charts and files.

The rest of the library decides (statuses, reasons, figures); this package only presents,
one module per thing presented, so "how is a status shown?" has one answer:

- :mod:`~jwmetrics.text`: numbers, money, values and per cent the British way, and
  text from files made safe for Markdown;
- :mod:`~jwmetrics.present.status`: a status's symbol, colour, badge and cell style;
- :mod:`~jwmetrics.present.assessment`: one series' assessment in words (latest figure,
  target, progress, age, when judged);
- :mod:`~jwmetrics.present.tables`: tables for the screen (statuses, figures, partners,
  track records);
- :mod:`~jwmetrics.present.chart_style`, :mod:`~jwmetrics.present.trend_chart`,
  :mod:`~jwmetrics.present.summary_chart`, :mod:`~jwmetrics.present.spc_chart`: plotly figures
  (:mod:`~jwmetrics.present.trend_marks`: a trend's symbols, keys, labels and source note;
  :mod:`~jwmetrics.present.chart_labels`: labels placed so that none prints over another;
  :mod:`~jwmetrics.present.event_marks`: dated events as dotted lines with hover markers);
- :mod:`~jwmetrics.present.files`: downloads as CSV or Excel, every cell formula-safe;
- :mod:`~jwmetrics.present.return_check` and :mod:`~jwmetrics.present.returns_log`: a
  checked return (with its error summary), and the log of returns;
- :mod:`~jwmetrics.present.balancing_chart`: a target measure and its balancing measures on
  one time axis; :mod:`~jwmetrics.present.compare_charts` and
  :mod:`~jwmetrics.present.comparison_table`: a comparison of areas as funnel and ranked
  plots, and as a table;
- :mod:`~jwmetrics.present.value_chart` and :mod:`~jwmetrics.present.value_tables`: value for
  money; :mod:`~jwmetrics.present.self_assessment_chart` and
  :mod:`~jwmetrics.present.self_assessment_tables`: the self-assessment;
- :mod:`~jwmetrics.present.templates`: the return and self-assessment templates to download;
- :mod:`~jwmetrics.present.commentary_text`: commentary as safe HTML (a small Markdown subset);
- :mod:`~jwmetrics.present.change_table`: the overview's "Changes since" panel as rows,
  values in their units;
- :mod:`~jwmetrics.present.judgement`: a delivery confidence rating said beside the status;
- :mod:`~jwmetrics.present.passport` and :mod:`~jwmetrics.present.passport_html`: a measure
  passport in words (with the revision note beside provisional figures) and as the pack's annex;
- :mod:`~jwmetrics.present.pack` (a folder: the document, its statuses, its dated events) and
  :mod:`~jwmetrics.present.pdf`: a briefing pack as one HTML file, and that file printed to
  PDF by Chromium;
- :mod:`~jwmetrics.present.progress_bar`: the command line's progress bar;
- :mod:`~jwmetrics.present.help_text`: the project's documents as the app's Help page.

Nothing here imports Streamlit, and this file imports nothing: a module imports exactly the
presentation it needs.
"""
