"""A small company whose catalog changes over four days, and the standards its initiatives
are written against. Every number the tests expect follows from these files.

Days D1..D4 (Monday 2 March to Thursday 5 March 2026):
- pay-api (payments, tier 1): runbook, logs, a dependency: done everywhere.
- pay-worker (payments, tier 1): logs; its runbook arrives on D3.
- ledger (payments, tier 2): nothing, all along.
- search-api (search, tier 1): runbook and logs; loses its logs link on D4 (drops
  from bronze to no level).
- search-ui (search, tier 3, experimental): runbook only.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

D1 = dt.date(2026, 3, 2)
DAYS = [D1 + dt.timedelta(days=n) for n in range(4)]
D2, D3, D4 = DAYS[1:]

ORG = """
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: commerce
spec:
  owner: platform
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: shop
spec:
  owner: platform
  domain: commerce
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: platform
spec:
  type: department
  profile:
    email: platform-leads@example.com
  children: [payments, search]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments
spec:
  type: team
  profile:
    email: payments-list@example.com
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: search
spec:
  type: team
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: alice
spec:
  profile:
    email: alice@example.com
  memberOf: [payments]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: bob
spec:
  profile:
    email: bob@example.com
  memberOf: [payments]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: carol
spec:
  profile:
    email: carol@example.com
  memberOf: [search]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: tina
spec:
  profile:
    email: tina.tpm@example.com
"""


def _component(
    name: str, owner: str, tier: int, lifecycle: str, links: list[str], deps: bool
) -> str:
    link_lines = "".join(
        f"    - url: https://{kind}.example.com/{name}\n      type: {kind}\n" for kind in links
    )
    return (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
        f"  name: {name}\n  labels:\n    tier: tier-{tier}\n"
        + (f"  links:\n{link_lines}" if links else "")
        + f"spec:\n  type: service\n  lifecycle: {lifecycle}\n  owner: {owner}\n  system: shop\n"
        + ("  dependsOn: [component:default/ledger]\n" if deps else "")
    )


def services(day: dt.date) -> str:
    worker_links = ["logs", "runbook"] if day >= D3 else ["logs"]
    search_links = ["runbook"] if day >= D4 else ["runbook", "logs"]
    return "---\n".join(
        [
            _component("pay-api", "payments", 1, "production", ["runbook", "logs"], True),
            _component("pay-worker", "payments", 1, "production", worker_links, False),
            _component("ledger", "payments", 2, "production", [], False),
            _component("search-api", "search", 1, "production", search_links, False),
            _component("search-ui", "search", 3, "experimental", ["runbook"], False),
        ]
    )


def write_catalog(root: Path) -> Path:
    """One catalog folder per day; the returned path has ``{date}`` in it."""
    for day in DAYS:
        folder = root / day.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "org.yaml").write_text(textwrap.dedent(ORG).lstrip())
        (folder / "services.yaml").write_text(services(day))
    return root / "{date}"


SCORECARD = """
id: ops
name: Operable services
levels: [bronze, silver]
rules:
  - id: runbook
    name: Runbook linked
    level: bronze
    points: 1
    description: A runbook link.
    remediation: Add a link of type runbook to metadata.links.
    condition: has_runbook_link
  - id: logs
    name: Logs linked
    level: bronze
    points: 1
    description: A logs link.
    remediation: Add a link of type logs to metadata.links.
    condition: has_logs_link
  - id: deps
    name: Dependencies declared
    level: silver
    points: 1
    description: At least one dependency.
    remediation: Add spec.dependsOn.
    condition: {fact: dependency_count, op: gte, value: 1}
"""


# Runbooks for tier 1 and 2, due the day after D4 (the first version said eight days
# after D1, so its 7-day reminder falls on D2): a daily digest, reminders 7 and 1 day
# before. Bronze for every production
# service of the platform department, due on D3: a weekly digest on Mondays, a 1-day
# reminder, escalation when overdue.
def initiatives(runbooks_due: dt.date) -> str:
    return f"""
id: runbooks
name: Runbooks for tier 1 and 2
description: Every tier-1 and tier-2 service links its runbook.
scorecard: ops
target:
  rules: [runbook]
entities:
  tier: [1, 2]
start_date: {D1}
due_date: {runbooks_due}
owner: tina
notifications:
  channels: [slack, email]
  digest: daily
  reminders: [7, 1]
---
id: bronze-platform
name: Bronze for the platform's production services
scorecard: ops
target:
  level: bronze
entities:
  team: platform
  lifecycle: production
start_date: {D1}
due_date: {D3}
owner: user:default/tina
notifications:
  channels: [slack, email]
  digest: {{cadence: weekly, weekday: monday}}
  reminders: [1]
"""


RUNBOOKS_DUE = D4 + dt.timedelta(days=1)
RUNBOOKS_DUE_FIRST = D1 + dt.timedelta(days=8)


def write_standards(root: Path, runbooks_due: dt.date = RUNBOOKS_DUE) -> Path:
    (root / "initiatives").mkdir(parents=True, exist_ok=True)
    (root / "ops.yml").write_text(textwrap.dedent(SCORECARD).lstrip())
    (root / "initiatives" / "q1.yml").write_text(
        textwrap.dedent(initiatives(runbooks_due)).lstrip()
    )
    return root
