"""The request budget: learned from the headers, kept to its share, tools first, no 429s."""

from __future__ import annotations

import anyio
import httpx2
import pytest

from bigcommerce_b2b_mcp.api.budget import Budget, background_work
from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.errors import RateLimitedError
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.seed import seed
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import STORE_HASH, TOKEN

pytestmark = pytest.mark.anyio


class FakeTime:
    """A clock that moves only when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await anyio.lowlevel.checkpoint()


def headers(limit: int, window: float, remaining: int, resets_after: float) -> httpx2.Headers:
    return httpx2.Headers(
        {
            "X-Requests-Allocated": f"{limit} times/{window:g} s",
            "X-Requests-Remaining": f"{remaining} times",
            "X-Requests-Window-Length": "0 times",
            "X-Request-Window-Resets-After": f"{resets_after} s",
        }
    )


async def spend(budget: Budget, n: int) -> None:
    for _ in range(n):
        async with budget.slot():
            pass


async def test_the_share_of_a_learned_limit_is_kept_over_any_window() -> None:
    time = FakeTime()
    budget = Budget(0.5, sleep=time.sleep, clock=time.clock)
    async with budget.slot():
        budget.observe(headers(20, 10, 19, 10))
    assert (budget.limit, budget.window, budget.allowance, budget.learned) == (20, 10.0, 10, True)
    await spend(budget, 9)
    assert time.slept == []
    status = budget.status()
    assert (status.used, status.allowance, status.share) == (10, 10, 0.5)
    await spend(budget, 1)  # the eleventh waits until the first leaves the window
    assert time.slept == [pytest.approx(10.0)]


async def test_background_work_leaves_a_reserve_for_tool_calls() -> None:
    time = FakeTime()
    budget = Budget(0.5, sleep=time.sleep, clock=time.clock)
    async with budget.slot():
        budget.observe(headers(20, 10, 19, 10))
    waits: list[bool] = []
    with background_work(waits.append):
        await spend(budget, 7)  # with the probe: 8 of 10, the other 2 kept for tools
        assert time.slept == []
        await spend(budget, 1)
    assert waits == [True, False]
    assert len(time.slept) == 1
    time.slept.clear()
    await spend(budget, 2)  # what the reserve is for
    assert time.slept == []


class ManualTime(FakeTime):
    """A clock that moves only when the test says; sleepers wait for it."""

    def __init__(self) -> None:
        super().__init__()
        self.moved = anyio.Event()

    async def sleep(self, seconds: float) -> None:
        until = self.now + seconds
        while self.now < until:
            await self.moved.wait()

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.moved.set()
        self.moved = anyio.Event()


async def test_a_tool_call_goes_before_waiting_background_work() -> None:
    time = ManualTime()
    budget = Budget(0.5, sleep=time.sleep, clock=time.clock)
    async with budget.slot():
        budget.observe(headers(20, 10, 19, 10))
    await spend(budget, 9)
    order: list[str] = []

    async def poller() -> None:
        with background_work(lambda waiting: None):
            async with budget.slot():
                order.append("poller")

    async def tool() -> None:
        async with budget.slot():
            order.append("tool")

    async with anyio.create_task_group() as tg:
        tg.start_soon(poller)
        await anyio.wait_all_tasks_blocked()
        tg.start_soon(tool)
        await anyio.wait_all_tasks_blocked()
        assert budget.status().tool_calls_waiting == 1
        assert budget.status().background_waiting == 1
        while len(order) < 2:
            time.advance(1)
            await anyio.wait_all_tasks_blocked()
    assert order == ["tool", "poller"]


async def test_a_tool_call_fails_at_once_when_its_turn_is_too_far_away() -> None:
    time = FakeTime()
    budget = Budget(0.5, sleep=time.sleep, clock=time.clock, max_wait=5)
    async with budget.slot():
        budget.observe(headers(20, 60, 19, 60))
    await spend(budget, 9)
    with pytest.raises(RateLimitedError, match="budget is used up for 60 s") as caught:
        await spend(budget, 1)
    assert caught.value.retry_after == pytest.approx(60)
    assert time.slept == []


async def test_the_store_running_dry_holds_background_work_until_the_window_resets() -> None:
    time = FakeTime()
    budget = Budget(0.5, sleep=time.sleep, clock=time.clock)
    async with budget.slot():
        budget.observe(headers(150, 60, 3, 8))  # other integrations have used the rest
    with background_work(lambda waiting: None):
        await spend(budget, 1)
    assert time.slept == [pytest.approx(8)]
    assert budget.status().store_remaining is None  # the window has reset since


async def test_until_the_first_answer_one_request_goes_at_a_time() -> None:
    budget = Budget(0.5)
    inside = 0
    most = 0

    async def request() -> None:
        nonlocal inside, most
        async with budget.slot():
            inside += 1
            most = max(most, inside)
            await anyio.sleep(0.01)
            budget.observe(headers(100, 60, 99, 60))
            inside -= 1

    async with anyio.create_task_group() as tg:
        for _ in range(5):
            tg.start_soon(request)
        await anyio.wait_all_tasks_blocked()
        assert inside == 1
    assert most > 1  # once the limit was known, the others went together


class Counting(httpx2.AsyncBaseTransport):
    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.statuses: list[int] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        self.statuses.append(response.status_code)
        return response


async def test_a_burst_of_tools_and_pollers_never_meets_a_429() -> None:
    """Against the simulator's own fixed window (20 requests per 0.5 s, real time)."""
    store = SimulatedStore(store_hash=STORE_HASH, access_token=TOKEN)
    seed(store, companies=5)
    transport = Counting(
        httpx2.ASGITransport(app=create_app(store, rate_limit=20, rate_window=0.5))
    )
    async with B2BClient(
        store_hash=STORE_HASH,
        access_token=TOKEN,
        base_url=f"http://sim{API_PREFIX}",
        transport=transport,
        api_share=0.5,
    ) as api:

        async def tool(n: int) -> None:
            await api.companies.get(min(store.companies))

        async def poller(n: int) -> None:
            with background_work(lambda waiting: None):
                await api.users.get(min(store.users))

        async with anyio.create_task_group() as tg:
            for n in range(25):
                tg.start_soon(tool, n)
                tg.start_soon(poller, n)
    assert len(transport.statuses) == 50
    assert 429 not in transport.statuses
