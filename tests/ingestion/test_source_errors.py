"""Every source's failure is one catchable type, with its own message kept."""

from __future__ import annotations

import pytest

from ingestion.backstage.helpers import BackstageError
from ingestion.coverage.helpers import CoverageError
from ingestion.datadog.helpers import DatadogError
from ingestion.errors import SourceError
from ingestion.github.helpers import GitHubSourceError
from ingestion.okta.helpers import OktaError
from ingestion.pagerduty.helpers import PagerDutyError
from ingestion.prometheus.helpers import PrometheusError

SOURCE_ERRORS = [
    BackstageError,
    CoverageError,
    DatadogError,
    GitHubSourceError,
    OktaError,
    PagerDutyError,
    PrometheusError,
]


@pytest.mark.parametrize("error", SOURCE_ERRORS, ids=lambda e: e.__name__)
def test_every_source_error_is_caught_as_source_error(error: type[Exception]) -> None:
    with pytest.raises(SourceError) as caught:
        raise error("source x: HTTP 500 on /api")
    assert str(caught.value) == "source x: HTTP 500 on /api"
    assert isinstance(caught.value, RuntimeError)
