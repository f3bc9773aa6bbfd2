"""A Redis cache that is an accelerator, never a dependency (docs/decisions.md, "The site survives
its cache").

While Redis cannot be reached every operation is answered by a small cache in this process
instead, so pages render (Wagtail's site root paths, our fragments are rebuilt from the database),
rate limits go on counting (per process), and nothing raises. After a failure Redis is left alone
for a few seconds, so a dead or hanging server costs one timeout, not one per cache call. The keys
written or deleted while Redis was away are deleted there when it answers again: an invalidation
lost in the outage must not leave an old value behind.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
#: Seconds Redis is left alone after a failure before it is tried again.
RETRY_AFTER = 5.0
#: Seconds a value set in the local stand-in lives at most, as no other process can clear it there
#: (the cache's LOCAL_TIMEOUT setting changes it). Counters and marks made with add() and incr(),
#: which nobody clears, keep their own timeout: a rate limit's window stays what it was.
LOCAL_TIMEOUT = 30
#: Keys remembered for deletion once Redis is back; beyond this, the oldest are forgotten.
MAX_UNSYNCED = 10_000


class _Outage:
    """What one process knows of one Redis cache, shared by its threads (Django makes a cache
    object per thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.unsynced: dict[str, None] = {}


_OUTAGES: dict[str, _Outage] = {}


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, answered from process memory while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        name = f"resilient:{server}:{params.get('KEY_PREFIX', '')}"
        local = {key: value for key, value in params.items() if key in ("KEY_PREFIX", "VERSION")}
        self._local = LocMemCache(name, {**local, "OPTIONS": {"MAX_ENTRIES": 1000}})
        self._outage = _OUTAGES.setdefault(name, _Outage())
        self._local_cap = params.get("LOCAL_TIMEOUT", LOCAL_TIMEOUT)

    # Redis's state, per process.

    def reachable(self) -> bool:
        """Whether Redis answers now (asked directly: for the health check)."""
        try:
            self._cache.get_client(write=True).ping()
        except UNREACHABLE:
            return False
        return True

    def _call(self, method, fallback, *args, touched=()):
        """`method` on Redis; `fallback` here while Redis is away, remembering the keys it touched."""
        if time.monotonic() >= self._outage.down_until:
            try:
                self._resync()
                return method(*args)
            except UNREACHABLE as error:
                logger.warning("Cache unreachable, using this process's memory: %s", error)
                self._outage.down_until = time.monotonic() + RETRY_AFTER
        self._remember(touched)
        return fallback(*args)

    def _remember(self, keys) -> None:
        outage = self._outage
        with outage.lock:
            for key in keys:
                outage.unsynced[key] = None
            while len(outage.unsynced) > MAX_UNSYNCED:
                del outage.unsynced[next(iter(outage.unsynced))]

    def _resync(self) -> None:
        """Delete in Redis, before anything else is asked of it, what changed while it was away."""
        outage = self._outage
        if not outage.unsynced:
            return
        with outage.lock:
            keys, outage.unsynced = list(outage.unsynced), {}
        try:
            self._cache.delete_many(keys)
        except UNREACHABLE:
            self._remember(keys)
            raise
        self._local.clear()

    def _local_timeout(self, timeout, cap=True):
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            return self._local_cap
        return min(timeout, self._local_cap) if cap else timeout

    # The cache API. Reads change nothing in Redis; writes and deletes are remembered.

    def get(self, key, default=None, version=None):
        return self._call(super().get, self._local.get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, self._local.get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, self._local.has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        def local(key, value, timeout, version):
            return self._local.set(key, value, self._local_timeout(timeout), version)

        return self._call(
            super().set, local, key, value, timeout, version, touched=[self.make_key(key, version)]
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        def local(key, value, timeout, version):
            return self._local.add(key, value, self._local_timeout(timeout, cap=False), version)

        return self._call(
            super().add, local, key, value, timeout, version, touched=[self.make_key(key, version)]
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        def local(data, timeout, version):
            return self._local.set_many(data, self._local_timeout(timeout), version)

        touched = [self.make_key(key, version) for key in data]
        return self._call(super().set_many, local, data, timeout, version, touched=touched)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        def local(key, timeout, version):
            return self._local.touch(key, self._local_timeout(timeout), version)

        return self._call(super().touch, local, key, timeout, version, touched=[self.make_key(key, version)])

    def incr(self, key, delta=1, version=None):
        touched = [self.make_key(key, version)]
        return self._call(super().incr, self._local.incr, key, delta, version, touched=touched)

    def delete(self, key, version=None):
        touched = [self.make_key(key, version)]
        return self._call(super().delete, self._local.delete, key, version, touched=touched)

    def delete_many(self, keys, version=None):
        touched = [self.make_key(key, version) for key in keys]
        return self._call(super().delete_many, self._local.delete_many, keys, version, touched=touched)

    def clear(self):
        self._local.clear()
        return self._call(super().clear, lambda: None)
