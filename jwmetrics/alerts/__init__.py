"""Alerts (issue 24): tell people when something they follow changes, once, and why.

- :mod:`~jwmetrics.alerts.watches`: who follows what (an initiative, a measure in an area,
  a partner's returns), and the default follows of approvers and administrators;
- :mod:`~jwmetrics.alerts.rules`: what about a followed series is worth an alert (a status
  change, a Red call, a verdict, a revision beyond the noise, a special cause, commentary);
- :mod:`~jwmetrics.alerts.timed`: a return submitted for my approval (in the commit's own
  transaction), a return overdue, a remedial action due or overdue;
- :mod:`~jwmetrics.alerts.state`: what was last alerted, so each alert fires once;
- :mod:`~jwmetrics.alerts.evaluate`: the rules' one run, writing the outbox;
- :mod:`~jwmetrics.alerts.outbox`: the outbox rows, delivery preferences, the inbox;
- :mod:`~jwmetrics.alerts.links`: deep links into the app with ``as_of``;
- :mod:`~jwmetrics.alerts.mail`: e-mail through SMTP (plain text and HTML);
- :mod:`~jwmetrics.alerts.webhook`: signed JSON webhooks with retries;
- :mod:`~jwmetrics.alerts.notify`: the sender, one at a time, at least once;
- :mod:`~jwmetrics.alerts.schedules`: briefing packs sent on a timer.
"""

from __future__ import annotations

from jwmetrics.alerts.notify import NotifyReport
from jwmetrics.alerts.outbox import DELIVERIES, InboxItem
from jwmetrics.alerts.watches import WatchRecord, user_key

__all__ = ["DELIVERIES", "InboxItem", "NotifyReport", "WatchRecord", "user_key"]
