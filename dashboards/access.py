"""Who may see the dashboard and who may use its SQL page: the login's configuration.

The login is OpenID Connect through Streamlit's ``st.login``. It is off unless configured,
in ``<home>/secrets.toml`` (Streamlit's ``[auth]`` section, plus readiness's ``[access]``)
or in the environment (``READINESS_AUTH_*``, ``READINESS_ACCESS_*``; the environment wins).
When it is on, a person gets in only when the identity provider says so *and* the
allow-list does: an e-mail domain or a group listed in ``[access]``. The SQL page is for
a role: the e-mail addresses and groups in ``sql_emails`` / ``sql_groups`` (nobody
else, when the login is on). Everything here is plain data, checked before the server
starts, so a wrong setting is refused with the file and key instead of a broken page.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readiness.errors import ReadinessError

SECRETS_FILE = "secrets.toml"
AUTH_KEYS = ("client_id", "client_secret", "server_metadata_url", "redirect_uri", "cookie_secret")
SECRET_KEYS = ("client_secret", "cookie_secret")
_LIST_KEYS = ("allowed_domains", "allowed_groups", "sql_emails", "sql_groups")
DEFAULT_SCOPE = "openid email profile"


class AccessError(ReadinessError):
    """The login's configuration is wrong; the message names where."""


@dataclass(frozen=True)
class AccessPolicy:
    allowed_domains: frozenset[str] = frozenset()
    allowed_groups: frozenset[str] = frozenset()
    sql_emails: frozenset[str] = frozenset()
    sql_groups: frozenset[str] = frozenset()
    groups_claim: str = "groups"


@dataclass(frozen=True)
class Viewer:
    """The person looking at the dashboard, as the identity provider described them."""

    email: str | None
    groups: frozenset[str]
    email_verified: bool | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    may_use_sql: bool
    reason: str


@dataclass(frozen=True)
class LoginConfig:
    """``auth`` is Streamlit's [auth] section (None: the login is off)."""

    auth: dict[str, Any] | None = None
    policy: AccessPolicy = field(default_factory=AccessPolicy)
    source: str = "not configured"

    @property
    def enabled(self) -> bool:
        return self.auth is not None


def _words(value: Any, where: str) -> frozenset[str]:
    if isinstance(value, str):
        items = [item.strip() for item in value.split(",")]
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = [item.strip() for item in value]
    else:
        raise AccessError(f"{where}: give a list of strings (or a comma-separated string)")
    return frozenset(item.lower() for item in items if item)


def decide(viewer: Viewer, policy: AccessPolicy) -> Decision:
    """May ``viewer`` see the dashboard, and use the SQL page? (The login is on.)"""
    email = (viewer.email or "").strip().lower()
    if not email:
        return Decision(False, False, "the identity provider gave no e-mail address")
    if viewer.email_verified is False:
        return Decision(False, False, f"the identity provider has not verified {email}")
    domain = email.rpartition("@")[2]
    groups = {group.lower() for group in viewer.groups}
    if domain not in policy.allowed_domains and not groups & policy.allowed_groups:
        return Decision(
            False,
            False,
            f"{email} is not in the allow-list (neither its domain nor any of its groups)",
        )
    sql = email in policy.sql_emails or bool(groups & policy.sql_groups)
    return Decision(True, sql, f"{email} is allowed")


def viewer_from_claims(claims: Mapping[str, Any], policy: AccessPolicy) -> Viewer:
    raw = claims.get(policy.groups_claim) or []
    groups = [raw] if isinstance(raw, str) else [str(g) for g in raw if isinstance(g, str)]
    verified = claims.get("email_verified")
    if isinstance(verified, str):
        verified = verified.lower() == "true"
    return Viewer(
        email=claims.get("email") if isinstance(claims.get("email"), str) else None,
        groups=frozenset(groups),
        email_verified=verified if isinstance(verified, bool) else None,
    )


def _policy(section: Mapping[str, Any], where: str) -> AccessPolicy:
    unknown = sorted(set(section) - {*_LIST_KEYS, "groups_claim"})
    if unknown:
        raise AccessError(
            f"{where}: unknown key(s) {', '.join(unknown)} "
            f"(known: {', '.join((*_LIST_KEYS, 'groups_claim'))})"
        )
    values = {key: _words(section[key], f"{where}.{key}") for key in _LIST_KEYS if key in section}
    claim = section.get("groups_claim", "groups")
    if not isinstance(claim, str) or not claim:
        raise AccessError(f"{where}.groups_claim: give the name of the ID token's groups claim")
    return AccessPolicy(**values, groups_claim=claim)


def _from_file(path: Path) -> tuple[dict | None, dict]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AccessError(f"{path}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise AccessError(f"{path}: not valid TOML: {exc}") from None
    auth = data.get("auth")
    access = data.get("access") or {}
    if auth is not None and not isinstance(auth, dict):
        raise AccessError(f"{path}: [auth] must be a table")
    if not isinstance(access, dict):
        raise AccessError(f"{path}: [access] must be a table")
    return auth, access


def _from_environment(env: Mapping[str, str]) -> tuple[dict | None, dict]:
    auth = {
        key: env[f"READINESS_AUTH_{key.upper()}"]
        for key in AUTH_KEYS
        if env.get(f"READINESS_AUTH_{key.upper()}")
    }
    if auth:
        auth["client_kwargs"] = {
            "scope": env.get("READINESS_AUTH_SCOPE") or DEFAULT_SCOPE,
            "prompt": env.get("READINESS_AUTH_PROMPT") or "login",
        }
    access = {
        key: env[f"READINESS_ACCESS_{key.upper()}"]
        for key in (*_LIST_KEYS, "groups_claim")
        if env.get(f"READINESS_ACCESS_{key.upper()}")
    }
    return auth or None, access


def load_login_config(home: Path, env: Mapping[str, str] | None = None) -> LoginConfig:
    """The login's configuration from ``<home>/secrets.toml`` and the environment."""
    env = os.environ if env is None else env
    path = Path(home) / SECRETS_FILE
    file_auth, file_access = _from_file(path) if path.is_file() else (None, {})
    env_auth, env_access = _from_environment(env)
    auth = env_auth if env_auth is not None else file_auth
    source = "environment (READINESS_AUTH_*)" if env_auth is not None else str(path)
    where = "READINESS_ACCESS_*" if env_access else f"{path} [access]"
    policy = _policy(env_access or file_access, where)
    if auth is None:
        return LoginConfig(None, policy, "not configured")
    missing = [key for key in AUTH_KEYS if not auth.get(key)]
    if missing:
        raise AccessError(
            f"{source}: the login is missing {', '.join(missing)} "
            "(see docs/security.md, 'Putting the dashboard behind a login')"
        )
    if not str(auth["redirect_uri"]).endswith("/oauth2callback"):
        raise AccessError(
            f"{source}: redirect_uri must be the dashboard's URL ending in /oauth2callback"
        )
    if len(str(auth["cookie_secret"])) < 32:
        raise AccessError(f"{source}: cookie_secret must be at least 32 random characters")
    if not policy.allowed_domains and not policy.allowed_groups:
        raise AccessError(
            f"{where}: the login needs an allow-list: allowed_domains or allowed_groups "
            "(an identity provider alone lets in anyone it knows)"
        )
    return LoginConfig(dict(auth), policy, source)
