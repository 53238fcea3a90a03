"""A second app worker for tests/integration/test_page_cache.py: its own process, its own in-process cache,
the same database and generation store as the test. Reads `GET <path>` lines on stdin and answers each with one
JSON line {"status", "cache", "body"} (the X-Page-Cache header and the body's text).

    DATABASE_URL=... PAGECACHE_STORE=file|cache PAGECACHE_DIR=... PAGECACHE_REDIS=redis://... \
        python -m tests.pagecache_worker
"""
import json
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicspace.settings.test")
    from django.conf import settings

    settings.PAGE_CACHE_SECONDS = 600
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    settings.PAGE_CACHE_GENERATION_STORE = os.environ["PAGECACHE_STORE"]
    if os.environ.get("PAGECACHE_DIR"):
        settings.PAGE_CACHE_GENERATION_DIR = os.environ["PAGECACHE_DIR"]
    if os.environ.get("PAGECACHE_REDIS"):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": os.environ["PAGECACHE_REDIS"]}}
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        method, path = line.split()
        response = client.get(path)
        print(json.dumps({"status": response.status_code, "cache": response.get("X-Page-Cache"),
                          "body": response.content.decode()}), flush=True)


if __name__ == "__main__":
    main()
