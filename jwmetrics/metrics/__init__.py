"""The one public face: :class:`Metrics`, which the app, the command line and notebooks call.

- :mod:`~jwmetrics.metrics.face`: :class:`Metrics` itself (status, series, returns,
  catalogue, comparison, schedule), built from one mixin per concern:
- :mod:`~jwmetrics.metrics.briefing`: commentary, packs and changes;
- :mod:`~jwmetrics.metrics.governance`: users, sign-in and the audit log;
- :mod:`~jwmetrics.metrics.actions`: remedial actions and balancing measures;
- :mod:`~jwmetrics.metrics.self_assessment`: the self-assessment tool;
- :mod:`~jwmetrics.metrics.value`: value for money;
- :mod:`~jwmetrics.metrics.events`: dated events (policy, definition, data, funding);
- :mod:`~jwmetrics.metrics.passport`: measure passports and revisions measured;
- :mod:`~jwmetrics.metrics.returns`: a return's check, commit, approval and the returns log;
- :mod:`~jwmetrics.metrics.alerts`: follows, the inbox, ``notify`` and scheduled packs.

Its vocabulary: reads are nouns (``returns()``, ``comparison()``), writes start ``add_``,
``remove_`` or ``close_``, a return moves by ``check_``, ``commit_``, ``approve_``,
``reject_`` and ``withdraw_``, and questions start ``may_``.
"""

from __future__ import annotations

from jwmetrics.metrics.face import Metrics

__all__ = ["Metrics"]
