"""The Redis database the queue tests use (db 14 unless ACCREG_TEST_REDIS_URL says otherwise), and
whether it answers: those tests are skipped, with the reason, where no Redis runs."""

from __future__ import annotations

import os

import redis

REDIS_URL = os.environ.get("ACCREG_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False
