"""Settings for benchmark servers: the embedded mode unchanged (DATABASE_URL chooses SQLite or PostgreSQL),
except the API's per-client rate limit, which would answer the load generator's loop with 429s."""
import os

from civicspace.settings.embedded import *  # noqa: F401,F403

API_RATE_LIMIT_PER_MINUTE = 0

# BENCH_PAGE_CACHE_SECONDS=0 measures the site without its public page cache (the "before" column).
PAGE_CACHE_SECONDS = int(os.environ.get("BENCH_PAGE_CACHE_SECONDS", "600"))
