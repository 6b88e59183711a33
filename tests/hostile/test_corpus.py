"""Every hostile input of the corpus is refused with the clear message it must produce."""

from __future__ import annotations

import re
import shutil
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from click.testing import CliRunner

from orchestration.cli import main
from tests.conftest import BASIC

CORPUS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Case:
    path: Path
    about: str
    files: dict[str, str]
    append: dict[str, str]
    binary: dict[str, str]
    generated: dict[str, tuple[str, int]]
    remove: tuple[str, ...]
    env: dict[str, str]
    run: tuple[str, ...]
    exit: int
    says: tuple[str, ...]

    @property
    def name(self) -> str:
        return str(self.path.relative_to(CORPUS).with_suffix(""))


def load_case(path: Path) -> Case:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Case(
        path=path,
        about=data["about"],
        files=data.get("files") or {},
        append=data.get("append") or {},
        binary=data.get("binary") or {},
        generated={
            path: (str(spec["text"]), int(spec["times"]))
            for path, spec in (data.get("generated") or {}).items()
        },
        remove=tuple(data.get("remove") or ()),
        env={str(k): str(v) for k, v in (data.get("env") or {}).items()},
        run=tuple(str(arg) for arg in data["run"]),
        exit=int(data["exit"]),
        says=tuple(str(s) for s in data.get("says") or ()),
    )


CASES = [load_case(p) for p in sorted(CORPUS.glob("*/*.yml"))]


def run_case(case: Case, root: Path) -> list[str]:
    """Run one case in a fresh copy of the good home; the list of what went wrong."""
    home = root / "home"
    shutil.copytree(BASIC, home)
    for relative in case.remove:
        (home / relative).unlink()
    for relative, text in case.files.items():
        target = home / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for relative, text in case.append.items():
        with (home / relative).open("a", encoding="utf-8") as handle:
            handle.write(text)
    for relative, (text, times) in case.generated.items():
        target = home / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text * times, encoding="utf-8")
    for relative, hex_bytes in case.binary.items():
        target = home / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(bytes.fromhex(hex_bytes))
    args = [arg.replace("{home}", str(home)) for arg in case.run]
    env = {
        "READINESS_HOME": str(root / "state"),
        "DAGSTER_HOME": str(root / "dagster"),
        **{k: v.replace("{home}", str(home)) for k, v in case.env.items()},
    }
    result = CliRunner().invoke(main, args, env=env, catch_exceptions=True)
    output = result.output  # click 8.2+: stdout and stderr as a terminal shows them
    problems = []
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        problems.append(f"ended in a traceback:\n{trace}")
    if result.exit_code != case.exit:
        problems.append(f"exit code {result.exit_code}, expected {case.exit}")
    problems += [f"did not say {s!r}" for s in case.says if s not in output]
    if problems:
        problems.append(f"output was:\n{output}")
    return problems


# At least this many cases per area (the catalog's YAML-level cases are `catalog/yaml-*`;
# the catalog's own cases are counted apart, by their owner).
MINIMUM_CASES = {
    "conditions": 50,
    "standards": 20,
    "initiatives": 15,
    "exemptions": 12,
    "custom_data": 20,
    "configuration": 10,
    "cli": 15,
    "catalog/yaml": 6,
}
_FILE_NAME = re.compile(r"[\w.-]+\.(ya?ml|csv|json|toml)\b")


def _area(case: Case) -> str:
    area = case.path.parent.name
    return "catalog/yaml" if area == "catalog" and case.path.name.startswith("yaml-") else area


def test_the_corpus_is_big_enough_and_every_case_says_something():
    areas = {case.path.parent.name for case in CASES}
    assert areas <= {
        "standards",
        "conditions",
        "initiatives",
        "exemptions",
        "catalog",
        "custom_data",
        "configuration",
        "cli",
    }, areas
    assert all(case.says for case in CASES), [c.name for c in CASES if not c.says]
    counts = Counter(_area(case) for case in CASES)
    assert {area: counts[area] for area in MINIMUM_CASES} == {
        area: max(counts[area], minimum) for area, minimum in MINIMUM_CASES.items()
    }
    assert sum(counts[area] for area in MINIMUM_CASES) >= 100
    # A case about a file names the file in what it must say (and its line where it has one).
    about_files = [c for c in CASES if c.files or c.append or c.binary or c.generated]
    assert not [c.name for c in about_files if not any(_FILE_NAME.search(s) for s in c.says)]


def test_every_hostile_input_gets_a_clear_error(tmp_path, capsys):
    failures: dict[str, list[str]] = {}
    for index, case in enumerate(CASES):
        problems = run_case(case, tmp_path / str(index))
        if problems:
            failures[case.name] = problems
    clear = len(CASES) - len(failures)
    with capsys.disabled():
        print(f"\nclear errors: {clear}/{len(CASES)}")
    assert not failures, "\n\n".join(
        f"{name} ({next(c.about for c in CASES if c.name == name)}):\n" + "\n".join(problems)
        for name, problems in failures.items()
    )
