"""Named cases of tolerant reading: each oddity a real store sends, read without failing."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bigcommerce_b2b_mcp.models.common import ExtraField
from bigcommerce_b2b_mcp.models.company import Company, CompanyStatus
from bigcommerce_b2b_mcp.models.invoice import Invoice
from bigcommerce_b2b_mcp.models.order import Order, OrderStatus
from bigcommerce_b2b_mcp.models.quote import Quote
from bigcommerce_b2b_mcp.models.user import User


def test_the_specs_own_integer_phone_is_read_as_text() -> None:
    assert Company.model_validate({"companyPhone": 8001234567}).company_phone == "8001234567"


def test_ids_statuses_and_times_come_as_strings_or_numbers() -> None:
    company = Company.model_validate(
        {"companyId": "147340", "companyStatus": "1", "createdAt": "1618787774", "bcGroupId": 3.0}
    )
    assert company.company_id == 147340
    assert company.company_status is CompanyStatus.APPROVED
    assert company.created_at == datetime(2021, 4, 18, 23, 16, 14, tzinfo=UTC)
    assert company.bc_group_id == 3
    order = Order.model_validate({"bcOrderId": 104.0, "totalIncTax": "2210.47", "items": "50"})
    assert (order.bc_order_id, order.total_inc_tax, order.items) == (104, Decimal("2210.47"), 50)


def test_blank_and_null_mean_not_set() -> None:
    quote = Quote.model_validate({"bcOrderId": "", "expiredAt": 0, "notes": None, "subtotal": ""})
    assert (quote.bc_order_id, quote.expired_at, quote.notes, quote.subtotal) == (None,) * 4


def test_an_unknown_code_is_kept_as_the_code() -> None:
    assert Company.model_validate({"companyStatus": 4}).company_status == 4
    assert Order.model_validate({"statusCode": "15"}).status_code == 15
    assert Order.model_validate({"statusCode": "2"}).status_code is OrderStatus.SHIPPED


def test_unknown_fields_are_ignored() -> None:
    user = User.model_validate({"id": 7, "extraInt1": 3, "x-vendor": {"a": [1]}})
    assert user.id == 7


def test_a_malformed_extra_field_is_dropped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    company = Company.model_validate(
        {
            "companyId": 1,
            "extraFields": [
                {"fieldName": "Tax code", "fieldValue": "G"},
                {"fieldValue": "no name"},
                "garbage",
                {"fieldName": "Credit", "fieldValue": 5000},
            ],
        }
    )
    assert company.extra_fields == [
        ExtraField(field_name="Tax code", field_value="G"),
        ExtraField(field_name="Credit", field_value="5000"),
    ]
    assert "extra_fields[1]" in caplog.text
    assert "extra_fields[2]" in caplog.text
    assert "no name" not in caplog.text, "values are never logged"


def test_a_value_that_cannot_be_read_costs_that_field_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    invoice = Invoice.model_validate(
        {
            "id": "9",
            "invoiceNumber": "00000009",
            "dueDate": "next tuesday",
            "originalBalance": {"code": "USD", "value": "349.5000"},
            "openBalance": "see statement",
            "status": {"code": 1},
        }
    )
    assert (invoice.id, invoice.invoice_number) == (9, "00000009")
    assert invoice.original_balance is not None
    assert invoice.original_balance.value == Decimal("349.5000")
    assert (invoice.due_date, invoice.open_balance, invoice.status) == (None, None, None)
    assert "due_date" in caplog.text
    assert "next tuesday" not in caplog.text


def test_times_in_milliseconds_or_iso_text_are_read() -> None:
    moment = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    assert Company.model_validate({"createdAt": 1769850000000}).created_at == moment
    assert Company.model_validate({"createdAt": "2026-01-31T09:00:00Z"}).created_at == moment
    assert Company.model_validate({"createdAt": "2026-01-31T09:00:00"}).created_at == moment


def test_lists_and_objects_in_other_shapes() -> None:
    order = Order.model_validate(
        {
            "money": '{"currencyToken": "$", "decimalPlaces": 2}',
            "extraInfo": {"billingAddressId": 12, "shippingAddressId": 13},
            "extraFields": None,
        }
    )
    assert order.money[0].currency_token == "$"
    assert order.extra_info[0].shipping_address_id == 13
    assert order.extra_fields == []
    quote = Quote.model_validate({"contactInfo": [{"name": "Jo"}], "trackingHistory": None})
    assert quote.contact_info is not None
    assert quote.contact_info.name == "Jo"
