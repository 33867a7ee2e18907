"""Triggers as a user meets them: a real server process polling a simulator on a real port.

Records are created and changed through the simulator's HTTP API, as any other
integration would (an order's status, which B2B Edition takes from BigCommerce, is
changed in the store itself); the server has to report each exactly once, also across a
`kill -9`, and with two servers sharing one state directory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any, get_args

import anyio
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ResourceUpdatedNotification

from bigcommerce_b2b_mcp.resources.triggers import TriggerName
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.orders import set_status
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import STORE_HASH, TOKEN, Clock, free_port, serving
from tests.tools.calls import read_json, until_first_poll

pytestmark = pytest.mark.anyio

TRIGGERS: tuple[str, ...] = get_args(TriggerName)
POLL = "5"
DAY = 86400


def server_env(api_url: str, state_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BIGCOMMERCE_", "B2B_MCP_"))}
    return {
        **env,
        "BIGCOMMERCE_STORE_HASH": STORE_HASH,
        "BIGCOMMERCE_ACCESS_TOKEN": TOKEN,
        "BIGCOMMERCE_B2B_API_URL": api_url,
        "B2B_MCP_STATE_DIR": str(state_dir),
    }


async def until_polled(client: Client) -> None:
    for name in TRIGGERS:
        await until_first_poll(client, f"b2b://triggers/{name}")


def key(event: dict[str, Any]) -> str:
    """What an event is about: a new record's id, or a record's change of status."""
    if event["to_status"] is None:
        return str(event["entity_id"])
    return f"{event['entity_id']}:{event['from_status']}->{event['to_status']}"


async def create_one_of_each(
    api: httpx2.AsyncClient, store: SimulatedStore, clock: Clock, n: int
) -> dict[str, list[str]]:
    """One event for every trigger: a company (with its admin user), a user, an address,
    an order, a quote and an invoice, through the API; and a status change of a company,
    an order, a quote and an invoice the server has seen before.

    Returns what each trigger should report, in order (see `key`).
    """
    clock.advance(2)
    changes = await change_one_of_each(api, store, n)
    company = (
        await api.post(
            "/companies",
            json={
                "companyName": f"E2E Co {n}",
                "companyPhone": "1",
                "companyEmail": f"e2e{n}@co.example",
                "country": "US",
                "adminFirstName": "E",
                "adminLastName": str(n),
                "adminEmail": f"admin{n}@e2e.example",
            },
        )
    ).json()["data"]
    user = (
        await api.post(
            "/users",
            json={
                "companyId": company["companyId"],
                "firstName": "U",
                "lastName": str(n),
                "email": f"user{n}@e2e.example",
                "role": 1,
                "channelIds": [1],
            },
        )
    ).json()["data"]
    bc_order_id = 70000 + n
    order = await api.post(
        "/orders",
        json={"bcOrderId": bc_order_id, "customerId": user["bcId"], "poNumber": f"E2E-{n}"},
    )
    assert order.status_code == 200
    quote = (
        await api.post(
            "/rfq",
            json={
                "companyId": company["companyId"],
                "subtotal": 10,
                "discount": 0,
                "grandTotal": 10,
                "totalAmount": 10,
                "expiredAt": "12/31/2030",
                "contactInfo": {"name": "U", "email": f"user{n}@e2e.example"},
                "productList": [
                    {
                        "sku": "S",
                        "productId": 1,
                        "basePrice": 5,
                        "discount": 0,
                        "offeredPrice": 5,
                        "quantity": 2,
                    }
                ],
            },
        )
    ).json()["data"]
    admin = (await api.get("/users", params={"email": f"admin{n}@e2e.example"})).json()["data"][0]
    address = (
        await api.post(
            "/addresses",
            json={
                "companyId": company["companyId"],
                "firstName": "A",
                "lastName": str(n),
                "addressLine1": f"{n} Dock Rd",
                "city": "Austin",
                "stateName": "Texas",
                "countryName": "United States",
                "countryCode": "US",
            },
        )
    ).json()["data"]
    invoice = (
        await api.post(
            "/ip/invoices",
            json={
                "invoiceNumber": f"E2E-{n}",
                "customerId": str(company["companyId"]),
                "originalBalance": {"code": "USD", "value": 50},
                "openBalance": {"code": "USD", "value": 50},
                "dueDate": store.now() + 30 * DAY,
            },
        )
    ).json()["data"]
    return {
        "new-companies": [str(company["companyId"])],
        "new-users": [str(admin["id"]), str(user["userId"])],
        "new-addresses": [str(address["addressId"])],
        "new-orders": [str(bc_order_id)],
        "new-quotes": [str(quote["quoteId"])],
        "new-invoices": [str(invoice["id"])],
        **changes,
    }


async def change_one_of_each(
    api: httpx2.AsyncClient, store: SimulatedStore, n: int
) -> dict[str, list[str]]:
    """Move a seeded company, order, quote and invoice (the `n`-th of each kind that can
    move) to another status."""
    company = [c for c in store.companies.values() if c["status"] == 0][n - 1]
    approved = await api.put(f"/companies/{company['id']}/status", json={"companyStatus": 1})
    assert approved.status_code == 200
    order = [o for o in store.orders.values() if o["company_id"] and o["status_code"] == 11][n - 1]
    set_status(store, order, 2)
    quote = [q for q in store.quotes.values() if q["status"] == 2][n - 1]
    ordered = await api.post(f"/rfq/{quote['id']}/ordered", json={"orderId": "100"})
    assert ordered.status_code == 200
    invoice = [i for i in store.invoices.values() if i["status"] == 0][n - 1]
    invoice["due_date"] = store.now() + 30 * DAY  # not overdue: this is about a payment
    paid = await api.post(
        "/ip/payments/offline",
        json={
            "customerId": str(invoice["company_id"]),
            "currency": "USD",
            "details": {"memo": f"Cheque {n}"},
            "lineItems": [{"invoiceId": invoice["id"], "amount": "1.00"}],
        },
    )
    assert paid.status_code == 200
    return {
        "company-status-changes": [f"{company['id']}:pending->approved"],
        "order-status-changes": [f"{order['bc_order_id']}:awaiting_fulfillment->shipped"],
        "quote-status-changes": [f"{quote['id']}:in_process->ordered"],
        "invoice-status-changes": [f"{invoice['id']}:open->partially_paid"],
    }


@asynccontextmanager
async def simulator(store: SimulatedStore) -> AsyncIterator[tuple[str, httpx2.AsyncClient]]:
    for quote in store.quotes.values():
        if quote["status"] == 2:  # open and not expired, so that a buyer can order it
            quote["expired_at"] = store.now() + 60 * DAY
    # Room for two servers polling six feeds every few seconds, and the test's own calls.
    async with serving(create_app(store, rate_limit=6000)) as base:
        url = f"{base}{API_PREFIX}"
        headers = {"X-Auth-Token": TOKEN, "X-Store-Hash": STORE_HASH}
        async with httpx2.AsyncClient(base_url=url, headers=headers) as api:
            yield url, api


async def test_a_subscribed_stdio_client_sees_each_new_record_once(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    updates: list[str] = []
    notified = {name: anyio.Event() for name in TRIGGERS}

    async def on_message(message: Any) -> None:
        if isinstance(message, ResourceUpdatedNotification):
            updates.append(message.params.uri)
            notified[message.params.uri.rsplit("/", 1)[-1]].set()

    async with simulator(store) as (url, api):
        params = StdioServerParameters(
            command=sys.executable,
            args=["-m", "bigcommerce_b2b_mcp", "serve", "--poll-interval", POLL],
            env=server_env(url, tmp_path / "state"),
            cwd=str(tmp_path),
        )
        async with Client(params, mode="legacy", message_handler=on_message) as client:
            for name in TRIGGERS:
                await client.subscribe_resource(f"b2b://triggers/{name}")
            await until_polled(client)
            created = await create_one_of_each(api, store, clock, 1)
            with anyio.fail_after(20):
                for event in notified.values():
                    await event.wait()
            for name in TRIGGERS:
                view = await read_json(client, f"b2b://triggers/{name}")
                assert [key(e) for e in view["events"]] == created[name], name
                assert view["latest_seq"] == len(created[name])
    assert sorted(set(updates)) == sorted(f"b2b://triggers/{name}" for name in TRIGGERS)


@asynccontextmanager
async def http_server(
    url: str,
    state_dir: Path,
    port: int,
    *flags: str,
    env: dict[str, str] | None = None,
    stderr: IO[bytes] | None = None,
) -> AsyncIterator[subprocess.Popen[bytes]]:
    """`serve` over Streamable HTTP as a real process, killed (not stopped) at the end."""
    process = subprocess.Popen(  # noqa: ASYNC220 - killed with SIGKILL below, on purpose
        [
            sys.executable,
            "-m",
            "bigcommerce_b2b_mcp",
            "serve",
            "--transport",
            "streamable-http",
            "--port",
            str(port),
            "--poll-interval",
            POLL,
            *flags,
        ],
        env={**server_env(url, state_dir), **(env or {})},
        cwd=state_dir.parent,
        stderr=stderr,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


@asynccontextmanager
async def connected(port: int) -> AsyncIterator[Client]:
    with anyio.fail_after(30):
        while True:
            try:
                async with httpx2.AsyncClient() as probe:
                    await probe.get(f"http://127.0.0.1:{port}/healthz")
                break
            except httpx2.ConnectError:
                await anyio.sleep(0.1)
    async with Client(streamable_http_client(f"http://127.0.0.1:{port}/mcp")) as client:
        yield client


async def until_next_poll(client: Client) -> None:
    """Wait until every poller has completed one more poll."""
    uris = [f"b2b://triggers/{name}" for name in TRIGGERS]
    last = [(await read_json(client, uri))["poller"]["last_success_at"] for uri in uris]
    with anyio.fail_after(30):
        for uri, seen in zip(uris, last, strict=True):
            # A poll that finds nothing sends no notification: read the poller's state.
            while (await read_json(client, uri))["poller"]["last_success_at"] == seen:  # noqa: ASYNC110
                await anyio.sleep(0.2)


async def until_counts(client: Client, expected: dict[str, list[str]]) -> None:
    """Wait, by subscription, until each trigger holds as many events as expected."""
    uris = [f"b2b://triggers/{name}" for name in expected]

    async def complete() -> bool:
        for name, ids in expected.items():
            if len(await all_events(client, name)) < len(ids):
                return False
        return True

    async with client.listen(resource_subscriptions=uris) as updates:
        with anyio.fail_after(30):
            if await complete():
                return
            async for _ in updates:
                if await complete():
                    return


async def all_events(client: Client, name: str) -> list[dict[str, Any]]:
    page = await read_json(client, f"b2b://triggers/{name}/events?after=0&limit=200")
    events: list[dict[str, Any]] = page["events"]
    return events


async def test_nothing_is_lost_or_repeated_across_kill_9(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    async with simulator(store) as (url, api):
        port = free_port()
        async with http_server(url, state, port) as first, connected(port) as client:
            await until_polled(client)
            before = await create_one_of_each(api, store, clock, 1)
            await until_counts(client, before)
            os.kill(first.pid, signal.SIGKILL)
        during = await create_one_of_each(api, store, clock, 2)
        port = free_port()
        async with http_server(url, state, port), connected(port) as client:
            await until_counts(client, {name: before[name] + during[name] for name in TRIGGERS})
            await until_next_poll(client)  # which must find nothing new
            for name in TRIGGERS:
                events = await all_events(client, name)
                expected = before[name] + during[name]
                assert [key(e) for e in events] == expected, name
                assert [e["seq"] for e in events] == list(range(1, len(expected) + 1)), name


async def test_two_servers_sharing_a_state_directory_report_each_change_once(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    async with simulator(store) as (url, api):
        ports = free_port(), free_port()
        async with (
            http_server(url, state, ports[0]),
            http_server(url, state, ports[1]),
            connected(ports[0]) as first,
            connected(ports[1]) as second,
        ):
            await until_polled(first)
            await until_polled(second)
            created = await create_one_of_each(api, store, clock, 1)
            await until_counts(first, created)
            await until_next_poll(first)
            await until_next_poll(second)  # both have looked at everything by now
            for name in TRIGGERS:
                seen_by = [await all_events(client, name) for client in (first, second)]
                assert seen_by[0] == seen_by[1], name
                assert [key(e) for e in seen_by[0]] == created[name], name
