"""A real SMTP server on this machine for the alert tests (aiosmtpd), keeping every message
it receives; and small helpers shared by the alert tests."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from jwmetrics.metrics import Metrics

ENGLAND = "E92000001"
COUNT = "rough-sleepers-count"
HEADER = "initiative,measure,area_code,period,value,note\n"


@dataclass
class Inbox:
    """What the server received: (envelope recipients, parsed message)."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.received if address in rcpt]


@dataclass
class HeldInbox(Inbox):
    """An inbox that keeps the sender waiting at its first message until ``release`` is set
    (``arrived`` is set when that message is in): a ``notify`` run is then held mid-send,
    holding its sender lock, for as long as a test needs."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        self.arrived.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return answer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(inbox: Inbox | None = None) -> Iterator[tuple[str, Inbox]]:
    """A running server; yields its ``smtp+plain://`` URL and what it received."""
    inbox = inbox if inbox is not None else Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp+plain://127.0.0.1:{port}", inbox
    finally:
        controller.stop()


def commit(metrics: Metrics, rows: str, published: date, name: str) -> None:
    """Check and commit a synthetic return (every row says it is synthetic)."""
    lines = "".join(f"{row},synthetic test row\n" for row in rows.strip().splitlines())
    check = metrics.check_return(
        (HEADER + lines).encode(), name, partner="Rough Sleepers Unit", published_on=published
    )
    assert not check.errors, check.errors
    metrics.commit_return(check, confirm_warnings=True)


def plain_part(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def html_part(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())
