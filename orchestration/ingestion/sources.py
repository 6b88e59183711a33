"""Every source readiness can load, how to build it for a run, and whether it is configured.

File sources (catalog, custom data, standards) read folders named in the settings. HTTP
sources read their base URL and credentials from dlt config/secrets (``.dlt/config.toml``,
``.dlt/secrets.toml`` or ``SOURCES__<NAME>__<KEY>`` environment variables), so the same
code reads api.github.com or the local simulator.

History: a location (folder or base URL) containing ``{date}`` names the state as of any
day (e.g. the simulator's ``http://127.0.0.1:PORT/_as_of/{date}``, or one catalog folder
per day). Loading a range of days then takes one snapshot per day, in one dlt run; a
location without ``{date}`` only knows the present, so a range loads one snapshot, of its
last day, and earlier days' state facts stay unknown, as they truly are.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import dlt
from dlt.extract.source import DltSource

from readiness.settings import Settings

History = Sequence[tuple[dt.date, str]]


@dataclass(frozen=True)
class SourceSpec:
    """One dlt source as readiness runs it."""

    name: str  # dlt source name; its dataset is raw_<name>
    module: str  # the package holding the @dlt.source
    function: str  # the @dlt.source function
    description: str
    # file sources: the Settings attribute naming the folder (or, for the catalog, the
    # tuple of files and folders)
    folder_setting: str | None = None
    # HTTP sources: dlt keys that must resolve; "a|b" means either of them.
    required_config: tuple[str, ...] = ()
    # Another source's section to read the same keys from when this one has none
    # (GitHub teams use the GitHub source's org, token and base URL).
    config_fallback: str | None = None
    placeholders: dict[str, object] = field(default_factory=dict)  # for definition time
    takes_history: bool = True

    @property
    def dataset(self) -> str:
        return f"raw_{self.name}"

    @property
    def factory(self) -> Callable[..., DltSource]:
        return getattr(importlib.import_module(self.module), self.function)

    def configured(self, settings: Settings) -> bool:
        if self.folder_setting is not None:
            return getattr(settings, self.folder_setting) not in (None, ())
        return all(
            any(self.config(option) is not None for option in key.split("|"))
            for key in self.required_config
        )

    def config(self, key: str) -> object | None:
        """A config or secret value of this source, or of its fallback source."""
        for section in (self.name, self.config_fallback):
            if section is not None:
                value = _config_value(f"sources.{section}.{key}")
                if value is not None:
                    return value
        return None

    def placeholder(self) -> DltSource:
        """A source that only describes the tables (Dagster builds specs from it)."""
        return self.factory(**self.placeholders)

    def location(self, settings: Settings) -> str | list[str] | None:
        """The folder (files and folders, for the catalog) or base URL the source reads;
        each may contain ``{date}``."""
        if self.folder_setting is not None:
            folder = getattr(settings, self.folder_setting)
            if isinstance(folder, tuple):
                return [str(path) for path in folder] or None
            return str(folder) if folder is not None else None
        value = self.config("base_url")
        return str(value) if value else None

    @property
    def option(self) -> str:
        """How a user configures the source, for messages."""
        if self.folder_setting is not None:
            flag = self.folder_setting.removesuffix("_dir").removesuffix("_paths")
            return f"--{flag.replace('_', '-')} PATH"
        return ", ".join(f"sources.{self.name}.{key}" for key in self.required_config)

    def build(self, settings: Settings, days: Sequence[dt.date], **extra) -> DltSource:
        """The source for a run over ``days`` (the last one is the main snapshot)."""
        last = days[-1]
        kwargs: dict[str, object] = {"snapshot_on": last, **extra}
        if self.config_fallback is not None:
            for key in self.required_config:
                for option in key.split("|"):
                    if (value := self.config(option)) is not None:
                        kwargs[option] = value
        location = self.location(settings)
        if location is not None:
            texts = [location] if isinstance(location, str) else location
            dated = any("{date}" in text for text in texts)

            def on(day: dt.date) -> str | list[str]:
                named = [text.replace("{date}", day.isoformat()) for text in texts]
                return named[0] if isinstance(location, str) else named

            kwargs["path" if self.folder_setting else "base_url"] = on(last)
            if dated and self.takes_history and len(days) > 1:
                kwargs["history"] = [(day, on(day)) for day in days[:-1]]
        return self.factory(**kwargs)


def _config_value(key: str) -> object | None:
    """A dlt config or secret value, or None when it does not resolve."""
    for accessor in (dlt.secrets, dlt.config):
        try:
            value = accessor.get(key)
        except Exception:  # a malformed toml is reported when the source itself runs
            value = None
        if value not in (None, ""):
            return value
    return None


_UNSET = "unset"
_HTTP_PLACEHOLDERS = {"base_url": "http://unset"}

SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        "scorecards",
        "ingestion.scorecards",
        "scorecards_source",
        "Standards as code",
        folder_setting="scorecards_dir",
        placeholders={"path": ""},
        takes_history=False,
    ),
    SourceSpec(
        "catalog",
        "ingestion.catalog",
        "catalog_source",
        "Backstage catalog descriptors",
        folder_setting="catalog_paths",
        placeholders={"path": ""},
    ),
    SourceSpec(
        "backstage",
        "ingestion.backstage",
        "backstage_source",
        "Backstage catalog API (entities of a running Backstage)",
        required_config=("base_url",),
        placeholders={**_HTTP_PLACEHOLDERS, "token": None},
    ),
    SourceSpec(
        "custom_data",
        "ingestion.custom_data",
        "custom_data_source",
        "Custom data by entity",
        folder_setting="custom_data_dir",
        placeholders={"path": ""},
    ),
    SourceSpec(
        "github",
        "ingestion.github",
        "github_source",
        "GitHub repositories: protection, reviews, CI, commits, Dependabot alerts",
        required_config=("org", "token"),
        placeholders={**_HTTP_PLACEHOLDERS, "org": _UNSET, "token": _UNSET},
    ),
    SourceSpec(
        "github_teams",
        "ingestion.github_teams",
        "github_teams_source",
        "GitHub teams and their members",
        required_config=("org", "token"),
        config_fallback="github",
        placeholders={**_HTTP_PLACEHOLDERS, "org": _UNSET, "token": _UNSET},
    ),
    SourceSpec(
        "okta",
        "ingestion.okta",
        "okta_source",
        "Okta users, groups and memberships",
        required_config=("base_url", "api_token|access_token"),
        placeholders={**_HTTP_PLACEHOLDERS, "api_token": _UNSET},
    ),
    SourceSpec(
        "pagerduty",
        "ingestion.pagerduty",
        "pagerduty_source",
        "PagerDuty services, escalation policies, schedules, on-calls, incidents",
        required_config=("base_url", "api_key"),
        placeholders={**_HTTP_PLACEHOLDERS, "api_key": _UNSET},
    ),
    SourceSpec(
        "datadog",
        "ingestion.datadog",
        "datadog_source",
        "Datadog monitors, SLOs, SLO history",
        required_config=("api_key", "app_key"),
        placeholders={**_HTTP_PLACEHOLDERS, "api_key": _UNSET, "app_key": _UNSET},
    ),
    SourceSpec(
        "prometheus",
        "ingestion.prometheus",
        "prometheus_source",
        "Prometheus SLI series",
        required_config=("base_url",),
        placeholders={**_HTTP_PLACEHOLDERS, "bearer_token": None},
    ),
    SourceSpec(
        "coverage",
        "ingestion.coverage",
        "coverage_source",
        "Cobertura coverage reports of the catalog's repositories",
        required_config=("base_url",),
        placeholders={**_HTTP_PLACEHOLDERS, "token": None, "repositories": []},
    ),
)


def source_spec(name: str) -> SourceSpec:
    for spec in SOURCES:
        if spec.name == name:
            return spec
    raise KeyError(f"unknown source {name!r}; known: {', '.join(s.name for s in SOURCES)}")


def configured_sources(settings: Settings) -> list[SourceSpec]:
    return [spec for spec in SOURCES if spec.configured(settings)]
