"""Payment tools: a company's credit, its payment terms, and the payment methods it may use."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from ..errors import InvalidInputError
from ..models.company import CompanyId
from ..models.invoice import CurrencyCode
from ..models.payment import (
    Credit,
    CreditAmount,
    CreditUpdate,
    NetDays,
    PaymentCode,
    PaymentMethod,
    PaymentMethodsUpdate,
    PaymentMethodSwitch,
    PaymentTerms,
    PaymentTermsUpdate,
)
from .context import ToolContext, api
from .params import Keep, UnchangedFlag
from .toolset import Toolset

toolset = Toolset("payments", "Company credit, payment terms (net days) and payment methods.")


class CompanyCredit(Credit):
    """A company's credit account."""

    company_id: int | None = None


class CompanyTerms(PaymentTerms):
    """A company's payment terms."""

    company_id: int | None = None


class CompanyPaymentMethods(BaseModel):
    """The store's payment methods and which ones this company's buyers may use."""

    company_id: int
    items: list[PaymentMethod]


@toolset.tool(title="Get company credit", read_only=True, destructive=False, idempotent=True)
async def get_company_credit(ctx: ToolContext, company_id: CompanyId) -> CompanyCredit:
    """Get a company's credit: on or off, credit still available, currency, credit hold.

    On credit hold, none of the company's buyers can buy. Fails if the store has company
    credit turned off. Next: update_company_credit.
    """
    credit = await api(ctx).payments.credit(company_id)
    return CompanyCredit(company_id=company_id, **credit.model_dump())


@toolset.tool(
    title="Update company credit",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="get_company_credit(company_id={company_id})",
)
async def update_company_credit(
    ctx: ToolContext,
    company_id: CompanyId,
    credit_enabled: UnchangedFlag = None,
    available_credit: Annotated[
        CreditAmount | None,
        Field(description="Credit the company may use, in its credit currency (e.g. 50000)."),
    ] = None,
    currency: Annotated[CurrencyCode | None, Keep] = None,
    limit_purchases: Annotated[
        bool | None, Field(description="true: buyers cannot spend beyond the available credit.")
    ] = None,
    credit_hold: Annotated[
        bool | None, Field(description="true: put the company on hold; none of its buyers can buy.")
    ] = None,
) -> CompanyCredit:
    """Change a company's credit: on or off, the credit available, or a credit hold.

    Only the fields given change. B2B Edition keeps the credit still available, not a
    separate limit: to "raise the limit to 50k", set available_credit to 50000. Returns
    the credit as it now is.
    """
    update = CreditUpdate(
        credit_enabled=credit_enabled,
        credit_currency=currency,
        available_credit=available_credit,
        limit_purchases=limit_purchases,
        credit_hold=credit_hold,
    )
    if not update.to_api():
        raise InvalidInputError("Nothing to change: give at least one field besides company_id.")
    credit = await api(ctx).payments.update_credit(company_id, update)
    return CompanyCredit(company_id=company_id, **credit.model_dump())


@toolset.tool(title="Get payment terms", read_only=True, destructive=False, idempotent=True)
async def get_company_payment_terms(ctx: ToolContext, company_id: CompanyId) -> CompanyTerms:
    """Get a company's payment terms: whether it pays on terms, and in how many days.

    When terms are off, net_days shows the store's default. Next: update_company_payment_terms.
    """
    terms = await api(ctx).payments.terms(company_id)
    return CompanyTerms(company_id=company_id, **terms.model_dump())


@toolset.tool(
    title="Update payment terms",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="get_company_payment_terms(company_id={company_id})",
)
async def update_company_payment_terms(
    ctx: ToolContext,
    company_id: CompanyId,
    enabled: Annotated[bool, Field(description="true: the company pays on terms.")],
    net_days: Annotated[
        NetDays,
        Field(description="Days to pay (0, 5, 15, 30, 45 or 60); ignored when not enabled."),
    ] = 30,
) -> CompanyTerms:
    """Put a company on payment terms (e.g. net 30), change the days, or take it off terms.

    Without terms the store's default applies. Returns the terms as they now are.
    """
    update = PaymentTermsUpdate(is_enabled=enabled, payment_terms=net_days)
    terms = await api(ctx).payments.update_terms(company_id, update)
    return CompanyTerms(company_id=company_id, **terms.model_dump())


@toolset.tool(
    title="List company payment methods", read_only=True, destructive=False, idempotent=True
)
async def list_company_payment_methods(
    ctx: ToolContext, company_id: CompanyId
) -> CompanyPaymentMethods:
    """List the store's payment methods and which ones this company's buyers may use.

    Next: update_company_payment_methods with the codes to enable or disable.
    """
    methods = await api(ctx).payments.methods(company_id)
    return CompanyPaymentMethods(company_id=company_id, items=methods)


@toolset.tool(
    title="Update company payment methods",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="list_company_payment_methods(company_id={company_id})",
)
async def update_company_payment_methods(
    ctx: ToolContext,
    company_id: CompanyId,
    enable: Annotated[
        list[PaymentCode], Field(max_length=50, description="Codes of methods to allow.")
    ] = [],  # noqa: B006 - pydantic copies defaults
    disable: Annotated[
        list[PaymentCode], Field(max_length=50, description="Codes of methods to withhold.")
    ] = [],  # noqa: B006 - pydantic copies defaults
) -> CompanyPaymentMethods:
    """Allow or withhold payment methods for one company's buyers, by their codes.

    Methods not named keep their setting. Returns every method with its setting now.
    """
    both = set(enable) & set(disable)
    if both:
        raise InvalidInputError(f"Both enabled and disabled: {', '.join(sorted(both))}.")
    switches = [PaymentMethodSwitch(code=code, is_enabled=True) for code in enable] + [
        PaymentMethodSwitch(code=code, is_enabled=False) for code in disable
    ]
    if not switches:
        raise InvalidInputError("Nothing to change: name methods in enable or disable.")
    client = api(ctx)
    await client.payments.update_methods(company_id, PaymentMethodsUpdate(payments=switches))
    return CompanyPaymentMethods(
        company_id=company_id, items=await client.payments.methods(company_id)
    )
