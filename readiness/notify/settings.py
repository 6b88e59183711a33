"""Where notifications go: channel settings, resolved from secrets by the orchestration.

Webhook URLs and SMTP credentials are secrets: they live in these models as ``SecretStr``
(never printed, never logged) and are never written to the warehouse. What the outbox
records is the route's *name* (the webhook key, the email addresses), not the secret.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr

DEFAULT_WEBHOOK = "default"


class SlackSettings(BaseModel):
    """Slack-compatible incoming webhooks (Slack, Mattermost, Rocket.Chat, ...).

    An incoming webhook posts into one channel, and its URL is a secret: the catalog's chat
    link names a channel but cannot be posted to. So each team's webhook is mapped here,
    keyed by the team's entity ref or its name (``payments`` or ``group:default/payments``;
    a TPM's webhook by user name or ref). ``default_webhook`` takes every recipient
    without one of its own.
    """

    model_config = ConfigDict(extra="forbid")
    webhooks: dict[str, SecretStr] = Field(default_factory=dict)
    default_webhook: SecretStr | None = None
    timeout_seconds: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool(self.webhooks) or self.default_webhook is not None

    def route(self, recipient_ref: str) -> str | None:
        """The webhook key for a recipient: its ref, its name, else the default (or None)."""
        name = recipient_ref.split("/", 1)[-1]
        keys = {key.lower(): key for key in self.webhooks}
        for candidate in (recipient_ref.lower(), name.lower()):
            if candidate in keys:
                return keys[candidate]
        return DEFAULT_WEBHOOK if self.default_webhook is not None else None

    def url(self, route: str) -> SecretStr | None:
        if route == DEFAULT_WEBHOOK and route not in self.webhooks:
            return self.default_webhook
        return self.webhooks.get(route)

    @staticmethod
    def host(url: SecretStr) -> str:
        """The webhook's host, safe to show (the path holds the secret)."""
        return urlsplit(url.get_secret_value()).netloc.rsplit("@", 1)[-1] or "?"


class EmailSettings(BaseModel):
    """SMTP: ``security`` is ``starttls`` (port 587), ``ssl`` (port 465) or ``none``."""

    model_config = ConfigDict(extra="forbid")
    smtp_host: str | None = None
    smtp_port: int = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    from_address: str = "readiness@localhost"
    timeout_seconds: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool(self.smtp_host)


class NotifySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slack: SlackSettings = Field(default_factory=SlackSettings)
    email: EmailSettings = Field(default_factory=EmailSettings)
    # A message not delivered within this many days of the day it is about expires: it is
    # kept in the outbox as `expired`, never sent late (a stale reminder misleads).
    expire_after_days: int = Field(default=7, ge=1)
    dashboard_url: str | None = None  # linked from every message when set

    def enabled(self, channel: str) -> bool:
        return getattr(self, channel).enabled

    def disabled_reason(self, channel: str) -> str:
        if channel == "slack":
            return (
                "no webhook configured (notifications.slack.webhooks or "
                "notifications.slack.default_webhook)"
            )
        return "no SMTP server configured (notifications.email.smtp_host)"
