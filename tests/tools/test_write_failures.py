"""Truthful errors after writes: every write tool, against every way an answer goes missing.

The proxy lets each write reach the simulator, so the change really happens, then breaks
the answer. The result must say the change may have been applied and name the call that
shows it, never "nothing was sent" or a bare "try again"; that call must then show it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from mcp import Client

from bigcommerce_b2b_mcp.server import build_server
from bigcommerce_b2b_mcp.simulator.app import create_app
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.reshape import Failure, Reshape, Rewrite, writes
from tests.tools.calls import call, fail
from tests.tools.conftest import settings

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Write:
    """A write tool, arguments for it, and how to see in the store that it happened."""

    tool: str
    arguments: Callable[[SimulatedStore], dict[str, Any]]
    check_tool: str
    happened: Callable[[SimulatedStore], bool]


def _first_company(store: SimulatedStore) -> int:
    return min(store.companies)


def _a_user(store: SimulatedStore) -> int:
    return min(store.users)


def _an_address(store: SimulatedStore) -> int:
    return min(store.addresses)


WRITES = [
    Write(
        "create_company",
        lambda store: {
            "company_name": "Proxy Works",
            "company_email": "ap@proxyworks.example",
            "company_phone": "+1 555 0100",
            "country": "US",
            "admin_first_name": "Pat",
            "admin_last_name": "Proxy",
            "admin_email": "pat@proxyworks.example",
        },
        "list_companies",
        lambda store: any(c["name"] == "Proxy Works" for c in store.companies.values()),
    ),
    Write(
        "update_company",
        lambda store: {"company_id": _first_company(store), "company_name": "Renamed Co"},
        "get_company",
        lambda store: store.companies[_first_company(store)]["name"] == "Renamed Co",
    ),
    Write(
        "set_company_status",
        lambda store: {"company_id": _first_company(store), "status": "inactive"},
        "get_company",
        lambda store: store.companies[_first_company(store)]["status"] == 3,
    ),
    Write(
        "create_user",
        lambda store: {
            "company_id": _first_company(store),
            "first_name": "Riley",
            "last_name": "Reset",
            "email": "riley.reset@example.com",
        },
        "get_user_by_email",
        lambda store: store.user_by_email("riley.reset@example.com") is not None,
    ),
    Write(
        "update_user",
        lambda store: {"user_id": _a_user(store), "last_name": "Changed"},
        "get_user",
        lambda store: store.users[_a_user(store)]["last_name"] == "Changed",
    ),
    Write(
        "create_company_address",
        lambda store: {
            "company_id": _first_company(store),
            "first_name": "Dock",
            "last_name": "Manager",
            "address_line1": "9 Pier Road",
            "city": "Austin",
            "state_name": "Texas",
            "country_name": "United States",
            "country_code": "US",
            "label": "Proxy dock",
        },
        "list_company_addresses",
        lambda store: any(a["label"] == "Proxy dock" for a in store.addresses.values()),
    ),
    Write(
        "update_company_address",
        lambda store: {"address_id": _an_address(store), "label": "Dock 2"},
        "list_company_addresses",
        lambda store: store.addresses[_an_address(store)]["label"] == "Dock 2",
    ),
    Write(
        "create_invoice",
        lambda store: {
            "company_id": _first_company(store),
            "invoice_number": "INV-PROXY-1",
            "original_balance": 120.5,
        },
        "list_invoices",
        lambda store: any(i["number"] == "INV-PROXY-1" for i in store.invoices.values()),
    ),
]
FAILURES: list[Failure] = ["truncated", "html", "reset", "timeout"]


@asynccontextmanager
async def behind_proxy(
    store: SimulatedStore, *, failure: Failure | None = None, rewrite: Rewrite | None = None
) -> AsyncIterator[tuple[Client, Reshape]]:
    proxy = Reshape(
        httpx2.ASGITransport(app=create_app(store, rate_limit=10_000)),
        failure=failure,
        rewrite=rewrite,
        applies=writes,
    )
    async with Client(build_server(settings(), transport=proxy)) as client:
        yield client, proxy


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.tool)
async def test_a_write_whose_answer_is_lost_may_have_been_applied(
    store: SimulatedStore, write: Write, failure: Failure
) -> None:
    async with behind_proxy(store, failure=failure) as (client, proxy):
        text = await fail(client, write.tool, **write.arguments(store))
    assert write.happened(store), "the proxy should have let the write through"
    assert "may have been applied" in text
    assert f"Before calling {write.tool} again" in text
    assert write.check_tool in text
    for untrue in ("nothing was sent", "Invalid input", "Try again shortly", "nothing changed"):
        assert untrue not in text
    assert sum(r.method != "GET" for r in proxy.requests) == 1, "a write must not be repeated"


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.tool)
async def test_unreadable_meta_does_not_hide_a_successful_write(
    store: SimulatedStore, write: Write
) -> None:
    def garble(request: httpx2.Request, body: Any) -> Any:
        return {**body, "meta": {"message": ["odd"], "pagination": {"totalCount": "many"}}}

    async with behind_proxy(store, rewrite=garble) as (client, _):
        await call(client, write.tool, **write.arguments(store))
    assert write.happened(store)


async def test_the_named_check_shows_what_happened(store: SimulatedStore) -> None:
    create = WRITES[0]
    async with behind_proxy(store, failure="reset") as (client, _):
        text = await fail(client, create.tool, **create.arguments(store))
        assert "list_companies(name_contains='Proxy Works')" in text
        found = await call(client, "list_companies", name_contains="Proxy Works")
    assert [c["company_name"] for c in found["items"]] == ["Proxy Works"]


async def test_a_write_refused_by_the_api_says_what_to_correct(store: SimulatedStore) -> None:
    taken = next(iter(store.users.values()))["email"]
    async with behind_proxy(store) as (client, _):
        text = await fail(
            client,
            "create_user",
            company_id=min(store.companies),
            first_name="Dup",
            last_name="Licate",
            email=taken,
        )
    assert "may have been applied" not in text
    assert "Email already exists" in text


async def test_a_write_that_never_left_says_nothing_changed(store: SimulatedStore) -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("Connection refused", request=request)

    server = build_server(settings(), transport=httpx2.MockTransport(refuse))
    async with Client(server) as client:
        text = await fail(client, "set_company_status", company_id=1001, status="approved")
    assert "never sent, so nothing changed" in text
    assert "may have been applied" not in text


async def test_a_read_after_an_applied_write_failing_says_the_change_was_applied(
    store: SimulatedStore,
) -> None:
    """update_company writes, then reads the company back; only the read's answer is lost."""
    proxy = Reshape(
        httpx2.ASGITransport(app=create_app(store, rate_limit=10_000)),
        failure="html",
        applies=lambda request: request.method == "GET",
    )
    company_id = min(store.companies)
    async with Client(build_server(settings(), transport=proxy)) as client:
        text = await fail(client, "update_company", company_id=company_id, city="Boise")
    assert store.companies[company_id]["city"] == "Boise"
    assert text.startswith("Error executing tool update_company: The change was applied")
    assert f"get_company(company_id={company_id})" in text
    assert "Do not call update_company again" in text
