"""A briefing pack as one HTML document (printed to PDF by :mod:`jwmetrics.present.pdf`).

- :mod:`~jwmetrics.present.pack.document`: the document: its style, title page, changes
  page, one page per measure and the passport annex; :func:`pack_file` renders a pack's
  content as HTML or PDF;
- :mod:`~jwmetrics.present.pack.status`: the order of statuses, their badges, the one-page
  summary table and the judged rating beside each status;
- :mod:`~jwmetrics.present.pack.events`: the dated events of each initiative.

What goes in a pack is decided by :mod:`jwmetrics.briefing.content`; this folder only
draws it.
"""
