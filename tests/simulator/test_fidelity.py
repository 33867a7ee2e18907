"""Named cases of spec fidelity: each input that crashed the simulator, each ignored filter,
each bad write it stored, each value of the spec it refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from bigcommerce_b2b_mcp.simulator.addresses import add_address
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/users/{user}", {"channelIds": ["AAA"]}),
        ("/addresses/{address}", {"countryName": "United States", "countryCode": 0}),
        ("/companies/{company}", {"extraFields": [{}]}),
        ("/companies/{company}", {"extraFields": "Tax code"}),
        ("/users/{user}", {"extraFields": [{"fieldName": {"a": 1}, "fieldValue": "x"}]}),
        ("/addresses/{address}", {"isBilling": "perhaps"}),
        ("/companies/{company}", {"priceListAssign": [{"priceListId": "x"}]}),
    ],
)
async def test_a_bad_body_is_a_422_and_changes_nothing(
    raw: httpx2.AsyncClient, store: SimulatedStore, path: str, body: dict[str, Any]
) -> None:
    ids = {
        "user": min(store.users),
        "address": min(store.addresses),
        "company": min(store.companies),
    }
    before = (dict(store.users), dict(store.addresses), dict(store.companies))
    snapshot = [dict(record) for records in before for record in records.values()]
    response = await raw.put(path.format(**ids), json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == 422
    after = [
        dict(r)
        for records in (store.users, store.addresses, store.companies)
        for r in records.values()
    ]
    assert after == snapshot


async def test_a_stored_company_stays_readable(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    company_id = min(store.companies)
    ok = await raw.put(
        f"/companies/{company_id}",
        json={"extraFields": [{"fieldName": "Tax code", "fieldValue": "G"}], "companyPhone": ""},
    )
    assert ok.status_code == 200, ok.text
    detail = (await raw.get(f"/companies/{company_id}")).json()["data"]
    assert detail["extraFields"] == [{"fieldName": "Tax code", "fieldValue": "G"}]
    assert detail["companyPhone"] == ""  # blank is allowed: the schema has no minLength


@pytest.mark.parametrize("sort", ["isPendingPayment", "externalCustomerId", "originalBalance"])
async def test_every_invoice_sort_of_the_spec_is_accepted(
    raw: httpx2.AsyncClient, sort: str
) -> None:
    response = await raw.get("/ip/invoices", params={"sortBy": sort, "orderBy": "ASC"})
    assert response.status_code == 200


def _ids(body: dict[str, Any], key: str) -> list[Any]:
    data = body["data"]
    records = data["list"] if isinstance(data, dict) else data
    return [record[key] for record in records]


Expect = Callable[[SimulatedStore], tuple[dict[str, Any], set[Any]]]


def _company_of_an_order(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    order = next(o for o in store.orders.values() if o["company_id"])
    return {"bcOrderId": order["bc_order_id"]}, {str(order["company_id"])}


def _company_of_an_internal_order(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    order = next(o for o in store.orders.values() if o["company_id"])
    return {"orderId": str(order["id"])}, {str(order["company_id"])}


def _company_of_a_customer(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    user = next(iter(store.users.values()))
    return {"customerId": user["customer_id"]}, {str(user["company_id"])}


def _company_of_a_group(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    company = next(iter(store.companies.values()))
    return {"bcGroupId": str(company["bc_group_id"])}, {str(company["id"])}


def _users_of_a_channel(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    user = next(iter(store.users.values()))
    user["channel_ids"] = [7]
    return {"channelId": 7, "limit": 250}, {user["id"]}


def _addresses_in_a_state(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    address = add_address(
        store, company_id=min(store.companies), state_name="Vermont", state_code="VT"
    )
    return {"state": "VT", "limit": 250}, {address["id"]}


def _addresses_by_external_id(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    address = add_address(store, company_id=min(store.companies), external_id="ERP-77")
    return {"externalId[]": "ERP-77", "limit": 250}, {address["id"]}


def _quotes_expiring(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    quote = max(store.quotes.values(), key=lambda q: q["expired_at"])
    bound = quote["expired_at"]
    expected = {q["id"] for q in store.quotes.values() if q["expired_at"] >= bound}
    return {"minExpired": bound, "limit": 250}, expected


def _quotes_expired_before(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    quote = min(store.quotes.values(), key=lambda q: q["expired_at"])
    bound = quote["expired_at"]
    expected = {q["id"] for q in store.quotes.values() if q["expired_at"] <= bound}
    return {"maxExpired": bound, "limit": 250}, expected


def _quote_by_number(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    quote = next(iter(store.quotes.values()))
    return {"quoteNumber": quote["number"], "limit": 250}, {quote["id"]}


def _quotes_of_a_channel(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    quote = next(iter(store.quotes.values()))
    quote["channel_id"] = 12
    return {"channelIds[]": "12,13", "limit": 250}, {quote["id"]}


def _invoices_by_order_number(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    invoice = next(i for i in store.invoices.values() if i["order_number"])
    expected = {
        i["id"] for i in store.invoices.values() if invoice["order_number"] in i["order_number"]
    }
    return {"searchBy": "orderNumber", "q": invoice["order_number"], "limit": 250}, expected


def _invoices_by_external_id(store: SimulatedStore) -> tuple[dict[str, Any], set[Any]]:
    invoice = next(iter(store.invoices.values()))
    invoice["external_id"] = "4242"
    return {"externalId[]": "4242"}, {invoice["id"]}


FILTERS: list[tuple[str, str, Expect]] = [
    ("/companies", "companyId", _company_of_an_order),
    ("/companies", "companyId", _company_of_an_internal_order),
    ("/companies", "companyId", _company_of_a_customer),
    ("/companies", "companyId", _company_of_a_group),
    ("/users", "id", _users_of_a_channel),
    ("/addresses", "addressId", _addresses_in_a_state),
    ("/addresses", "addressId", _addresses_by_external_id),
    ("/rfq", "quoteId", _quotes_expiring),
    ("/rfq", "quoteId", _quotes_expired_before),
    ("/rfq", "quoteId", _quote_by_number),
    ("/rfq", "quoteId", _quotes_of_a_channel),
    ("/ip/invoices", "id", _invoices_by_order_number),
    ("/ip/invoices", "id", _invoices_by_external_id),
]


@pytest.mark.parametrize(
    ("path", "key", "expect"), FILTERS, ids=lambda x: getattr(x, "__name__", x)
)
async def test_every_filter_of_the_spec_filters(
    raw: httpx2.AsyncClient, store: SimulatedStore, path: str, key: str, expect: Expect
) -> None:
    params, expected = expect(store)
    everything = (await raw.get(path, params={"limit": 250})).json()
    response = await raw.get(path, params=params)
    assert response.status_code == 200, response.text
    found = set(_ids(response.json(), key))
    assert found == expected
    assert len(found) < len(_ids(everything, key)), "the filter should leave records out"


async def test_orders_show_extra_fields_only_when_asked(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    plain = (await raw.get("/orders", params={"limit": 1})).json()["data"][0]
    extra = (await raw.get("/orders", params={"limit": 1, "showExtra": "true"})).json()["data"][0]
    assert "extraFields" not in plain
    assert extra["extraFields"] == []


async def test_the_quote_detail_names_a_sales_rep_with_a_valid_email(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    detail = (await raw.get(f"/rfq/{min(store.quotes)}")).json()["data"]
    assert "@" in detail["salesRepInfo"]["salesRepEmail"]


async def test_query_values_that_are_not_numbers_are_422_not_500(raw: httpx2.AsyncClient) -> None:
    for path, params in (
        ("/companies", {"minCreated": "inf"}),
        ("/orders", {"minCreated": "1e999"}),
        ("/users", {"limit": "NaN"}),
        ("/ip/invoices", {"limit": "-inf"}),
    ):
        response = await raw.get(path, params=params)
        assert response.status_code == 422, (path, response.text)
