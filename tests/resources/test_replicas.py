"""What replicas share in Redis, each part against a real redis-server: the polling lease
and its fencing, the news channel, and one request budget for all."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import anyio
import pytest

from bigcommerce_b2b_mcp.api.budget import Budget
from bigcommerce_b2b_mcp.errors import RateLimitedError, StateStoreError
from bigcommerce_b2b_mcp.resources.changes import FeedRules, Observation
from bigcommerce_b2b_mcp.resources.redis_events import RedisEventStore
from bigcommerce_b2b_mcp.resources.replicas import Cluster, Keys
from tests.conftest import free_port
from tests.redis_server import RedisServer

pytestmark = pytest.mark.anyio

COMPANIES = FeedRules("companies", new_trigger="new", status_trigger="status")


@pytest.fixture
async def clusters(redis_server: RedisServer) -> AsyncIterator[list[Cluster]]:
    """Two replicas' views of one store in one Redis."""
    replicas = [Cluster(redis_server.url, "store", lease_ttl=1.5) for _ in range(2)]
    yield replicas
    for replica in replicas:
        await replica.aclose()


def fenced_store(cluster: Cluster) -> RedisEventStore:
    return RedisEventStore(cluster.redis, cluster.keys, location="test", lease=cluster.lease)


async def test_one_replica_holds_the_lease_and_the_next_takes_over_on_release(
    clusters: list[Cluster],
) -> None:
    a, b = (cluster.lease for cluster in clusters)
    assert await a.try_acquire()
    assert not await b.try_acquire()
    assert await b.holder_now() == a.holder
    await a.release()
    assert await b.try_acquire()
    assert await a.holder_now() == b.holder
    assert a.token is None
    assert b.token is not None
    # The fencing number grows with every acquisition.
    assert b.token.endswith("#2")


async def test_a_replica_that_lost_the_lease_cannot_write(clusters: list[Cluster]) -> None:
    first, second = clusters
    assert await first.lease.try_acquire()
    stale = fenced_store(first)
    await stale.observe(COMPANIES, [], now=100, high_water=100, baseline_start=100)
    # The first replica stalls past its lease; the second takes over.
    await first.redis.delete(first.lease.key)
    assert await second.lease.try_acquire()
    record = Observation("1", 150, 150, "pending", data={"id": 1})
    with pytest.raises(StateStoreError, match="no longer holds the polling lease"):
        await stale.observe(COMPANIES, [record], now=160, high_water=100)
    assert await stale.latest_seq("new") == 0
    found = await fenced_store(second).observe(COMPANIES, [record], now=160, high_water=100)
    assert [(e.trigger, e.seq) for e in found] == [("new", 1)]


async def test_keeping_the_lease_ends_when_another_replica_has_it(
    clusters: list[Cluster],
) -> None:
    first, second = clusters
    assert await first.lease.try_acquire()
    with anyio.fail_after(5):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(first.lease.keep)
            await first.redis.delete(first.lease.key)
            assert await second.lease.try_acquire()
    # keep() returned by itself: the task group ended without being cancelled.


async def test_news_reaches_every_listener_and_each_catches_up_on_subscribing(
    redis_server: RedisServer,
) -> None:
    clusters = [Cluster(redis_server.url, "store", lease_ttl=3) for _ in range(3)]
    heard: list[list[str]] = [[], []]
    subscribed = [anyio.Event(), anyio.Event()]
    all_heard = anyio.Event()

    def listener(n: int) -> tuple[Callable[[str], Awaitable[None]], Callable[[], Awaitable[None]]]:
        async def on_news(trigger: str) -> None:
            heard[n].append(trigger)
            if all(heard):
                all_heard.set()

        async def on_subscribed() -> None:
            subscribed[n].set()

        return on_news, on_subscribed

    try:
        with anyio.fail_after(10):
            async with anyio.create_task_group() as tasks:
                for n in (0, 1):
                    on_news, on_subscribed = listener(n)
                    tasks.start_soon(clusters[n].news.listen, on_news, on_subscribed)
                    await subscribed[n].wait()
                await clusters[2].news.publish("new-orders")
                await all_heard.wait()
                tasks.cancel_scope.cancel()
    finally:
        for cluster in clusters:
            await cluster.aclose()
    assert heard == [["new-orders"], ["new-orders"]]


async def test_two_replicas_keep_together_to_one_budget(redis_server: RedisServer) -> None:
    clusters = [Cluster(redis_server.url, "store", lease_ttl=3) for _ in range(2)]
    budgets = [Budget(1.0, max_wait=0.5, ledger=cluster.ledger) for cluster in clusters]
    for budget in budgets:
        budget.limit = 10
    try:
        for n in range(10):
            async with budgets[n % 2].slot():
                pass
        with pytest.raises(RateLimitedError):
            async with budgets[0].slot():
                pass
        assert budgets[1].status().used == 10
    finally:
        for cluster in clusters:
            await cluster.aclose()


async def test_without_redis_the_budget_keeps_a_window_of_its_own() -> None:
    cluster = Cluster(f"redis://127.0.0.1:{free_port()}/0", "store", lease_ttl=3)
    budget = Budget(1.0, max_wait=0.5, ledger=cluster.ledger)
    budget.limit = 3
    try:
        with anyio.fail_after(5):  # no request waits long on a Redis that is not there
            for _ in range(3):
                async with budget.slot():
                    pass
        with pytest.raises(RateLimitedError):
            async with budget.slot():
                pass
    finally:
        await cluster.aclose()


def test_keys_of_a_store_share_one_cluster_slot() -> None:
    keys = Keys.for_store("abc123-9f")
    assert keys("events", "new-orders") == "b2b-mcp:{abc123-9f}:events:new-orders"
