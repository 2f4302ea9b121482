"""One module per section of a page: thin views over library results, used by ``pages/``.

Cached reads come from :mod:`dashboard.cache`; writes and uncached reads call the face
(:func:`dashboard.cache.get_metrics`) directly.

- :mod:`dashboard.sections.overview`: the overview's status chart, tables and costs.
- :mod:`dashboard.sections.initiative`: the initiative drill-down: figures, chart, profile.
- :mod:`dashboard.sections.balancing`: the initiative page's balancing measures.
- :mod:`dashboard.sections.compare`: the initiative page's fair comparison of areas.
- :mod:`dashboard.sections.value`: value for money, per initiative and across the portfolio.
- :mod:`dashboard.sections.actions`: remedial actions on Amber and Red measures.
- :mod:`dashboard.sections.ratings`: delivery confidence judged beside the computed status.
- :mod:`dashboard.sections.events`: the series' dated events and the form to record one.
- :mod:`dashboard.sections.briefing`: commentary, pack downloads, changes since a day.
- :mod:`dashboard.sections.self_assessment`: self-assessment scores, template and import.
- :mod:`dashboard.sections.upload`: the upload page's steps, from template to commit.
- :mod:`dashboard.sections.returns`: approving, rejecting and withdrawing returns.
- :mod:`dashboard.sections.admin`: the Administration page's users, roles and audit log.
- :mod:`dashboard.sections.passport`: the measure passport page, its link under every
  chart and the revision note beside provisional figures.
- :mod:`dashboard.sections.inbox`: alerts: Follow buttons, the inbox, the sidebar bell.
"""
