"""Failed loads, recorded in the warehouse so that `unknown` can say why.

A source whose load fails leaves its previous snapshots in place (a failed dlt run
commits nothing). The failure itself is appended to ``raw_meta.load_failures``
(orchestration.meta) with the day and the secret-free message made here, and the step
still fails so Dagster shows it.
"""

from __future__ import annotations

import re

from readiness.reports.redact import redact

MAX_MESSAGE = 500
_QUERY = re.compile(r"\?[^\s'\"]*")


def _chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def failure_message(error: BaseException) -> str:
    """A short, secret-free line saying why a load failed.

    Sources raise errors that start with ``source <name>:`` and name the status and path;
    the first such error in the chain wins, else the innermost one. Query strings are cut
    from any URL, since some APIs accept credentials there, and anything else that looks
    like a credential (``user:password@``, ``Bearer ...``, ``token=...``) is redacted.
    """
    chain = _chain(error)
    chosen = next((e for e in chain if _first_line(e).startswith("source ")), chain[-1])
    return redact(_QUERY.sub("", _first_line(chosen)))[:MAX_MESSAGE]
