"""What several replicas share in Redis: the polling lease, the news channel that tells
every replica of new events, and the request ledger behind one budget for all.

Every key of a store lives under one prefix, `b2b-mcp:{<store>}:`; the braces make it a
Redis Cluster hash tag, so a store's keys share a slot and its transactions stay legal.
Redis is reached lazily: a replica starts, and serves tools, with Redis down.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ConstantBackoff
from redis.exceptions import AuthenticationError, RedisError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Failures that mean "Redis cannot be reached now", as opposed to a refused command.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def connect(url: str) -> aioredis.Redis:
    """A client that fails fast: a replica must notice Redis going away within seconds."""
    return aioredis.Redis.from_url(
        url,
        decode_responses=True,
        socket_timeout=3.0,
        socket_connect_timeout=2.0,
        retry=Retry(ConstantBackoff(0.1), 1),
        health_check_interval=15,
        client_name="bigcommerce-b2b-mcp",
    )


def where(url: str) -> str:
    """The Redis address for messages: host and port, never the password."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"{host}:{parts.port or 6379}" if parts.scheme != "unix" else parts.path


def unreachable(location: str, exc: BaseException) -> str:
    """What a trigger's status says while Redis cannot be used, and why."""
    if isinstance(exc, AuthenticationError) or not isinstance(exc, UNREACHABLE):
        return (
            f"Redis refused this server ({location}, {type(exc).__name__}): check the "
            "password in --redis-url and Redis's memory limit. Triggers are stopped until it "
            "works; tools are unaffected."
        )
    return (
        f"Redis unreachable ({location}, {type(exc).__name__}): triggers are stopped and "
        "resume when it is back; tools are unaffected."
    )


def replica_id() -> str:
    """This process, recognisably: host, pid and a random tail (pids repeat in containers)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Keys:
    """The names of one store's keys."""

    prefix: str

    @classmethod
    def for_store(cls, store: str) -> Keys:
        return cls(f"b2b-mcp:{{{store}}}:")

    def __call__(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)


# --- The polling lease -------------------------------------------------------------------

_ACQUIRE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = ARGV[1] .. '#' .. redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[2])
return token
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class PollingLease:
    """One replica per store polls: the one holding this lease.

    The lease is a key set with NX and a time to live, renewed every third of it. Its
    value carries a fencing number that grows with every acquisition, and the event
    store writes only while the value is still this replica's: a holder that stalled
    past its lease cannot write over its successor. A dead holder's lease expires, and
    another replica takes over within `ttl` plus one retry (`ttl` / 3).
    """

    def __init__(self, redis: aioredis.Redis, keys: Keys, *, holder: str, ttl: float) -> None:
        self.key = keys("lease")
        self.holder = holder
        self.ttl = ttl
        self.token: str | None = None
        self._redis = redis
        self._epoch = keys("lease", "epoch")
        self._acquire = redis.register_script(_ACQUIRE)
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)

    @property
    def _ttl_ms(self) -> int:
        return int(self.ttl * 1000)

    async def try_acquire(self) -> bool:
        """Take the lease if nobody holds it (raises Redis errors)."""
        token = await self._acquire(keys=[self.key, self._epoch], args=[self.holder, self._ttl_ms])
        self.token = str(token) if token else None
        return self.token is not None

    async def holder_now(self) -> str | None:
        """Who holds the lease now: their replica id, without the fencing number."""
        value = await self._redis.get(self.key)
        return str(value).rsplit("#", 1)[0] if value else None

    async def keep(self) -> None:
        """Renew until the lease is lost; then return. Redis briefly away is ridden out
        while the lease has not yet expired by our own clock."""
        renewed = anyio.current_time()
        while True:
            await anyio.sleep(self.ttl / 3)
            try:
                if not await self._renew(keys=[self.key], args=[self.token or "", self._ttl_ms]):
                    logger.warning("The polling lease passed to another replica")
                    return
                renewed = anyio.current_time()
            except RedisError as exc:
                # Give up before the key can have expired, so two replicas never both poll.
                if anyio.current_time() - renewed + self.ttl / 3 >= self.ttl * 0.9:
                    logger.warning("Polling lease lost: Redis unreachable (%s)", type(exc).__name__)
                    return

    async def release(self) -> None:
        """Hand the lease back, so another replica takes over without waiting for expiry."""
        token, self.token = self.token, None
        if token is None:
            return
        # Shielded: it runs as the replica shuts down. Failing, it expires by itself.
        with (
            anyio.CancelScope(shield=True),
            anyio.move_on_after(2),
            contextlib.suppress(RedisError),
        ):
            await self._release(keys=[self.key], args=[token])


# --- News: every replica hears of new events ----------------------------------------------


class News:
    """A pub/sub channel carrying the names of triggers that have new events.

    Pub/sub delivers at most once, so a message is only a hint: on every (re)subscription
    a replica compares each trigger's newest sequence number with what it has announced
    and announces what it missed. Nothing depends on a message arriving.
    """

    def __init__(self, redis: aioredis.Redis, keys: Keys) -> None:
        self.channel = keys("news")
        self._redis = redis

    async def publish(self, trigger: str) -> None:
        try:
            await self._redis.publish(self.channel, trigger)
        except RedisError as exc:  # the listeners catch up when Redis is back
            logger.debug("News not published: %s", type(exc).__name__)

    async def listen(
        self,
        on_news: Callable[[str], Awaitable[None]],
        on_subscribed: Callable[[], Awaitable[None]],
        *,
        retry_every: float = 1.0,
    ) -> None:
        """Call `on_news(trigger)` per message, `on_subscribed()` after every (re)subscription;
        forever, reconnecting while Redis is away."""
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                await on_subscribed()
                while True:
                    message = await pubsub.get_message(timeout=30.0)
                    if message is not None and message.get("type") == "message":
                        await on_news(str(message["data"]))
            except RedisError as exc:
                logger.debug("News channel lost: %s", type(exc).__name__)
            finally:
                with (
                    anyio.CancelScope(shield=True),
                    anyio.move_on_after(1),
                    contextlib.suppress(RedisError, OSError),
                ):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]  # unannotated
            await anyio.sleep(retry_every)


# --- One request budget for every replica -------------------------------------------------

_TAKE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window = tonumber(ARGV[2])
local cap = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t - window)
local used = redis.call('ZCARD', KEYS[1])
if used < cap then
  redis.call('ZADD', KEYS[1], t, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {0, used + 1}
end
local oldest = redis.call('ZRANGE', KEYS[1], used - cap, used - cap, 'WITHSCORES')
return {tonumber(oldest[2]) + window - t, used}
"""


class RedisLedger:
    """The budget's sliding window kept in Redis, by Redis's clock, for all replicas at once.

    `take` is one atomic script: it counts the store's requests in the last window and
    records this one if the cap allows. The budget falls back to its own window while
    Redis is away (tool calls never wait for Redis).
    """

    def __init__(self, redis: aioredis.Redis, keys: Keys) -> None:
        self._key = keys("budget")
        self._take = redis.register_script(_TAKE)
        self.used = 0

    async def take(self, cap: int, window: float) -> float:
        """Record one request if fewer than `cap` went in the last `window` seconds and
        return 0; otherwise the seconds until one may go."""
        reply: Any = await self._take(
            keys=[self._key], args=[cap, max(1, int(window * 1000)), uuid.uuid4().hex]
        )
        wait_ms, self.used = int(reply[0]), int(reply[1])
        return wait_ms / 1000


# --- Everything a replica shares, together ----------------------------------------------


class Cluster:
    """This replica's view of the others: one Redis, one store's keys, the lease, the news,
    the request ledger, and the pollers' statuses as the lease holder last shared them."""

    def __init__(self, url: str, store: str, *, lease_ttl: float) -> None:
        self.url = url
        self.location = where(url)
        self.redis = connect(url)
        self.keys = Keys.for_store(store)
        self.replica = replica_id()
        self.lease = PollingLease(self.redis, self.keys, holder=self.replica, ttl=lease_ttl)
        self.news = News(self.redis, self.keys)
        self.ledger = RedisLedger(self.redis, self.keys)

    async def aclose(self) -> None:
        with anyio.CancelScope(shield=True), anyio.move_on_after(2):
            await self.lease.release()
            await self.redis.aclose()

    def unreachable(self, exc: BaseException) -> str:
        return unreachable(self.location, exc)

    async def reachable(self) -> bool:
        """Whether Redis answers a PING now (for /readyz)."""
        try:
            with anyio.fail_after(2):
                return bool(await self.redis.ping())
        except (RedisError, OSError, TimeoutError):
            return False

    async def share_statuses(self, statuses: dict[str, str]) -> None:
        """The lease holder's pollers' statuses (JSON per feed), for the other replicas."""
        key = self.keys("statuses")
        async with self.redis.pipeline(transaction=True) as pipe:
            mapping: dict[Any, Any] = dict(statuses)
            pipe.hset(key, mapping=mapping)
            pipe.pexpire(key, int(self.lease.ttl * 2000))
            await pipe.execute()

    async def shared_status(self, feed: str) -> str | None:
        value = await self.redis.hget(self.keys("statuses"), feed)
        return str(value) if value is not None else None
