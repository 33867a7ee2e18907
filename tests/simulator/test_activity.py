"""Demo activity: every cycle fires every trigger, and the cycle never runs dry."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import get_args

import pytest

from bigcommerce_b2b_mcp.config import DEMO_POLL_INTERVAL, Settings
from bigcommerce_b2b_mcp.resources.events import EventStore
from bigcommerce_b2b_mcp.resources.feeds import FEEDS
from bigcommerce_b2b_mcp.resources.triggers import TriggerName
from bigcommerce_b2b_mcp.simulator.activity import STEPS_PER_TICK, Demo
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import Clock
from tests.resources.test_pollers import client, poller

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("seed", [1, 2])
async def test_every_cycle_fires_every_trigger(
    store: SimulatedStore, clock: Clock, tmp_path: Path, seed: int
) -> None:
    demo = Demo(store, random.Random(seed))
    interval = Settings(_env_file=None).demo_activity_interval
    events = EventStore(tmp_path / "e.sqlite3")
    async with client(store) as api:
        pollers = [poller(feed, api, events) for feed in FEEDS]
        for p in pollers:
            await p.poll_once()
        # Enough cycles to use up what the seed provides (pending companies, open quotes).
        for cycle in range(12):
            for n, step in enumerate(demo.steps):
                clock.advance(interval)
                step(cycle * len(demo.steps) + n + 1)
            fired = {event.trigger for p in pollers for event in await p.poll_once()}
            assert fired == set(get_args(TriggerName)), f"cycle {cycle}"


def test_every_trigger_has_a_change_within_four_ticks_and_is_seen_within_a_minute() -> None:
    """What the README promises: a whole cycle in four ticks, then one demo poll, in 60 s."""
    steps = len(Demo(SimulatedStore(store_hash="s", access_token="t"), random.Random()).steps)
    ticks = math.ceil(steps / STEPS_PER_TICK)
    assert ticks <= 4
    assert ticks * Settings(_env_file=None).demo_activity_interval + DEMO_POLL_INTERVAL <= 60
