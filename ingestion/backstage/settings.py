"""Constants of the Backstage catalog API source."""

SOURCE = "backstage"

# Backstage's backend serves the catalog under /api/catalog (backend.baseUrl + /api/catalog).
QUERY_PATH = "/api/catalog/entities/by-query"

# Entities per page. Backstage's own default for by-query is 200 (DefaultEntitiesCatalog);
# asking for it explicitly keeps the number of requests predictable.
PAGE_SIZE = 200

# A catalog of more pages than this is refused rather than read for ever (a server whose
# cursor never ends): 2,000 pages of 200 entities is 400,000 entities.
MAX_PAGES = 2_000

# HTTP behaviour (see ingestion.http.rest_client).
MAX_ATTEMPTS = 6
BACKOFF_FACTOR = 0.5
MAX_DELAY = 60.0
TIMEOUT = 120.0

# The annotation Backstage sets on every entity with the location it was read from.
ORIGIN_ANNOTATIONS = ("backstage.io/managed-by-origin-location", "backstage.io/managed-by-location")
