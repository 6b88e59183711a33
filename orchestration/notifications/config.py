"""Notification settings from dlt config and secrets (``.dlt/secrets.toml`` or the
environment), never from the warehouse.

```toml
[notifications]
dashboard_url = "https://readiness.example.com"   # optional, linked from every message
expire_after_days = 7                               # optional

[notifications.slack.webhooks]                      # secrets: team (or user) -> webhook URL
payments = "https://hooks.slack.com/services/T000/B000/XXXX"
"group:default/search" = "https://hooks.slack.com/services/T000/B001/YYYY"

[notifications.slack]
default_webhook = "https://hooks.slack.com/services/T000/B002/ZZZZ"   # optional

[notifications.email]
smtp_host = "smtp.example.com"
smtp_port = 587
security = "starttls"          # or "ssl" (465) or "none"
username = "readiness"
password = "..."               # secret
from_address = "readiness@example.com"
```

As environment variables: ``NOTIFICATIONS__EMAIL__SMTP_HOST``, ``NOTIFICATIONS__EMAIL__PASSWORD``,
``NOTIFICATIONS__SLACK__WEBHOOKS='{"payments": "https://hooks..."}'`` (JSON), ...
"""

from __future__ import annotations

import json
from typing import Any

import dlt
from pydantic import ValidationError

from readiness.errors import ReadinessError
from readiness.notify.settings import NotifySettings

_KEYS = {
    ("slack", "webhooks"): "notifications.slack.webhooks",
    ("slack", "default_webhook"): "notifications.slack.default_webhook",
    ("slack", "timeout_seconds"): "notifications.slack.timeout_seconds",
    ("email", "smtp_host"): "notifications.email.smtp_host",
    ("email", "smtp_port"): "notifications.email.smtp_port",
    ("email", "security"): "notifications.email.security",
    ("email", "username"): "notifications.email.username",
    ("email", "password"): "notifications.email.password",
    ("email", "from_address"): "notifications.email.from_address",
    ("email", "timeout_seconds"): "notifications.email.timeout_seconds",
    ("expire_after_days",): "notifications.expire_after_days",
    ("dashboard_url",): "notifications.dashboard_url",
}


def _value(key: str) -> Any:
    for accessor in (dlt.secrets, dlt.config):
        try:
            value = accessor.get(key)
        except Exception as exc:  # a malformed toml file: say which, not what it holds
            raise ReadinessError(
                f"cannot read {key} from the dlt configuration: {type(exc).__name__}"
            ) from None
        if value not in (None, ""):
            return value
    return None


def notify_settings() -> NotifySettings:
    """Resolve every notification setting; raise ReadinessError naming a bad key."""
    data: dict[str, Any] = {}
    for path, key in _KEYS.items():
        value = _value(key)
        if value is None:
            continue
        if path == ("slack", "webhooks"):
            if isinstance(value, str):
                try:
                    value = json.loads(value)
                except json.JSONDecodeError:
                    raise ReadinessError(
                        f"{key} must be a table of team -> webhook URL "
                        "(in the environment, a JSON object)"
                    ) from None
            value = {str(k): str(v) for k, v in dict(value).items()}
        target = data
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
    try:
        return NotifySettings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"notifications.{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise ReadinessError(f"invalid notification settings: {problems}") from None
