"""Constants of the Prometheus source (API_SHAPES.md §7)."""

QUERY_RANGE_PATH = "/api/v1/query_range"

# Query name -> PromQL. Every result series must carry a `service` label (the catalog
# component name). The defaults are recording rules named by Prometheus's
# `level:metric:operations` convention (`slo:objective:ratio` is also what Sloth writes):
# the 30-day availability SLI and the SLO objective, both as ratios (0-1).
DEFAULT_QUERIES = {
    "availability_30d": "slo:sli_availability:ratio_rate30d",
    "objective": "slo:objective:ratio",
}
SERVICE_LABEL = "service"

# Days of daily samples read on every run (one query_range per query, step 1d).
HISTORY_DAYS = 90
STEP = "1d"
STEP_SECONDS = 86_400

# HTTP behaviour (see ingestion.http.rest_client).
MAX_ATTEMPTS = 6
BACKOFF_FACTOR = 0.5
MAX_DELAY = 60.0
TIMEOUT = 120.0
