"""E-mail through SMTP: ``JWMETRICS_SMTP_URL`` and ``JWMETRICS_MAIL_FROM``.

The URL is ``smtp://[user:password@]host[:port]`` (port 587 by default; STARTTLS whenever
the server offers it, and a login only after it), ``smtps://...`` (implicit TLS, port 465),
or ``smtp+plain://...`` (no TLS even if offered: a test server or a relay on the same
machine). The password is never logged or shown: :func:`describe` is what messages say.
Each message has a plain-text part and an HTML part, and a ``Message-ID`` made from the
alert's dedupe key, so a message sent twice after a crash is one message to mail clients.
"""

from __future__ import annotations

import hashlib
import html
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

from jwmetrics.problems import InputError, Problem

SMTP_URL_ENV = "JWMETRICS_SMTP_URL"
MAIL_FROM_ENV = "JWMETRICS_MAIL_FROM"
DEFAULT_FROM = "jwmetrics <jwmetrics@localhost>"
SCHEMES = {"smtp": 587, "smtps": 465, "smtp+plain": 25}
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send mail; ``password`` is never put in a message or a log."""

    scheme: str
    host: str
    port: int
    user: str
    password: str
    sender: str

    def describe(self) -> str:
        """The server without the password: ``smtp://alerts@mail.example.org:587``."""
        who = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{who}{self.host}:{self.port}"


def smtp_settings(environ: dict[str, str] | None = None) -> SmtpSettings | None:
    """The SMTP settings from the environment; None when no mail server is set."""
    env = os.environ if environ is None else environ
    url = env.get(SMTP_URL_ENV, "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        shown = f"{parts.scheme}://{parts.hostname or ''}"
        expected = "smtp://[user:password@]host[:port], smtps://... or smtp+plain://..."
        raise InputError([Problem(SMTP_URL_ENV, None, None, shown, f"expected {expected}")])
    sender = env.get(MAIL_FROM_ENV, "").strip() or DEFAULT_FROM
    return SmtpSettings(
        parts.scheme,
        parts.hostname,
        parts.port or SCHEMES[parts.scheme],
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        sender,
    )


def build_message(
    settings: SmtpSettings,
    to: str,
    subject: str,
    text: str,
    dedupe_key: str,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
) -> EmailMessage:
    """A message with a plain-text and an HTML part (the same words, the link a link),
    and any attachments (file name, MIME type, bytes)."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
    domain = settings.sender.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
    message["Message-ID"] = f"<{digest}@{domain}>"
    message.set_content(text)
    message.add_alternative(text_to_html(text), subtype="html")
    for name, mime, data in attachments:
        main, _, sub = mime.partition("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return message


def text_to_html(text: str) -> str:
    """The plain text as simple HTML: paragraphs, and each address a link."""
    paragraphs = []
    for block in text.split("\n\n"):
        lines = []
        for line in block.splitlines():
            escaped = html.escape(line)
            for word in line.split():
                if word.startswith(("http://", "https://")):
                    href = html.escape(word)
                    escaped = escaped.replace(href, f'<a href="{href}">{href}</a>')
            lines.append(escaped)
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return "<html><body>" + "".join(paragraphs) + "</body></html>"


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send one message; any failure raises :class:`MailError` without the password."""
    try:
        if settings.scheme == "smtps":
            context = ssl.create_default_context()
            with smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context
            ) as server:
                _login_and_send(server, settings, message)
            return
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as server:
            server.ehlo()
            if settings.scheme == "smtp" and server.has_extn("starttls"):
                server.starttls(context=ssl.create_default_context())
                server.ehlo()
            elif settings.user and settings.scheme == "smtp":
                raise MailError(
                    f"{settings.describe()} offers no STARTTLS: the password is not sent in "
                    "clear (use smtps://, or smtp+plain:// for a relay on this machine)"
                )
            _login_and_send(server, settings, message)
    except (OSError, smtplib.SMTPException) as exc:
        reason = str(exc).replace(settings.password, "***") if settings.password else str(exc)
        raise MailError(f"cannot send through {settings.describe()}: {reason}") from None


def _login_and_send(server: smtplib.SMTP, settings: SmtpSettings, message: EmailMessage) -> None:
    if settings.user:
        server.login(settings.user, settings.password)
    server.send_message(message)


class MailError(RuntimeError):
    """Sending failed; the message names the server without the password."""
