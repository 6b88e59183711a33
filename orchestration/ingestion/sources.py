"""Every source readiness can load, how to build it for a run, and whether it is configured.

File sources (catalog, custom data, standards) read folders named in the settings. HTTP
sources read their base URL and credentials from dlt config/secrets (``.dlt/config.toml``,
``.dlt/secrets.toml`` or ``SOURCES__<NAME>__<KEY>`` environment variables), so the same
code reads api.github.com or the local simulator.
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
    folder_setting: str | None = None  # file sources: the Settings attribute naming the folder
    required_config: tuple[str, ...] = ()  # HTTP sources: dlt keys that must resolve
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
            return getattr(settings, self.folder_setting) is not None
        return all(_config_value(f"sources.{self.name}.{key}") for key in self.required_config)

    def placeholder(self) -> DltSource:
        """A source that only describes the tables (Dagster builds specs from it)."""
        return self.factory(**self.placeholders)

    def build(
        self, settings: Settings, snapshot_on: dt.date, history: History = (), **extra
    ) -> DltSource:
        """The source for a run: folder from the settings, or config from dlt."""
        kwargs: dict[str, object] = {"snapshot_on": snapshot_on, **extra}
        if self.folder_setting is not None:
            kwargs["path"] = str(getattr(settings, self.folder_setting))
        if self.takes_history and history:
            kwargs["history"] = list(history)
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

SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        "scorecards", "ingestion.scorecards", "scorecards_source", "Standards as code",
        folder_setting="scorecards_dir", placeholders={"path": ""}, takes_history=False,
    ),
    SourceSpec(
        "catalog", "ingestion.catalog", "catalog_source", "Backstage catalog descriptors",
        folder_setting="catalog_dir", placeholders={"path": ""}, takes_history=False,
    ),
    SourceSpec(
        "custom_data", "ingestion.custom_data", "custom_data_source", "Custom data by entity",
        folder_setting="custom_data_dir", placeholders={"path": ""}, takes_history=False,
    ),
)


def source_spec(name: str) -> SourceSpec:
    for spec in SOURCES:
        if spec.name == name:
            return spec
    raise KeyError(f"unknown source {name!r}; known: {', '.join(s.name for s in SOURCES)}")


def configured_sources(settings: Settings) -> list[SourceSpec]:
    return [spec for spec in SOURCES if spec.configured(settings)]
