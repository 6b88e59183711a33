"""Delivering one message: a Slack-compatible incoming webhook, or email over SMTP.

Errors are reported as :class:`DeliveryError` with a message safe to log and store: it
names the channel, the recipient and what went wrong, never the webhook URL (its path is
the secret) or the SMTP password.
"""

from __future__ import annotations

import hashlib
import smtplib
import socket
import ssl
from contextlib import suppress
from email.message import EmailMessage
from email.utils import formatdate, getaddresses

import requests

from readiness.notify.messages import Message
from readiness.notify.settings import EmailSettings, SlackSettings


class DeliveryError(Exception):
    """A message could not be delivered; ``str()`` is safe to log (no secret in it)."""


def post_webhook(settings: SlackSettings, message: Message) -> None:
    """POST ``{"text": ...}`` to the recipient's webhook; 2xx is delivered."""
    url = settings.url(message.address)
    if url is None:
        raise DeliveryError(
            f"no webhook '{message.address}' in notifications.slack.webhooks any more"
        )
    host = SlackSettings.host(url)
    text = f"*{message.subject}*\n{message.body}"
    try:
        response = requests.post(
            url.get_secret_value(),
            json={"text": text},
            timeout=settings.timeout_seconds,
        )
    except requests.Timeout:
        raise DeliveryError(
            f"webhook at {host} did not answer within {settings.timeout_seconds:g}s"
        ) from None
    except requests.ConnectionError as exc:
        # The exception's text carries the full URL (and so the secret): never use it.
        reason = _connection_reason(exc)
        raise DeliveryError(f"cannot reach the webhook at {host}: {reason}") from None
    except requests.RequestException as exc:
        raise DeliveryError(f"webhook request to {host} failed: {type(exc).__name__}") from None
    if not 200 <= response.status_code < 300:
        detail = " ".join(response.text.split())[:200]
        raise DeliveryError(f"webhook at {host} answered HTTP {response.status_code}: {detail}")


def _connection_reason(exc: BaseException) -> str:
    seen = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, socket.gaierror):
            return "unknown host"
        if isinstance(seen, TimeoutError | socket.timeout):
            return "timed out"
        seen = seen.__cause__ or seen.__context__
    return "connection failed"


def message_id(message: Message, sender: str) -> str:
    """A Message-ID derived from the message key: a resent message is the same message to
    mail clients, which drop duplicates."""
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "readiness.local"
    return f"<{digest}@{domain}>"


class SmtpSession:
    """One SMTP connection for a run's emails, opened on first use."""

    def __init__(self, settings: EmailSettings):
        self.settings = settings
        self.client: smtplib.SMTP | None = None
        self.broken: str | None = None  # why the server cannot be used in this run

    def _where(self) -> str:
        return f"{self.settings.smtp_host}:{self.settings.smtp_port}"

    def _connect(self) -> smtplib.SMTP:
        if self.broken:
            raise DeliveryError(self.broken)
        if self.client is not None:
            return self.client
        settings = self.settings
        try:
            if settings.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.smtp_host,
                    settings.smtp_port,
                    timeout=settings.timeout_seconds,
                    context=ssl.create_default_context(),
                )
            else:
                client = smtplib.SMTP(
                    settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds
                )
                if settings.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
            if settings.username:
                password = settings.password.get_secret_value() if settings.password else ""
                client.login(settings.username, password)
        except smtplib.SMTPAuthenticationError as exc:
            self.broken = (
                f"SMTP server {self._where()} refused the login of {settings.username!r} "
                f"({exc.smtp_code})"
            )
            raise DeliveryError(self.broken) from None
        except (OSError, smtplib.SMTPException) as exc:
            self.broken = f"cannot use SMTP server {self._where()}: {_smtp_reason(exc)}"
            raise DeliveryError(self.broken) from None
        self.client = client
        return client

    def send(self, message: Message) -> str | None:
        """Send one email; returns a note when some (not all) recipients were refused
        (delivered to the others, so it must not be retried)."""
        recipients = [address for _, address in getaddresses([message.address]) if address]
        if not recipients:
            raise DeliveryError(f"no email address for {message.recipient_ref}")
        email = EmailMessage()
        email["From"] = self.settings.from_address
        email["To"] = ", ".join(recipients)
        email["Subject"] = message.subject
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = message_id(message, self.settings.from_address)
        email["X-Readiness-Key"] = message.key
        email.set_content(message.body)
        client = self._connect()
        try:
            refused = client.send_message(email, to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(
                f"SMTP server {self._where()} refused every recipient: "
                f"{', '.join(sorted(exc.recipients))}"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            self.broken = f"SMTP server {self._where()} failed: {_smtp_reason(exc)}"
            raise DeliveryError(self.broken) from None
        if refused:
            return f"delivered, but the SMTP server refused {', '.join(sorted(refused))}"
        return None

    def close(self) -> None:
        if self.client is not None:
            with suppress(OSError, smtplib.SMTPException):
                self.client.quit()
            self.client = None


def _smtp_reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"
