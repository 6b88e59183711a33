"""Dagster resources shared by every asset."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from readiness.settings import Settings


class ReadinessResource(dg.ConfigurableResource):
    """Where readiness keeps its files and reads its inputs (see readiness.settings)."""

    home: str
    catalog_paths: list[str] = []
    custom_data_dir: str | None = None
    scorecards_dir: str
    dbt_project_dir: str
    freshness_days: int = 2
    backend: str = "duckdb"

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadinessResource:
        return cls(
            home=str(settings.home),
            catalog_paths=[str(path) for path in settings.catalog_paths],
            custom_data_dir=str(settings.custom_data_dir) if settings.custom_data_dir else None,
            scorecards_dir=str(settings.scorecards_dir),
            dbt_project_dir=str(settings.dbt_project_dir),
            freshness_days=settings.freshness_days,
            backend=settings.backend,
        )

    def settings(self) -> Settings:
        return Settings(
            home=Path(self.home),
            catalog_paths=tuple(Path(path) for path in self.catalog_paths),
            custom_data_dir=Path(self.custom_data_dir) if self.custom_data_dir else None,
            scorecards_dir=Path(self.scorecards_dir),
            dbt_project_dir=Path(self.dbt_project_dir),
            freshness_days=self.freshness_days,
            backend=self.backend,
        )
