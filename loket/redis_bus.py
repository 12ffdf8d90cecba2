"""Redis as a broker and wake-up signal. Never the only copy of anything."""

from __future__ import annotations

import redis

from loket.settings import Settings


def make_redis(settings: Settings) -> redis.Redis:
    # Short timeouts: when Redis is down, requests must degrade quickly, not hang.
    return redis.Redis.from_url(
        settings.effective_redis_url,
        socket_connect_timeout=0.5,
        socket_timeout=2.0,
        health_check_interval=15,
        decode_responses=True,
    )
