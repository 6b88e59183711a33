"""The login in front of every page (`dashboards.access` says who may come in).

Off unless configured: then every page is open to whoever reaches the port, which is
what the local demo wants and what `readiness serve` warns about. On: a person who is
not logged in sees only a "Log in" button (Streamlit's ``st.login``, OpenID Connect);
one logged in but outside the allow-list sees why, and a "Log out" button; one inside
sees the dashboard, and the SQL page only with the SQL role.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.secrets import secrets_singleton

from dashboards.access import (
    AccessError,
    Decision,
    LoginConfig,
    decide,
    load_login_config,
    viewer_from_claims,
)
from readiness.settings import Settings

_applied: dict[str, bool] = {}
OPEN = Decision(allowed=True, may_use_sql=True, reason="the login is off")


def login_config() -> LoginConfig:
    return load_login_config(Settings.from_env().home)


def _apply(config: LoginConfig) -> None:
    """Hand the [auth] section to Streamlit once per process (from the home's secrets
    file or the environment: st.login reads it from Streamlit's secrets)."""
    if config.enabled and not _applied.get("auth"):
        secrets_singleton.merge_programmatic_secrets({"auth": config.auth})
        _applied["auth"] = True


def current_decision(config: LoginConfig | None = None) -> Decision:
    """What the person in this session may do (the login's policy applied to them)."""
    config = config or login_config()
    if not config.enabled:
        return OPEN
    if not st.user.is_logged_in:
        return Decision(False, False, "not logged in")
    return decide(viewer_from_claims(st.user.to_dict(), config.policy), config.policy)


def require_login() -> Decision:
    """Stop the script unless the person may see the dashboard; their decision."""
    try:
        config = login_config()
    except AccessError as exc:  # fail closed: a broken login setting shows no data
        st.error(f"The dashboard's login is misconfigured: {exc}")
        st.stop()
    _apply(config)
    decision = current_decision(config)
    if decision.allowed:
        if config.enabled:
            with st.sidebar:
                st.caption(f"Logged in as {st.user.get('email')}")
                if st.button("Log out", key="readiness_logout"):
                    st.logout()
        return decision
    st.title("readiness")
    if not st.user.is_logged_in:
        st.write("This dashboard shows every service's weaknesses: log in to see it.")
        if st.button("Log in", type="primary", key="readiness_login"):
            st.login()
    else:
        st.error(f"Access refused: {decision.reason}. Ask the dashboard's owners to add you.")
        if st.button("Log out", key="readiness_logout"):
            st.logout()
    st.stop()
    return decision  # not reached: st.stop() ends the script run


def require_sql_role() -> None:
    """For the SQL page itself: the navigation hides it, a direct link is refused too."""
    decision = current_decision()
    if not decision.may_use_sql:
        st.error(
            "The SQL page is for the SQL role (sql_emails / sql_groups of the login's "
            "[access] settings): ask the dashboard's owners."
        )
        st.stop()
