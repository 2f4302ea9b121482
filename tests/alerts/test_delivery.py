"""Alerts delivered (issue 24): e-mail through a real SMTP server on this machine
(aiosmtpd), ``notify`` run twice and from two processes at once, a revision inside the
noise, a signed webhook retried after a 500, a scheduled pack skipped when unchanged, and
the password kept out of every message. Both backends where a database is used."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from alert_support import (
    COUNT,
    ENGLAND,
    HeldInbox,
    commit,
    html_part,
    plain_part,
    smtp_server,
)
from sqlalchemy import create_engine, func, make_url, select, text

from jwmetrics.alerts.mail import MailError, build_message, send, smtp_settings
from jwmetrics.alerts.notify import Channels
from jwmetrics.alerts.webhook import SIGNATURE_HEADER, WebhookSettings
from jwmetrics.db.alert_models import Alert
from jwmetrics.db.engine import Database
from jwmetrics.metrics import Metrics

ROOT = Path(__file__).resolve().parents[2]
FOLLOWERS = ("ann@example.org", "bob@example.org")
RED = f"rough-sleepers-unit,{COUNT},{ENGLAND},December 2001,1500"


def channels(url: str) -> Channels:
    settings = smtp_settings({"JWMETRICS_SMTP_URL": url})
    return Channels(settings, None, pack_formats=("html",))


@pytest.fixture
def metrics(db: Database) -> Iterator[Metrics]:
    yield Metrics(db)


def follow_and_turn_red(metrics: Metrics) -> None:
    for email in FOLLOWERS:
        metrics.add_watch(f"measure:{COUNT}", user=email)
    metrics.refresh_alerts()  # the followers' baseline: Amber
    commit(metrics, RED, date(2002, 1, 15), "red.csv")


def test_a_status_change_mails_each_follower_once_with_reasons_and_link(
    metrics: Metrics,
) -> None:
    with smtp_server() as (url, server):
        follow_and_turn_red(metrics)
        first = metrics.notify(channels=channels(url))
        assert first.failed == 0
        for email in FOLLOWERS:
            (message,) = server.to(email)
            text = plain_part(message)
            assert "Red call" in message["Subject"] and "was Amber" in message["Subject"]
            assert "Before (Amber" in text and "At risk:" in text  # the old reason
            assert "Now (Red): Off track:" in text  # the new reason
            assert "lower is better" in text
            assert message["Message-ID"]
            link = next(w for w in text.split() if w.startswith("http"))
            parts = urlsplit(link)
            assert parts.path == "/initiative"
            assert parse_qs(parts.query) == {
                "initiative": ["rough-sleepers-unit"], "measure": [COUNT],
                "area": [ENGLAND], "as_of": ["2002-01-15"],
            }  # fmt: skip
            assert f'<a href="{link.replace("&", "&amp;")}">' in html_part(message)
        assert len(server.received) == len(FOLLOWERS)
        again = metrics.notify(channels=channels(url))
        assert again.found == 0 and again.sent == 0
        assert len(server.received) == len(FOLLOWERS)  # nothing new the second time


def test_dry_run_says_what_and_changes_nothing(metrics: Metrics, db: Database) -> None:
    follow_and_turn_red(metrics)
    with db.session() as session:
        before = session.scalar(
            select(func.count()).select_from(Alert).where(Alert.sent_at.is_(None))
        )
    report = metrics.notify(dry_run=True, channels=Channels(None, None))
    assert any("ann@example.org" in line and "Red call" in line for line in report.lines)
    with db.session() as session:
        after = session.scalar(
            select(func.count()).select_from(Alert).where(Alert.sent_at.is_(None))
        )
    assert after == before


def test_two_notify_processes_at_once_send_each_message_once(metrics: Metrics, db_url: str) -> None:
    with smtp_server() as (url, server):
        follow_and_turn_red(metrics)
        env = {**os.environ, "JWMETRICS_SMTP_URL": url, "JWMETRICS_DATABASE_URL": db_url}
        command = [sys.executable, "-m", "jwmetrics", "notify"]
        runs = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert sorted(r for rcpt, _ in server.received for r in rcpt) == sorted(FOLLOWERS)


def waiting_for_the_sender_lock(db_url: str) -> bool:
    """True when some process waits for the notify sender's lock: a PostgreSQL advisory lock
    not granted, or (SQLite) a process queued on the lock file's ``flock`` in /proc/locks."""
    if db_url.startswith("postgresql"):
        engine = create_engine(db_url)
        with engine.connect() as connection:
            waiting = connection.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            ).scalar_one()
        engine.dispose()
        return bool(waiting)
    lock_file = Path(make_url(db_url).database or "").with_suffix(".sqlite.notify.lock")
    if not lock_file.exists():
        return False
    inode = f":{lock_file.stat().st_ino} "
    return any("->" in line and inode in line for line in Path("/proc/locks").open())


def test_a_second_notify_waits_while_the_first_is_sending_and_then_sends_nothing(
    metrics: Metrics, db_url: str
) -> None:
    """Overlap forced: the first ``notify`` is held by the SMTP server in the middle of its
    first message; a second one started then must wait for the sender lock (seen in
    pg_locks or /proc/locks) and, once the first is done, find nothing left to send."""
    held = HeldInbox()
    with smtp_server(held) as (url, server):
        follow_and_turn_red(metrics)
        env = {**os.environ, "JWMETRICS_SMTP_URL": url, "JWMETRICS_DATABASE_URL": db_url}
        command = [sys.executable, "-m", "jwmetrics", "notify"]
        first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        try:
            assert held.arrived.wait(timeout=120), "the first notify sent nothing"
            second = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 120
            while not waiting_for_the_sender_lock(db_url):  # the second reaches the lock
                assert second.poll() is None, "the second notify ran while the first sent"
                assert time.monotonic() < deadline, "the second notify never waited"
                time.sleep(0.05)
        finally:
            held.release.set()
        outputs = [run.communicate(timeout=120)[0] for run in (first, second)]
    assert [run.returncode for run in (first, second)] == [0, 0], outputs
    assert sorted(r for rcpt, _ in server.received for r in rcpt) == sorted(FOLLOWERS)


def test_a_revision_inside_the_noise_sends_nothing_and_one_beyond_it_does(
    metrics: Metrics,
) -> None:
    area = "E07000032"
    months = ["January", "February", "March", "April", "May", "June", "July", "August"]
    values = [50, 53, 48, 51, 49, 52, 50, 47]
    series = "\n".join(
        f"rough-sleepers-unit,{COUNT},{area},{m} 2000,{v}"
        for m, v in zip(months, values, strict=True)
    )
    commit(metrics, series, date(2000, 9, 1), "series.csv")
    sigma = metrics.spc(COUNT, area).segments[-1].sigma
    assert 1 < sigma < 5
    metrics.add_watch(f"measure:{COUNT}@{area}", user="ann@example.org")
    metrics.refresh_alerts()  # the baseline
    with smtp_server() as (url, server):
        inside = 48 + sigma * 0.9
        commit(metrics, f"rough-sleepers-unit,{COUNT},{area},March 2000,{inside:.2f}",
               date(2000, 10, 1), "inside.csv")  # fmt: skip
        metrics.notify(channels=channels(url))
        assert [m["Subject"] for _, m in server.received] == []
        commit(metrics, f"rough-sleepers-unit,{COUNT},{area},March 2000,80",
               date(2000, 11, 1), "beyond.csv")  # fmt: skip
        metrics.notify(channels=channels(url))
        subjects = [m["Subject"] for _, m in server.received]
        assert any(s.startswith("Revised figure") and "March 2000" in s for s in subjects)
        text = plain_part(server.received[0][1])
        assert "more than the series' noise (SPC sigma" in text


class Receiver(BaseHTTPRequestHandler):
    """Answers 500 to the first POST and 200 after; keeps each body and signature."""

    seen: ClassVar[list[tuple[bytes, str]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.seen.append((body, self.headers.get(SIGNATURE_HEADER, "")))
        self.send_response(500 if len(Receiver.seen) == 1 else 200)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


def test_a_webhook_gets_a_signed_json_body_and_a_retry_after_a_500(metrics: Metrics) -> None:
    Receiver.seen = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    waits: list[float] = []
    try:
        follow_and_turn_red(metrics)
        hook = WebhookSettings(f"http://127.0.0.1:{server.server_port}/hook", "s3cret")
        report = metrics.notify(channels=Channels(None, hook, sleep=waits.append))
    finally:
        server.shutdown()
    assert report.failed == 0
    assert len(Receiver.seen) == 2 and waits == [1.0]  # one retry, after the first back-off
    body, signature = Receiver.seen[1]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert signature == expected
    payload = json.loads(body)
    assert payload["kind"] == "red" and payload["before"] == "Amber" and payload["after"] == "Red"
    assert payload["direction"] == "down" and "as_of=2002-01-15" in payload["link"]


def test_the_smtp_password_is_never_in_a_message() -> None:
    settings = smtp_settings({"JWMETRICS_SMTP_URL": "smtp://alerts:Hunter2pw@127.0.0.1:9"})
    assert settings is not None and "Hunter2pw" not in settings.describe()
    message = build_message(settings, "a@example.org", "s", "t", "k")
    with pytest.raises(MailError) as raised:
        send(settings, message)
    assert "Hunter2pw" not in str(raised.value) and "alerts@127.0.0.1:9" in str(raised.value)


def test_a_scheduled_pack_with_skip_unchanged_is_sent_once_when_nothing_changed(
    metrics: Metrics,
) -> None:
    metrics.add_pack_schedule("eydcp", "week", ["minister@example.org"], skip_unchanged=True)
    now = datetime(2026, 1, 5, 8, 0)
    with smtp_server() as (url, server):
        metrics.notify(channels=channels(url), now=now)
        metrics.notify(channels=channels(url), now=now + timedelta(days=8))  # due, unchanged
        (message,) = server.to("minister@example.org")
        assert "as known on" in message["Subject"]
        (attachment,) = list(message.iter_attachments())
        assert b"As known on" in attachment.get_content().encode()
        commit(metrics, "eydcp,nursery-places-3-year-olds,E92000001,31 March 2002,80",
               date(2002, 4, 30), "eydcp.csv")  # fmt: skip
        metrics.notify(channels=channels(url), now=now + timedelta(days=16))  # changed
        assert len(server.to("minister@example.org")) == 2


def test_a_daily_digest_waits_for_the_morning_and_comes_as_one_e_mail(metrics: Metrics) -> None:
    metrics.add_delivery_preference("daily", user="ann@example.org")
    metrics.add_watch(f"measure:{COUNT}", user="ann@example.org")
    metrics.add_watch("initiative:rough-sleepers-unit", user="ann@example.org")
    metrics.refresh_alerts()
    commit(metrics, RED, date(2002, 1, 15), "red.csv")
    metrics.add_comment(COUNT, ENGLAND, "December 2001", "Synthetic note: the count rose.")
    with smtp_server() as (url, server):
        now = datetime.now()
        metrics.notify(channels=channels(url), now=now)
        assert server.received == []  # not before the digest's hour
        morning = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
        metrics.notify(channels=channels(url), now=morning + timedelta(hours=8))
        (message,) = server.to("ann@example.org")
        assert message["Subject"] == "jwmetrics digest: 2 alerts"
        text = plain_part(message)
        assert "Red call" in text and "Commentary" in text


def test_since_sends_only_alerts_made_on_or_after_the_day(metrics: Metrics) -> None:
    with smtp_server() as (url, server):
        follow_and_turn_red(metrics)
        tomorrow = date.today() + timedelta(days=1)
        assert metrics.notify(channels=channels(url), since=tomorrow).sent == 0
        assert server.received == []  # made today: left due, not sent, not lost
        assert metrics.notify(channels=channels(url), since=date.today()).sent == 2
