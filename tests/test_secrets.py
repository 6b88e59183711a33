"""No secret is ever written: a real run with a distinctive credential for every source,
then a search of everything readiness wrote and sent.

The simulator accepts the configured credentials (each API checks them as the real one
does), so every HTTP source loads with its own secret; GitHub teams are pointed at a
closed port with a password and a token in the URL, so that source fails and its error
path (which names the URL) is exercised too. Notifications go to a real SMTP server (with
a password) and a real webhook receiver (whose URL is the secret). Then every file under
the home folder (warehouse, published copy, dlt state and traces, dbt logs and target,
Dagster's storage), a compliance report, the command line's output and every message
received are searched for each secret, as text and base64; the warehouse files are also
searched column by column (DuckDB compresses strings on disk).
"""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from orchestration.demo import simulator_config
from orchestration.serving import free_port
from readiness.settings import Settings
from simulator import SimulatorServers, generate_company
from tests.conftest import copy_manifest
from tests.initiatives.company import D1, write_catalog, write_standards
from tests.initiatives.receivers import SMTP_PASSWORD, WEBHOOK_TOKEN, SmtpInbox, WebhookReceiver
from tests.pausing import READINESS

pytestmark = pytest.mark.slow

CREDENTIALS = {
    "github": {"token": "ghp_LeakCanaryGithub7f3a9c1e5b2d8f4a6c0e"},
    "okta": {"token": "00LeakCanaryOkta-9d8c7b6a5f4e3d2c1b0a"},
    "pagerduty": {"api_key": "u+LeakCanaryPagerDuty42"},
    "datadog": {
        "api_key": "leakcanarydatadogapikey000000042",
        "application_key": "leakcanarydatadogappkey0000000000000000042",
    },
    "artifacts": {"bearer_token": "LeakCanaryCoverageBearer-0042"},
}
PROMETHEUS_TOKEN = "LeakCanaryPrometheusBearer-0042"
URL_PASSWORD = "LeakCanaryUrlPassword-0042"
URL_TOKEN = "LeakCanaryUrlQueryToken-0042"


def secrets() -> list[str]:
    values = [v for creds in CREDENTIALS.values() for v in creds.values()]
    values += [PROMETHEUS_TOKEN, URL_PASSWORD, URL_TOKEN, SMTP_PASSWORD, WEBHOOK_TOKEN]
    return values


def forms(secret: str) -> list[bytes]:
    """The secret as written, and base64-encoded (as in a Basic or AUTH PLAIN header)."""
    raw = secret.encode()
    return [raw, base64.b64encode(raw), base64.b64encode(b"readiness\0" + raw)]


@pytest.fixture(scope="module")
def leaked(tmp_path_factory, manifest_dir):
    """Run, report, collect everything written and sent; the secrets found, by place."""
    root = tmp_path_factory.mktemp("secrets")
    settings = Settings(home=root / "home")
    copy_manifest(manifest_dir, settings)
    catalog = write_catalog(root / "catalog")
    scorecards = write_standards(root / "scorecards")
    company = generate_company(seed=11, services=6, today=D1)
    # one component whose repository the simulator serves, so coverage loads too
    repository = company.services[0].repo.name
    (Path(str(catalog).replace("{date}", D1.isoformat())) / "probe.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: probe\n"
        f"  annotations:\n    github.com/project-slug: {company.org}/{repository}\n"
        "spec:\n  type: service\n  lifecycle: production\n  owner: payments\n"
    )
    smtp, webhooks = SmtpInbox(), WebhookReceiver()
    smtp.start()
    webhooks.start()
    outputs: dict[str, bytes] = {}
    try:
        with SimulatorServers(
            company, credentials=CREDENTIALS, prometheus_token=PROMETHEUS_TOKEN
        ) as servers:
            env = {
                **os.environ,
                **simulator_config(servers, company.org),
                "SOURCES__PROMETHEUS__BEARER_TOKEN": PROMETHEUS_TOKEN,
                "SOURCES__GITHUB_TEAMS__BASE_URL": (
                    f"http://readiness:{URL_PASSWORD}@127.0.0.1:{free_port()}/api"
                    f"?access_token={URL_TOKEN}"
                ),
                "READINESS_CATALOG": str(catalog),
                "DAGSTER_HOME": str(root / "dagster-cli"),
                **smtp.env(),
                **webhooks.env(),
            }
            for name, args in (
                ("run", ["run", "--date", D1.isoformat(), "--scorecards", str(scorecards)]),
                ("report", ["report", "--scorecard", "ops", "--out", str(root / "report")]),
                ("notify", ["notify"]),
            ):
                result = subprocess.run(
                    [READINESS, *args, "--home", str(settings.home)],
                    env=env,
                    capture_output=True,
                    timeout=900,
                    check=False,
                )
                outputs[name] = result.stdout + result.stderr
                outputs[f"{name} exit status"] = str(result.returncode).encode()
        mails = [mail.message.as_bytes() for mail in smtp.mails]
        posts = [post.text.encode() for post in webhooks.posts]
    finally:
        smtp.stop()
        webhooks.stop()  # (clears what it received)
    return settings, root, outputs, mails, posts


def files_under(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*") if path.is_file()]


def test_the_run_really_used_every_source_and_channel(leaked):
    settings, root, outputs, mails, posts = leaked
    # a source failed (GitHub teams, pointed at a closed port): published, exit status 3
    assert outputs["run exit status"] == b"3", outputs["run"].decode()
    assert b"source github_teams" in outputs["run"]
    assert outputs["report exit status"] == b"0", outputs["report"].decode()
    connection = duckdb.connect(str(settings.published_path), read_only=True)
    try:
        loaded = {
            schema
            for (schema,) in connection.execute(
                "select distinct schema_name from duckdb_tables() where schema_name like 'raw_%'"
            ).fetchall()
        }
        failure = connection.execute(
            "select message from raw_meta.load_failures where source_name = 'github_teams'"
        ).fetchall()
    finally:
        connection.close()
    assert {"raw_github", "raw_okta", "raw_pagerduty", "raw_datadog", "raw_prometheus",
            "raw_coverage"} <= loaded  # fmt: skip
    assert failure and "github_teams" in failure[0][0]
    assert mails and posts, "the initiatives' first messages went out on both channels"


def test_no_secret_in_any_file_written(leaked, capsys):
    settings, root, _, mails, posts = leaked
    files = files_under(settings.home, root / "report", root / "dagster-cli")
    assert len(files) > 50  # warehouse, dlt state and traces, dbt logs, Dagster storage
    with capsys.disabled():
        size = sum(path.stat().st_size for path in files)
        print(
            f"\nsecrets: {len(secrets())} secrets searched in {len(files)} files "
            f"({size / (1 << 20):.1f} MB), {len(mails)} mails, {len(posts)} webhook posts"
        )
    found = [
        (str(path.relative_to(root)), secret)
        for path in files
        for secret in secrets()
        if any(form in path.read_bytes() for form in forms(secret))
    ]
    assert found == []


def test_no_secret_in_any_warehouse_value(leaked):
    settings, _, _, _, _ = leaked
    for path in (settings.warehouse_path, settings.published_path):
        connection = duckdb.connect(str(path), read_only=True)
        try:
            columns = connection.execute(
                "select c.table_schema, c.table_name, c.column_name "
                "from information_schema.columns as c "
                "inner join information_schema.tables as t using (table_catalog, table_schema, "
                "table_name) where c.data_type = 'VARCHAR' and t.table_type = 'BASE TABLE' "
                "and c.table_catalog = current_database()"
            ).fetchall()
            assert len(columns) > 100
            found = []
            for schema, table, column in columns:
                for secret in secrets():
                    ((count,),) = connection.execute(
                        f'select count(*) from "{schema}"."{table}" where contains("{column}", ?)',
                        [secret],
                    ).fetchall()
                    if count:
                        found.append((schema, table, column, secret))
        finally:
            connection.close()
        assert found == [], path


def test_no_secret_in_the_output_or_the_messages(leaked):
    _, _, outputs, mails, posts = leaked
    places = {**{f"output of {k}": v for k, v in outputs.items()}}
    places |= {f"mail {n}": mail for n, mail in enumerate(mails)}
    places |= {f"post {n}": post for n, post in enumerate(posts)}
    found = [
        (place, secret)
        for place, data in places.items()
        for secret in secrets()
        if any(form in data for form in forms(secret))
    ]
    assert found == []
