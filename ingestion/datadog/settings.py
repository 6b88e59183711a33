"""Constants of the Datadog source (API_SHAPES.md §6)."""

DEFAULT_SITE = "datadoghq.com"
DEFAULT_BASE_URL = "https://api.datadoghq.com"

MONITORS_PATH = "/api/v1/monitor"
SLOS_PATH = "/api/v1/slo"
SLO_HISTORY_PATH = "/api/v1/slo/{slo_id}/history"

# The largest pages the API serves: monitors max 1,000 per page (default 100), SLOs limit
# default and max 1,000.
MONITOR_PAGE_SIZE = 1000
SLO_PAGE_SIZE = 1000

# Days of SLO history kept fresh on every run; each SLO's request also reaches back one
# SLO timeframe further, so the SLI over the timeframe ending on any of these days is known.
HISTORY_DAYS = 90
TIMEFRAME_DAYS = {"7d": 7, "30d": 30, "90d": 90}

# HTTP behaviour (see ingestion.http.rest_client). A body that is not JSON is fetched again
# this many times in all before the run fails.
MAX_ATTEMPTS = 6
BACKOFF_FACTOR = 0.5
MAX_DELAY = 60.0
TIMEOUT = 60.0
