"""Exemption windows, compliance reports and the deploy gate, end to end on one run.

The compliance scenario (conftest.py) runs tests/scenarios/basic through Dagster, dlt,
dbt and publish for 2026-06-14..16, with exemptions that are not started, active and
expired across those days. Everything here reads what that run published. (One file, so
the run happens once per test worker.)
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from orchestration.reports.command import gate, report
from readiness.reports import ReportFilters, build_report, render, verify_folder, write_report
from readiness.reports.csv_files import csv_cell
from readiness.reports.document import HEADER_COLOR
from readiness.reports.json_file import read_json
from readiness.reports.tables import report_tables
from readiness.settings import Settings
from readiness.standards import load_standards
from readiness.warehouse import connect_published
from tests.dashboards.browser import ARTIFACTS
from tests.reports.conftest import D0, D1, D2, DAYS, LEDGER, ORPHAN, PAYMENTS, SEARCH
from tests.reports.pdf_render import ink_fraction, render_first_page

pytestmark = pytest.mark.slow


def fetch(settings: Settings, sql: str, *params) -> list[tuple]:
    connection = connect_published(settings)
    try:
        return connection.execute(sql, list(params)).fetchall()
    finally:
        connection.close()


# --- exemption windows and their effect ---------------------------------------------------

EXPECTED_STATUS = {
    #                        2026-06-14     2026-06-15     2026-06-16
    (LEDGER, "has-deps"): ("active", "active", "active"),  # no expiry
    (LEDGER, "runbook"): ("not_started", "active", "expired"),  # 06-15 until 06-16
    (ORPHAN, "runbook"): ("expired", "expired", "expired"),  # expired 06-01
    (SEARCH, "*"): ("not_started", "not_started", "active"),  # whole scorecard from 06-16
}
EXPECTED_SCORES = {
    # entity: (score_pct, level) on each day
    LEDGER: ((30.0, None), (37.5, "bronze"), (30.0, None)),
    SEARCH: ((40.0, None), (40.0, None), (None, "silver")),
    PAYMENTS: ((72.73, "bronze"),) * 3,
    ORPHAN: ((9.09, None),) * 3,
}


def test_each_exemption_shows_its_status_on_every_day(compliance):
    rows = fetch(
        compliance,
        "select entity_ref, rule_id, evaluated_on, status, exempted_outcome_count "
        "from marts.fct_exemptions_daily order by all",
    )
    status = {}
    for entity, rule, day, state, _ in rows:
        status.setdefault((entity, rule), [None] * 3)[DAYS.index(day)] = state
    assert {key: tuple(value) for key, value in status.items()} == EXPECTED_STATUS
    applied = {(e, r, d): n for e, r, d, _, n in rows if n}
    assert applied == {
        (LEDGER, "has-deps", D0): 1,
        (LEDGER, "has-deps", D1): 1,
        (LEDGER, "has-deps", D2): 1,
        (LEDGER, "runbook", D1): 1,
        (SEARCH, "*", D2): 5,  # every applicable rule; the two not applicable stay so
    }


def test_exemption_windows_change_outcomes_scores_and_levels(compliance):
    runbook = fetch(
        compliance,
        "select evaluated_on, outcome, points_possible, reason from marts.fct_rule_outcomes "
        "where entity_ref = ? and rule_id = 'runbook' order by evaluated_on",
        LEDGER,
    )
    assert [(day, outcome, points) for day, outcome, points, _ in runbook] == [
        (D0, "fail", 2),  # before its start: the rule counts
        (D1, "exempt", 0),  # active: out of the denominator
        (D2, "fail", 2),  # expired on its own: the rule counts again
    ]
    assert runbook[1][3] == (
        "exempt until 2026-06-16 (approved by cto@example.com): "
        "Runbook being rewritten after the re-platforming."
    )
    assert runbook[0][3] is None and runbook[2][3] is None
    search = fetch(
        compliance,
        "select outcome, count(*) from marts.fct_rule_outcomes where entity_ref = ? "
        "and evaluated_on = ? group by outcome order by outcome",
        SEARCH,
        D2,
    )
    assert search == [("exempt", 5), ("not_applicable", 2)]
    scores = fetch(
        compliance,
        "select entity_ref, evaluated_on, score_pct, level from marts.fct_entity_scores "
        "order by entity_ref, evaluated_on",
    )
    actual: dict[str, list] = {}
    for entity, _, score, level in scores:
        actual.setdefault(entity, []).append((score, level))
    assert {k: tuple(v) for k, v in actual.items()} == EXPECTED_SCORES


# --- the report ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(compliance, tmp_path_factory):
    """The whole scenario's report, written once in every format."""
    built = build_report(compliance, ReportFilters(scorecard="scenario", start=D0, end=D2))
    folder = tmp_path_factory.mktemp("report") / "evidence"
    written = write_report(built, folder)
    return built, folder, written


def read_csv(path: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    return header, [tuple(row) for row in rows]


def as_text(rows: list[tuple]) -> list[tuple[str, ...]]:
    return [tuple(csv_cell(value) for value in row) for row in rows]


MART_QUERIES = {
    # CSV file -> the same rows straight from the marts, in the file's column order
    "outcomes.csv": """
        select o.evaluated_on, o.entity_ref, o.rule_id, r.name, o.level, o.level_rank,
            o.outcome, o.points_possible, o.points_earned, o.reason, o.fact_values,
            r.remediation, o.definition_hash
        from marts.fct_rule_outcomes as o
        left join marts.dim_rules as r using (scorecard_id, definition_hash, rule_id)
        where o.scorecard_id = 'scenario' order by all""",
    "entities.csv": """
        select s.evaluated_on, s.entity_ref,
            case when f.owner_resolved then f.owner_ref end, f.domain_ref, s.score_pct,
            s.level, s.level_rank, s.potential_level, s.next_level, s.points_earned,
            s.points_possible, s.pass_count, s.fail_count, s.unknown_count, s.exempt_count,
            s.not_applicable_count, s.definition_hash
        from marts.fct_entity_scores as s
        left join marts.fct_entity_facts as f using (evaluated_on, entity_ref)
        where s.scorecard_id = 'scenario' order by all""",
    "summary.csv": """
        select s.evaluated_on, s.entity_count, s.avg_score_pct, s.points_score_pct,
            s.entities_without_level, s.pass_count, s.fail_count, s.unknown_count,
            s.exempt_count, e.na, e.definition_hash
        from marts.fct_scores_daily as s
        inner join (
            select evaluated_on, sum(not_applicable_count) as na, min(definition_hash)
                as definition_hash
            from marts.fct_entity_scores group by evaluated_on
        ) as e using (evaluated_on)
        where s.scope_type = 'organisation' order by all""",
    "levels.csv": """
        select evaluated_on, level, level_rank, entity_count from marts.fct_level_counts_daily
        where scope_type = 'organisation' order by all""",
    "rules.csv": """
        select definition_hash, position, rule_id, name, level, level_rank, points,
            effective_from, applies_to_text, condition_text, condition_facts, description,
            remediation
        from marts.dim_rules order by all""",
    "evaluations.csv": """
        select evaluated_on, definition_hash, previous_definition_hash, is_reevaluation,
            evaluated_at, trigger, triggered_by, request_id
        from marts.fct_evaluations order by all""",
}


@pytest.mark.parametrize("file", sorted(MART_QUERIES))
def test_csv_files_read_back_equal_the_marts(compliance, exported, file):
    _, folder, _ = exported
    _, rows = read_csv(folder / file)
    assert sorted(rows) == sorted(as_text(fetch(compliance, MART_QUERIES[file])))
    assert rows  # not vacuously equal


def test_csv_exemptions_sources_and_definition(compliance, exported):
    _, folder, _ = exported
    header, rows = read_csv(folder / "exemptions.csv")
    exemptions = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(x["entity_ref"], x["rule_id"], x["status"], x["active_days"]) for x in exemptions] == [
        (LEDGER, "has-deps", "active", "3"),
        (SEARCH, "*", "active", "1"),
        (LEDGER, "runbook", "expired", "1"),
        (ORPHAN, "runbook", "expired", "0"),
    ]
    runbook = exemptions[2]
    assert (runbook["requested_by"], runbook["approved_by"]) == (
        "alice@example.com",
        "cto@example.com",
    )
    assert (runbook["starts_on"], runbook["expires_on"], runbook["status_on"]) == (
        "2026-06-15",
        "2026-06-16",
        "2026-06-16",
    )
    assert runbook["reason"] == "Runbook being rewritten after the re-platforming."

    header, rows = read_csv(folder / "sources.csv")
    sources = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(sources) == {"catalog", "custom_data", "github", "scorecards"}
    loaded = fetch(
        compliance,
        "select snapshot_on, attempted_at from marts.fct_source_loads "
        "where provider = 'catalog' and status = 'loaded' order by snapshot_on desc limit 1",
    )
    assert (sources["catalog"]["last_snapshot_on"], sources["catalog"]["last_loaded_at"]) == (
        as_text(loaded)[0]
    )
    assert sources["catalog"]["last_snapshot_on"] == "2026-06-16"
    assert sources["github"]["state"] == "never loaded"
    assert sources["github"]["needed_by_rules"] == "protected"

    header, rows = read_csv(folder / "definitions.csv")
    (card,) = load_standards(compliance.scorecards_dir).scorecards
    assert [row[header.index("definition_hash")] for row in rows] == [card.definition_hash]
    about = dict(read_csv(folder / "about.csv")[1])
    assert about["definition_hash"] == card.definition_hash
    assert (about["first_evaluated_day"], about["last_evaluated_day"]) == (
        "2026-06-14",
        "2026-06-16",
    )


def cell(value) -> str:
    """An XLSX value as its CSV text (Excel stores dates as date-times, and whole floats
    come back as integers)."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(float(value))
    return csv_cell(value)


def numeric(text: str) -> str:
    """A CSV cell compared as a number when it is one."""
    try:
        return repr(float(text))
    except ValueError:
        return text


def test_xlsx_sheets_read_back_equal_the_csv_files_and_the_marts(compliance, exported):
    built, folder, _ = exported
    workbook = load_workbook(folder / "report.xlsx", read_only=True)
    tables = report_tables(built)
    assert workbook.sheetnames == [table.name for table in tables]
    for table in tables:
        width = len(table.columns)  # read-only mode drops trailing empty cells
        header, *rows = [
            tuple(cell(v) for v in (*row, *[None] * (width - len(row))))
            for row in workbook[table.name].iter_rows(values_only=True)
        ]
        csv_header, csv_rows = read_csv(folder / f"{table.name}.csv")
        csv_rows = [tuple(numeric(v) for v in row) for row in csv_rows]
        assert list(header) == csv_header, table.name
        assert rows == csv_rows, table.name
    scores = workbook["entities"]
    typed = list(scores.iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert isinstance(typed[0], dt.datetime) and isinstance(typed[10], int)  # typed cells
    outcomes = [row for row in workbook["outcomes"].iter_rows(min_row=2, values_only=True)]
    assert len(outcomes) == fetch(compliance, "select count(*) from marts.fct_rule_outcomes")[0][0]


def test_json_reads_back_into_the_same_report(compliance, exported):
    built, folder, _ = exported
    again = read_json((folder / "report.json").read_bytes())
    assert again == built
    document = json.loads((folder / "report.json").read_text())
    assert document["days"] == ["2026-06-14", "2026-06-15", "2026-06-16"]
    marts = fetch(
        compliance,
        "select evaluated_on, entity_ref, rule_id, outcome, reason from marts.fct_rule_outcomes",
    )
    assert sorted(
        (o.evaluated_on, o.entity_ref, o.rule_id, o.outcome, o.reason) for o in again.outcomes
    ) == sorted(marts)
    assert [s.avg_score_pct for s in again.summary] == [
        r[0]
        for r in fetch(
            compliance,
            "select avg_score_pct from marts.fct_scores_daily "
            "where scope_type = 'organisation' order by evaluated_on",
        )
    ]


FACT_VALUE = re.compile(r"\b[a-z_]+=(true|false|unknown|\d)")


def test_pdf_text_says_what_was_evaluated_and_tables_repeat_their_headers(exported):
    built, folder, _ = exported
    reader = PdfReader(folder / "report.pdf")
    pages = [page.extract_text() for page in reader.pages]
    whole = " ".join(" ".join(pages).split())  # cells wrap their text over lines
    assert reader.metadata.title == "Scenario scorecard: compliance report"
    assert pages[0].startswith("Scenario scorecard: compliance report")
    assert built.definitions[0].definition_hash in pages[0]
    assert "2026-06-14 to 2026-06-16 (3 evaluated days)" in pages[0]
    for text in (
        "Runbook being rewritten after the re-platforming.",
        "Experimental UI, out of scope until it reaches production.",
        "alice@example.com",
        "expired",
        "never loaded",
        "Add a runbook link.",  # remediation of a failing rule
        "branch_protected: source github never loaded",  # reason of an unknown
        *(entity for entity in (LEDGER, ORPHAN, PAYMENTS, SEARCH)),
    ):
        assert text in whole, text
    with_rows = [i for i, text in enumerate(pages) if FACT_VALUE.search(text)]
    assert len(with_rows) >= 2  # the outcomes table runs over several pages...
    for index in with_rows:  # ...and each of them starts with its header row
        assert "reason / facts" in pages[index], f"page {index + 1} lacks the table header"
    assert all(f"page {n} of {len(pages)}" in text for n, text in enumerate(pages, 1))


@pytest.mark.browser
def test_pdf_first_page_renders(exported):
    _, folder, _ = exported
    ARTIFACTS.mkdir(exist_ok=True)
    image = render_first_page(folder / "report.pdf", ARTIFACTS / "report-page-1.png")
    rgb = image.convert("RGB")
    header = tuple(int(HEADER_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    band = sum(
        count
        for count, colour in rgb.getcolors(rgb.width * rgb.height)
        if all(abs(a - b) <= 6 for a, b in zip(colour, header, strict=True))
    )
    assert band > 0.01 * rgb.width * rgb.height  # the title band and table headers
    assert ink_fraction(image, (0, 0, image.width, image.height)) > 0.03


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_page_is_self_contained_and_complete(exported):
    built, folder, _ = exported
    parser = _Text()
    parser.feed((folder / "report.html").read_text(encoding="utf-8"))
    text = " ".join(parser.text)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert tags.count("table") == 7 and tags.count("thead") == tags.count("table")
    for value in (
        built.title,
        built.definitions[0].definition_hash,
        "Runbook being rewritten after the re-platforming.",
        "approved by",
        "not applicable",
        LEDGER,
    ):
        assert value in text, value


def test_manifest_verifies_and_names_each_tampered_added_and_removed_file(exported, tmp_path):
    _, folder, written = exported
    assert {entry.path for entry in written.files} == {
        *(f"{t}.csv" for t in ("about", "summary", "levels", "entities", "outcomes")),
        *(f"{t}.csv" for t in ("exemptions", "definitions", "rules", "sources", "evaluations")),
        "report.xlsx",
        "report.json",
        "report.html",
        "report.pdf",
    }
    result = verify_folder(folder, written.manifest_sha256)
    assert result.ok and len(result.checked) == 14

    runner = CliRunner()
    ok = runner.invoke(
        report, ["verify", str(folder), "--manifest-sha256", written.manifest_sha256]
    )
    assert ok.exit_code == 0, ok.output
    assert "ok  14 files match" in ok.stdout

    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    pdf = bytearray((copy / "report.pdf").read_bytes())
    pdf[len(pdf) // 2] ^= 0x01  # one bit
    (copy / "report.pdf").write_bytes(bytes(pdf))
    (copy / "notes.txt").write_text("added later")
    (copy / "rules.csv").unlink()
    result = verify_folder(copy)
    assert (result.changed, result.added, result.removed) == (
        ["report.pdf"],
        ["notes.txt"],
        ["rules.csv"],
    )
    failed = runner.invoke(report, ["verify", str(copy)])
    assert failed.exit_code == 1
    assert "changed: report.pdf" in failed.stderr
    assert "added: notes.txt" in failed.stderr
    assert "removed: rules.csv" in failed.stderr

    # a manifest rewritten along with the files is caught by its own digest
    rewritten = tmp_path / "rewritten"
    shutil.copytree(folder, rewritten)
    manifest = json.loads((rewritten / "manifest.json").read_text())
    manifest["files"] = [f for f in manifest["files"] if f["path"] != "report.pdf"]
    (rewritten / "manifest.json").write_text(json.dumps(manifest))
    (rewritten / "report.pdf").unlink()
    assert verify_folder(rewritten).ok  # consistent by itself...
    caught = runner.invoke(
        report, ["verify", str(rewritten), "--manifest-sha256", written.manifest_sha256]
    )
    assert caught.exit_code == 1 and "changed: manifest.json" in caught.stderr

    gone = tmp_path / "gone"
    shutil.copytree(folder, gone)
    (gone / "manifest.json").unlink()
    missing = runner.invoke(report, ["verify", str(gone)])
    assert missing.exit_code == 1 and "manifest.json not found" in missing.stderr


@pytest.mark.parametrize(
    ("args", "entities", "days"),
    [
        ([], {LEDGER, ORPHAN, PAYMENTS, SEARCH}, [D2]),  # default: the latest day
        (["--date", "2026-06-15"], {LEDGER, ORPHAN, PAYMENTS, SEARCH}, [D1]),
        (["--team", "platform", "--from", "2026-06-15"], {LEDGER, PAYMENTS, SEARCH}, [D1, D2]),
        (["--team", "payments", "--to", "2026-06-14"], {LEDGER, PAYMENTS}, [D0]),
        (
            ["--domain", "commerce", "--from", "2026-06-14", "--to", "2026-06-16"],
            {LEDGER, PAYMENTS},
            list(DAYS),
        ),
        (["--entity", "ledger", "--from", "2026-06-14"], {LEDGER}, list(DAYS)),
    ],
)
def test_report_command_filters(compliance, tmp_path, args, entities, days):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        report,
        [
            "--home",
            str(compliance.home),
            "--scorecard",
            "scenario",
            "--out",
            str(out),
            "--format",
            "json,csv",
            *args,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "manifest sha256:" in result.stdout
    built = read_json((out / "report.json").read_bytes())
    assert {e.entity_ref for e in built.entities} == entities
    assert {o.entity_ref for o in built.outcomes} == entities
    assert built.days == days
    assert {x.entity_ref for x in built.exemptions} <= entities
    assert sum(d.entity_count for d in built.summary) == len(built.entities)
    names = {p.name for p in out.iterdir()}
    assert {"manifest.json", "report.json", "outcomes.csv"} <= names
    assert not names & {"report.pdf", "report.xlsx", "report.html"}
    assert verify_folder(out).ok


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scorecard", "scenari"], "unknown scorecard 'scenari': did you mean scenario?"),
        (
            ["--entity", "ledgr"],
            "unknown entity 'component:default/ledgr': not in the published catalog (did you mean component:default/ledger?)",
        ),
        (["--team", "ghost"], "unknown team 'group:default/ghost'"),
        (["--domain", "retail"], "unknown domain 'domain:default/retail'"),
        (
            ["--entity", "resource:default/payments-db"],
            "nothing to report: no entity of scorecard scenario, entity resource:default/payments-db was evaluated",
        ),
        (
            ["--from", "2026-07-01", "--to", "2026-07-31"],
            "no evaluation of scorecard 'scenario' between 2026-07-01 and 2026-07-31 (evaluated from 2026-06-14 to 2026-06-16)",
        ),
        (["--date", "2026-06-01"], "scorecard 'scenario' was not evaluated on 2026-06-01"),
        (
            ["--from", "2026-06-16", "--to", "2026-06-14"],
            "the range ends (2026-06-14) before it starts (2026-06-16)",
        ),
        (
            ["--date", "2026-06-15", "--to", "2026-06-16"],
            "give either --date or --from/--to, not both",
        ),
        (["--format", "pdf,docx"], "unknown format 'docx': choose from csv, xlsx, json, html, pdf"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(compliance, tmp_path, args, message):
    out = tmp_path / "out"
    defaults = {"--scorecard": "scenario"}
    flags = [a for pair in defaults.items() if pair[0] not in args for a in pair]
    result = CliRunner().invoke(
        report, ["--home", str(compliance.home), "--out", str(out), *flags, *args]
    )
    assert result.exit_code == 1
    assert message in result.stderr
    assert not out.exists()


def test_report_without_a_published_warehouse_or_into_a_used_folder(compliance, tmp_path):
    runner = CliRunner()
    nothing = runner.invoke(
        report,
        [
            "--home",
            str(tmp_path / "empty"),
            "--scorecard",
            "scenario",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert nothing.exit_code == 1
    assert "no published warehouse at" in nothing.stderr and "readiness run" in nothing.stderr
    used = tmp_path / "used"
    used.mkdir()
    (used / "old.pdf").write_text("evidence of last quarter")
    again = runner.invoke(
        report, ["--home", str(compliance.home), "--scorecard", "scenario", "--out", str(used)]
    )
    assert again.exit_code == 1 and "is not an empty folder" in again.stderr
    assert [p.name for p in used.iterdir()] == ["old.pdf"]


# --- the deploy gate ------------------------------------------------------------------------


def run_gate(settings: Settings, *args: str):
    return CliRunner().invoke(
        gate, ["--home", str(settings.home), "--scorecard", "scenario", *args]
    )


def test_gate_passes_when_the_level_is_held(compliance):
    result = run_gate(compliance, "--entity", "payments-api", "--level", "bronze")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "READY: component:default/payments-api holds bronze in scenario on 2026-06-16"
    )
    # a whole-scorecard exemption: every rule exempt, the top level is held
    exempt = run_gate(compliance, "--entity", "search-ui", "--level", "SILVER", "--format", "json")
    assert exempt.exit_code == 0
    answer = json.loads(exempt.stdout)
    assert (answer["status"], answer["level"], answer["score_pct"]) == ("ready", "silver", None)


def test_gate_fails_and_lists_the_rules_to_fix(compliance):
    # The ledger held bronze on the 15th thanks to an exemption that expired on the 16th.
    result = run_gate(compliance, "--entity", "ledger", "--level", "bronze", "--format", "json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert answer["status"] == "not_ready" and answer["exit_code"] == 1
    assert answer["evaluated_on"] == "2026-06-16" and answer["level"] is None
    assert [(r["rule_id"], r["outcome"], r["remediation"]) for r in answer["blocking_rules"]] == [
        ("runbook", "fail", "Add a runbook link.")
    ]
    # unknown blocks a level like fail, and is listed with its reason; rules above the
    # level asked for are not listed
    silver = run_gate(compliance, "--entity", "component:default/payments-api", "--level", "silver")
    assert silver.exit_code == 1
    assert "NOT READY: component:default/payments-api does not hold silver" in silver.stdout
    assert "unknown  silver: protected (Branch protected)" in silver.stdout
    assert "why: branch_protected: source github never loaded" in silver.stdout
    assert "fix: Protect the default branch." in silver.stdout
    orphan = json.loads(
        run_gate(
            compliance, "--entity", "orphan-svc", "--level", "bronze", "--format", "json"
        ).stdout
    )
    assert [r["rule_id"] for r in orphan["blocking_rules"]] == ["runbook", "owner"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--entity", "ledgr", "--level", "bronze"], "unknown entity 'component:default/ledgr'"),
        (
            ["--entity", "ledger", "--level", "platinum"],
            "unknown level 'platinum' in scorecard 'scenario': levels are bronze < silver",
        ),
        (
            ["--entity", "resource:default/payments-db", "--level", "bronze"],
            "was not evaluated by 'scenario' on 2026-06-16",
        ),
        (
            ["--entity", "ledger", "--level", "bronze", "--max-age-days", "3"],
            "more than --max-age-days 3",
        ),
    ],
)
def test_gate_cannot_tell_with_its_own_exit_code(compliance, args, message):
    result = run_gate(compliance, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("CANNOT TELL: ") and message in result.stderr
    as_json = run_gate(compliance, *args, "--format", "json")
    assert as_json.exit_code == 2 and json.loads(as_json.stdout)["status"] == "cannot_tell"


def test_gate_cannot_tell_without_a_published_warehouse_or_scorecard(compliance, tmp_path):
    nothing = CliRunner().invoke(
        gate,
        [
            "--home",
            str(tmp_path),
            "--entity",
            "ledger",
            "--scorecard",
            "scenario",
            "--level",
            "bronze",
            "--format",
            "json",
        ],
    )
    assert nothing.exit_code == 2
    assert "no published warehouse" in json.loads(nothing.stdout)["message"]
    card = CliRunner().invoke(
        gate,
        [
            "--home",
            str(compliance.home),
            "--entity",
            "ledger",
            "--scorecard",
            "prod",
            "--level",
            "bronze",
        ],
    )
    assert card.exit_code == 2 and "unknown scorecard 'prod'" in card.stderr


def test_report_reads_only_the_published_warehouse(compliance, tmp_path):
    """A report is built from published.duckdb alone: here from a home holding nothing else."""
    alone = Settings(home=tmp_path / "alone")
    alone.home.mkdir()
    shutil.copy(compliance.published_path, alone.published_path)
    built = build_report(alone, ReportFilters(scorecard="scenario", entity="ledger"))
    assert built.days == [D2] and {e.entity_ref for e in built.entities} == {LEDGER}
    assert not alone.warehouse_path.exists()


def test_documents_show_the_last_day_only_when_the_range_is_large(compliance, monkeypatch):
    import readiness.reports.build as build

    monkeypatch.setattr(build, "MAX_DOCUMENT_OUTCOMES", 50)  # the scenario has 84 outcome rows
    built = build_report(compliance, ReportFilters(scorecard="scenario", start=D0))
    assert built.detail_days == [D2] and len(built.outcomes) == 84  # data files keep every row
    files = render(built, "html,pdf,csv")  # in memory, as the dashboard's download buttons
    assert files["report.pdf"].startswith(b"%PDF-")
    assert len(read_csv_text(files["outcomes.csv"])) == 84
    page = files["report.html"].decode()
    assert "2026-06-16 only, the last day of the range: 84 outcome rows" in page
    outcome_days = re.findall(
        r"<tr><td>(2026-06-1[456])</td><td>component:default/[a-z-]+</td><td>[a-z-]+</td>", page
    )
    assert outcome_days and set(outcome_days) == {"2026-06-16"}


def read_csv_text(data: bytes) -> list[list[str]]:
    return list(csv.reader(data.decode("utf-8").splitlines()))[1:]
