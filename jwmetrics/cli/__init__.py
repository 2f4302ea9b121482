"""``python -m jwmetrics``: the command line, one module per group of commands.

- :mod:`~jwmetrics.cli.main`: the parser, the table of commands, and :func:`main`;
- :mod:`~jwmetrics.cli.args`: what every command shares: the argument types,
  ``CommandFailed`` (exit 1), and ``emit``, the one way a command writes its records as
  text, JSON or CSV;
- :mod:`~jwmetrics.cli.catalogue`: ``init``, ``initiatives``, ``measures``, ``catalogue``,
  ``load-snapshot``;
- :mod:`~jwmetrics.cli.status`: ``status``;
- :mod:`~jwmetrics.cli.returns`: ``import``, ``withdraw``, ``template``;
- :mod:`~jwmetrics.cli.governance`: ``users``, ``approve``, ``reject``, ``audit``, ``returns``;
- :mod:`~jwmetrics.cli.spc`: ``spc``, ``change-point``, ``track-record``;
- :mod:`~jwmetrics.cli.ratings`: ``rate``, ``ratings`` (delivery confidence);
- :mod:`~jwmetrics.cli.events`: ``event add``, ``events`` (dated events);
- :mod:`~jwmetrics.cli.passport`: ``passport`` (a measure's passport);
- :mod:`~jwmetrics.cli.alerts`: ``watch``, ``notify``, ``pack-schedule`` (alerts);
- :mod:`~jwmetrics.cli.compare`, :mod:`~jwmetrics.cli.briefing`,
  :mod:`~jwmetrics.cli.schedule`, :mod:`~jwmetrics.cli.self_assessment`,
  :mod:`~jwmetrics.cli.value`, :mod:`~jwmetrics.cli.actions`: one group each.

Every command opens one :class:`~jwmetrics.metrics.Metrics` and makes its calls.
"""

from __future__ import annotations
