"""Reading Cobertura reports: safe XML parsing, the root attributes, and where reports live.

Only the root ``<coverage>`` element matters (``line-rate``, ``branch-rate``,
``lines-valid``, ``lines-covered``, ``timestamp``), but the whole document is parsed so a
truncated or broken report is reported as broken instead of half-read. Parsing uses the
standard library's expat with every entity declaration refused and no external DTD or
entity ever loaded, which is what defusedxml does (defusedxml is only installed here as
fpdf2's dependency, so it is not relied upon). A ``<!DOCTYPE coverage SYSTEM "...coverage-04.dtd">`` line, which
many tools write, is fine: the DTD is never fetched.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.parsers import expat

from dlt.sources.helpers.rest_client import RESTClient
from requests import HTTPError, RequestException

from ingestion.coverage import settings
from ingestion.errors import SourceError
from ingestion.http import RetryPolicy, describe_http_error, rest_client

SOURCE = "coverage"
SLUG = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class CoverageError(SourceError):
    """The artifact store failed for good; the message names the source, status and path."""


class ReportError(ValueError):
    """A report that cannot be read: it becomes an error row, the load goes on."""


def _refuse_entities(*_: Any) -> None:
    raise ReportError("entity declarations are not allowed (possible entity-expansion attack)")


def _refuse_external(*_: Any) -> int:
    raise ReportError("external entities are not allowed")


def root_attributes(document: bytes) -> tuple[str, dict[str, str]]:
    """(name, attributes) of the root element of a well-formed, entity-free XML document."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.ExternalEntityRefHandler = _refuse_external
    root: list[tuple[str, dict[str, str]]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        root.append((name, attributes))
        parser.StartElementHandler = None  # the rest is only checked for well-formedness

    parser.StartElementHandler = start
    try:
        parser.Parse(document, True)
    except expat.ExpatError as exc:
        raise ReportError(
            f"not well-formed XML: {expat.ErrorString(exc.code)} "
            f"at line {exc.lineno}, column {exc.offset}"
        ) from None
    if not root:
        raise ReportError("empty document")
    return root[0]


def _rate(attributes: dict[str, str], name: str, required: bool) -> float | None:
    text = attributes.get(name)
    if text is None or text == "":
        if required:
            raise ReportError(f"<coverage> has no {name} attribute")
        return None
    try:
        value = float(text)
    except ValueError:
        raise ReportError(f"{name}={text!r} is not a number") from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ReportError(f"{name}={text!r} is outside 0..1")
    return value


def _count(attributes: dict[str, str], name: str) -> int | None:
    text = attributes.get(name)
    if text is None or text == "":
        return None
    try:
        return int(float(text))
    except ValueError:
        raise ReportError(f"{name}={text!r} is not a number") from None


def generated_at(timestamp: int | None) -> dt.datetime | None:
    """The report's ``timestamp`` (epoch ms, or s from some converters) as naive UTC."""
    if timestamp is None or timestamp <= 0:
        return None
    seconds = timestamp / 1000 if timestamp > settings.MILLISECONDS_THRESHOLD else float(timestamp)
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def parse_cobertura(document: bytes) -> dict[str, Any]:
    """The root figures of a Cobertura report; :class:`ReportError` if it is not one."""
    if len(document) > settings.MAX_REPORT_BYTES:
        raise ReportError(f"report is larger than {settings.MAX_REPORT_BYTES} bytes")
    name, attributes = root_attributes(document)
    if name != "coverage":
        raise ReportError(f"root element is <{name}>, not Cobertura's <coverage>")
    timestamp = _count(attributes, "timestamp")
    return {
        "line_rate": _rate(attributes, "line-rate", required=True),
        "branch_rate": _rate(attributes, "branch-rate", required=False),
        "lines_valid": _count(attributes, "lines-valid"),
        "lines_covered": _count(attributes, "lines-covered"),
        "branches_valid": _count(attributes, "branches-valid"),
        "branches_covered": _count(attributes, "branches-covered"),
        "report_timestamp": timestamp,
        "generated_at": generated_at(timestamp),
        "version": attributes.get("version"),
    }


def normalize_slug(slug: str) -> str | None:
    """``Acme/Payments-API`` → ``acme/payments-api``; None if it is not ``owner/repo``."""
    slug = slug.strip().strip("/")
    return slug.lower() if SLUG.match(slug) else None


def coverage_client(base_url: str, token: str | None) -> RESTClient:
    headers = {"Accept": "application/xml, text/xml;q=0.9, */*;q=0.1"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return rest_client(
        base_url,
        headers=headers,
        policy=RetryPolicy(settings.MAX_ATTEMPTS, settings.BACKOFF_FACTOR, settings.MAX_DELAY),
        timeout=settings.TIMEOUT,
    )


def fetch_report(client: RESTClient, slug: str) -> bytes | None:
    """``GET {base_url}/{owner}/{repo}/coverage.xml``: the bytes, or None on 404."""
    owner, repo = slug.split("/", 1)
    path = "/" + settings.REPORT_PATH.format(owner=quote(owner), repo=quote(repo))
    try:
        response = client.get(path)
    except RequestException as exc:
        raise CoverageError(describe_http_error(SOURCE, exc)) from None
    if response.status_code == 404:
        return None
    if response.status_code >= 400:
        hint = " (check sources.coverage.token)" if response.status_code in (401, 403) else ""
        raise CoverageError(describe_http_error(SOURCE, HTTPError(response=response)) + hint)
    return response.content


def folder_repositories(folder: Path) -> list[str]:
    """Every ``<owner>/<repo>`` under ``folder`` that holds a ``coverage.xml``."""
    return sorted(
        f"{report.parent.parent.name}/{report.parent.name}"
        for report in folder.glob(f"*/*/{settings.REPORT_FILE}")
        if report.is_file()
    )


def read_reports(
    slugs: list[str], fetch: Any, workers: int = 1
) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
    """(repo_full_name, report figures, error) per repository that has a report.

    ``fetch(slug)`` returns the report's bytes or None (no report). Duplicates (two
    components on one repository) are read once; an invalid slug is an error. With
    ``workers`` > 1 the reports are fetched that many at a time (``fetch`` must then be
    safe to call from several threads); the results keep the order of ``slugs``.
    """
    seen: set[str] = set()
    order: list[tuple[str, str | None]] = []
    for raw in slugs:
        slug = normalize_slug(raw)
        if slug is not None:
            if slug in seen:
                continue
            seen.add(slug)
        order.append((raw, slug))
    wanted = [raw.strip().strip("/") for raw, slug in order if slug is not None]
    documents: Iterator[bytes | None]
    if workers > 1 and len(wanted) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            documents = iter(list(pool.map(fetch, wanted)))
    else:
        documents = (fetch(name) for name in wanted)
    for raw, slug in order:
        if slug is None:
            yield raw.strip().lower(), None, f"{raw!r} is not an owner/repo slug"
            continue
        document = next(documents)
        if document is None:
            continue
        try:
            yield slug, parse_cobertura(document), None
        except ReportError as exc:
            yield slug, None, str(exc)
