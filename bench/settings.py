"""Settings for benchmark servers: the embedded mode unchanged (DATABASE_URL chooses SQLite or PostgreSQL),
except the API's per-client rate limit, which would answer the load generator's loop with 429s."""
from civicspace.settings.embedded import *  # noqa: F401,F403

API_RATE_LIMIT_PER_MINUTE = 0
