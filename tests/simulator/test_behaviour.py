"""What the simulated endpoints do, seen as a plain HTTP client sees it."""

from __future__ import annotations

import httpx2
import pytest

from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import Clock

pytestmark = pytest.mark.anyio


async def test_companies_come_back_with_string_ids_status_and_dates(
    raw: httpx2.AsyncClient,
) -> None:
    body = (await raw.get("/companies", params={"limit": 1})).json()
    company = body["data"][0]
    assert isinstance(company["companyId"], str)
    assert isinstance(company["companyStatus"], str)
    assert isinstance(company["createdAt"], str)
    assert isinstance(company["bcGroupId"], int)
    assert "extraFields" not in company
    detail = (await raw.get(f"/companies/{company['companyId']}")).json()["data"]
    assert isinstance(detail["bcGroupId"], str)
    assert "extraFields" in detail
    assert body["meta"]["pagination"] == {"limit": 1, "offset": 0, "totalCount": 36}


async def test_create_company_answers_200_and_reports_the_first_missing_field(
    raw: httpx2.AsyncClient,
) -> None:
    missing = await raw.post("/companies", json={"companyPhone": "1"})
    assert missing.status_code == 422
    assert missing.json() == {
        "code": 422,
        "data": {},
        "meta": {"message": "The company name is required."},
    }
    body = {
        "companyName": "X",
        "companyPhone": "1",
        "companyEmail": "x@x.example",
        "country": "US",
        "adminFirstName": "A",
        "adminLastName": "B",
        "adminEmail": "a@x.example",
    }
    created = await raw.post("/companies", json=body)
    assert created.status_code == 200
    assert set(created.json()["data"]) == {"companyId", "customerId", "customerGroupId"}


async def test_limits_above_the_maximum_get_413(raw: httpx2.AsyncClient) -> None:
    assert (await raw.get("/companies", params={"limit": 250})).status_code == 200
    too_many = await raw.get("/companies", params={"limit": 251})
    assert too_many.status_code == 413
    assert too_many.json() == {
        "code": 413,
        "meta": {"message": "Request Entity Too Large"},
        "data": {},
    }
    assert (await raw.get("/orders", params={"limit": 201, "minCreated": 1})).status_code == 413


async def test_only_the_real_sort_options_are_accepted(raw: httpx2.AsyncClient) -> None:
    bad = await raw.get("/companies", params={"sortBy": "createdAt"})
    assert bad.status_code == 422
    assert bad.json()["data"]["errMsg"] == {"sortBy": ['"createdAt" is not a valid choice.']}
    assert (await raw.get("/rfq", params={"orderBy": "DESC"})).status_code == 422
    assert (
        await raw.get("/rfq", params={"orderBy": "desc", "sortBy": "createdAt"})
    ).status_code == 200


async def test_orders_default_to_the_last_year(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    windowed = (await raw.get("/orders", params={"limit": 200})).json()["meta"]["pagination"][
        "totalCount"
    ]
    everything = (await raw.get("/orders", params={"limit": 200, "minCreated": 1})).json()["meta"][
        "pagination"
    ]["totalCount"]
    assert everything == len(store.orders)
    assert windowed < everything


async def test_users_need_a_channel_and_unique_email(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    company_id = min(store.companies)
    base = {
        "companyId": company_id,
        "firstName": "A",
        "lastName": "B",
        "email": "new@x.example",
        "role": 1,
    }
    no_channel = await raw.post("/users", json={**base, "channelIds": []})
    assert (
        no_channel.json()["data"]["errMsg"]
        == "At least one B2B storefront needs to be enabled for a Company user."
    )
    assert (await raw.post("/users", json={**base, "channelIds": [1]})).status_code == 200
    again = await raw.post("/users", json={**base, "channelIds": [1]})
    assert again.status_code == 422
    assert "Email already exists" in again.json()["data"]["errMsg"]
    no_role = await raw.post(
        "/users", json={**base, "email": "n2@x.example", "channelIds": [1], "role": None}
    )
    assert no_role.json()["data"]["errMsg"] == {"non_field_errors": ["User must have a role."]}


async def test_address_field_errors_are_snake_case(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    response = await raw.post(
        "/addresses",
        json={
            "companyId": min(store.companies),
            "firstName": "A",
            "lastName": None,
            "addressLine1": "x",
            "city": "y",
            "countryName": "Germany",
        },
    )
    assert response.json() == {
        "code": 422,
        "data": {"errMsg": {"last_name": ["This field may not be null."]}},
        "meta": {"message": "Parameter Error"},
    }


async def test_orders_and_quotes_can_be_created_like_the_real_api(
    raw: httpx2.AsyncClient, store: SimulatedStore, clock: Clock
) -> None:
    user = next(iter(store.users.values()))
    order = await raw.post(
        "/orders", json={"bcOrderId": 5000, "customerId": user["customer_id"], "poNumber": "PO-1"}
    )
    assert order.status_code == 200
    assert order.json()["data"]["companyId"] == user["company_id"]
    assert (await raw.post("/orders", json={"bcOrderId": 5000, "customerId": 1})).status_code == 400
    product = {
        "sku": "S",
        "productId": 1,
        "basePrice": 10,
        "discount": 0,
        "offeredPrice": 9,
        "quantity": 3,
    }
    quote = {
        "companyId": user["company_id"],
        "subtotal": 27,
        "discount": 2,
        "grandTotal": 25,
        "totalAmount": 25,
        "expiredAt": "12/31/2026",
        "productList": [product],
        "contactInfo": {"name": "A", "email": "a@x.example"},
    }
    created = await raw.post("/rfq", json=quote)
    assert created.status_code == 200
    assert created.json()["message"] == "SUCCESS"
    quote_id = created.json()["data"]["quoteId"]
    detail = (await raw.get(f"/rfq/{quote_id}")).json()["data"]
    assert "quoteId" not in detail
    assert detail["grandTotal"] == 25
    wrong = await raw.post("/rfq", json={**quote, "grandTotal": 30})
    assert (
        wrong.json()["meta"]["message"] == "Grand total amount not match for product list details"
    )


async def test_duplicate_invoice_numbers_get_the_documented_400(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    body = {
        "invoiceNumber": "DUP-1",
        "customerId": str(min(store.companies)),
        "originalBalance": {"code": "USD", "value": 10},
        "openBalance": {"code": "USD", "value": 10},
    }
    assert (await raw.post("/ip/invoices", json=body)).status_code == 200
    again = await raw.post("/ip/invoices", json=body)
    assert again.status_code == 400
    assert again.json() == {
        "code": 400,
        "data": {"errMsg": "The invoice number already exists."},
        "meta": {"message": "Bad Requests Error"},
    }
    listed = (await raw.get("/ip/invoices", params={"customerId": min(store.companies)})).json()
    assert listed["meta"]["message"] == "Success"
    assert all(isinstance(i["originalBalance"]["value"], str) for i in listed["data"])


async def test_created_and_modified_filters_are_inclusive(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    newest = max(c["created_at"] for c in store.companies.values())
    body = (await raw.get("/companies", params={"minCreated": newest})).json()
    assert [int(c["createdAt"]) for c in body["data"]] == [newest]
    assert (await raw.get("/companies", params={"minCreated": newest + 1})).json()["data"] == []


def test_the_seed_is_deterministic(store: SimulatedStore, empty_store: SimulatedStore) -> None:
    from bigcommerce_b2b_mcp.simulator.seed import seed

    other = SimulatedStore(clock=store.clock)
    seed(other)
    assert [c["name"] for c in other.companies.values()] == [
        c["name"] for c in store.companies.values()
    ]
    assert {c["status"] for c in store.companies.values()} == {0, 1, 2, 3}
