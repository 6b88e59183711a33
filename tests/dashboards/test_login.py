"""The dashboard behind a login: `readiness serve` with OpenID Connect, against a real
provider (panva/node-oidc-provider, run with the machine's Node.js), in Chromium.

Three people: alice@example.com (allowed, in the `tpm` group: the SQL role),
bob@example.com (allowed by the domain, no SQL) and mallory@evil.test (outside the
allow-list). Each logs in through the provider's own login and consent pages; alice and
bob see the dashboard (the SQL page only for alice), mallory is refused; logging out
ends the session at the provider too, and the next visit asks to log in again.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import urllib.request
from contextlib import suppress
from pathlib import Path

import pytest

from dashboards.access import AccessError, load_login_config
from orchestration.serving import free_port, served_dashboard
from readiness.settings import Settings
from tests.dashboards.browser import chromium_page, exceptions, wait_rendered

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OIDC = Path(__file__).resolve().parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "readiness-dashboard", "login-test-client-secret-0042"
ACCOUNTS = {"alice@example.com": ["tpm"], "bob@example.com": [], "mallory@evil.test": ["tpm"]}


def npm_ci() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the OpenID Connect provider")
    if not (OIDC / "node_modules" / "oidc-provider" / "package.json").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=OIDC,
            check=True,
            capture_output=True,
            timeout=300,
        )


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The OpenID Connect provider on a free port, with the dashboard as its client."""
    npm_ci()
    port, dashboard_port = free_port(), free_port()
    log = (tmp_path_factory.mktemp("oidc") / "provider.log").open("w")
    process = subprocess.Popen(
        ["node", "provider.mjs"],
        cwd=OIDC,
        env={
            **os.environ,
            "PORT": str(port),
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URI": f"http://127.0.0.1:{dashboard_port}/oauth2callback",
            "ACCOUNTS": json.dumps(ACCOUNTS),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{issuer}/.well-known/openid-configuration", process)
        yield issuer, dashboard_port
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        log.close()


def wait_for(url: str, process: subprocess.Popen) -> None:
    """Until the URL answers (the provider prints nothing machine-readable earlier)."""
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"the provider exited ({process.returncode})")
        with suppress(OSError), urllib.request.urlopen(url, timeout=1) as response:
            if response.status == 200:
                return
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.1)
    raise RuntimeError(f"{url} never answered")


def login_env(issuer: str, dashboard_port: int) -> dict[str, str]:
    return {
        "READINESS_AUTH_CLIENT_ID": CLIENT_ID,
        "READINESS_AUTH_CLIENT_SECRET": CLIENT_SECRET,
        "READINESS_AUTH_SERVER_METADATA_URL": f"{issuer}/.well-known/openid-configuration",
        "READINESS_AUTH_REDIRECT_URI": f"http://127.0.0.1:{dashboard_port}/oauth2callback",
        "READINESS_AUTH_COOKIE_SECRET": "login-test-cookie-secret-0123456789abcdef",
        "READINESS_AUTH_SCOPE": "openid email profile groups",
        "READINESS_ACCESS_ALLOWED_DOMAINS": "example.com",
        "READINESS_ACCESS_SQL_GROUPS": "tpm",
    }


def log_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_text("log in to see it").wait_for()
    wait_rendered(page)
    assert not page.get_by_test_id("stSidebarNav").is_visible()
    page.get_by_role("button", name="Log in").click()
    # the provider's own pages: any password, then consent
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{url}/**")
    wait_rendered(page)


def log_out(page, url: str) -> None:
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider's page
    page.wait_for_url(f"{url}/**")
    page.get_by_role("button", name="Log in").wait_for()


def nav_links(page) -> list[str]:
    """The pages listed in the sidebar (each link's text ends with its title)."""
    links = page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
    return [text.strip().splitlines()[-1] for text in links]


def test_login_allow_list_sql_role_and_logout(provider, scenario_published, tmp_path):
    issuer, dashboard_port = provider
    home = Settings(home=tmp_path / "home")
    home.home.mkdir()
    shutil.copy(scenario_published.published_path, home.published_path)
    env = login_env(issuer, dashboard_port)
    with (
        served_dashboard(home, port=dashboard_port, env=env) as url,
        chromium_page() as page,
    ):
        assert "login: OpenID Connect" in (home.home / "serve.log").read_text()

        log_in(page, url, "alice@example.com")
        page.get_by_text("Logged in as alice@example.com").wait_for()
        assert {"Overview", "SQL"} <= set(nav_links(page))
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="SQL").click()
        page.get_by_text("Saved example").wait_for()
        wait_rendered(page)
        assert exceptions(page) == []
        log_out(page, url)

        log_in(page, url, "bob@example.com")
        page.get_by_text("Logged in as bob@example.com").wait_for()
        assert "Overview" in nav_links(page) and "SQL" not in nav_links(page)
        page.goto(f"{url}/sql")  # a direct link: not a page for bob
        page.get_by_text("Logged in as bob@example.com").wait_for()
        wait_rendered(page)
        assert not page.get_by_text("Saved example").is_visible()
        page.goto(url)
        wait_rendered(page)
        log_out(page, url)

        log_in(page, url, "mallory@evil.test")
        page.get_by_text("Access refused: mallory@evil.test is not in the allow-list").wait_for()
        assert not page.get_by_test_id("stSidebarNav").is_visible()
        log_out(page, url)


def test_serve_refuses_an_incomplete_login_and_the_network_without_one(tmp_path):
    from click.testing import CliRunner

    from orchestration.cli import main

    home = tmp_path / "home"
    home.mkdir()
    (home / "published.duckdb").write_bytes(b"")
    (home / "secrets.toml").write_text('[auth]\nclient_id = "x"\n')
    with pytest.raises(AccessError, match=r"secrets.toml: the login is missing client_secret"):
        load_login_config(home, env={})
    result = CliRunner().invoke(main, ["serve", "--home", str(home)], env={})
    assert result.exit_code == 1
    assert "the login is missing client_secret, server_metadata_url" in result.output
    (home / "secrets.toml").unlink()
    result = CliRunner().invoke(main, ["serve", "--home", str(home), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "refusing to serve on 0.0.0.0 without a login" in result.output
