"""A Redis cache that degrades to a miss when Redis is unreachable (restarting, failed over): the site keeps
serving from the database instead of answering 500. Sessions live in the database (cached_db), so a Redis
restart signs nobody out."""
import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _down(exc):
    logger.warning("cache unavailable, treated as a miss: %s", exc)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        import redis

        self._errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

    def _guard(self, method, default, *args, **kwargs):
        try:
            return getattr(super(), method)(*args, **kwargs)
        except self._errors as exc:
            _down(exc)
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, keys, version)

    def set(self, *args, **kwargs):
        return self._guard("set", None, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._guard("set_many", [], *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._guard("add", False, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guard("delete", False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guard("delete_many", None, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guard("has_key", False, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guard("touch", False, *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._guard("incr", 1, *args, **kwargs)

    def clear(self):
        return self._guard("clear", None)
