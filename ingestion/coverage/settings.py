"""Constants of the coverage source (Cobertura XML reports)."""

# Where a repository's latest report lives, under the artifact store's base URL or a
# local folder laid out the same way.
REPORT_PATH = "{owner}/{repo}/coverage.xml"
REPORT_FILE = "coverage.xml"

# Cobertura's root `timestamp` is epoch milliseconds (coverage.py, Cobertura itself);
# some converters write seconds. Values above this are read as milliseconds.
MILLISECONDS_THRESHOLD = 100_000_000_000

# Reports bigger than this are refused (an error row), not parsed.
MAX_REPORT_BYTES = 200 * 1024 * 1024

# HTTP behaviour (see ingestion.http.rest_client).
MAX_ATTEMPTS = 6
BACKOFF_FACTOR = 0.5
MAX_DELAY = 60.0
TIMEOUT = 120.0

# Reports fetched at a time from an artifact store (each is one GET; a daily run reads
# one per repository).
FETCH_WORKERS = 4
