"""The Redis cache degrades to process memory while Redis is away, and forgets nothing it should
have cleared once Redis is back."""

from unittest import mock

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from common import cache as resilient

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture(autouse=True)
def _retry_at_once(monkeypatch):
    monkeypatch.setattr(resilient, "RETRY_AFTER", 0)
    monkeypatch.setattr(resilient, "_OUTAGES", {})


def _cache(location, prefix):
    return resilient.ResilientRedisCache(location, {"KEY_PREFIX": prefix, "LOCAL_TIMEOUT": 300})


def test_while_redis_is_unreachable_values_and_rate_limit_counters_live_in_the_process():
    cache = _cache(UNREACHABLE_REDIS, "down")

    cache.set("site-root-paths", ["/home/"], 3600)
    assert cache.get("site-root-paths") == ["/home/"]
    assert cache.add("rl:203.0.113.7", 1, 300) is True
    assert cache.add("rl:203.0.113.7", 1, 300) is False  # the same window: counted, not reset
    assert cache.incr("rl:203.0.113.7") == 2
    assert cache.get_or_set("fragment", lambda: "rebuilt") == "rebuilt"
    assert cache.reachable() is False


@pytest.mark.redis
def test_an_invalidation_made_while_redis_was_away_is_made_when_it_is_back(redis_url):
    cache = _cache(redis_url, "resync")
    cache.set("page:/areas/area-01/", "old page")
    client = cache._cache.get_client(write=True)
    with mock.patch.object(type(client), "execute_command", side_effect=RedisConnectionError("down")):
        cache.delete("page:/areas/area-01/")  # a publish while Redis is away
        assert cache.get("page:/areas/area-01/") is None

    assert cache.reachable() is True
    assert cache.get("page:/areas/area-01/") is None  # Redis kept the old page; it is gone now
