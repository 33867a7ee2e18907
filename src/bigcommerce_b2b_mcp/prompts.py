"""Workflow prompts for a B2B desk: each renders the steps, and the tools for each step.

A prompt only writes instructions; the model does the work with the tools, so every
prompt names the read tools to call first and asks for the user's confirmation before
any write. Arguments arrive as text (MCP prompt arguments are strings) and are checked
here; `complete` offers values for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from mcp.server import MCPServer
from pydantic import Field

if TYPE_CHECKING:
    from .api.client import B2BClient

MAX_COMPLETIONS = 20
Days = Annotated[int, Field(ge=1, le=365, description="How many days to look at (1-365).")]
CompanyRef = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="The company: its id, or a name to search for (completion offers both).",
    ),
]
_CONFIRM = (
    "Change nothing until I have confirmed the exact calls you propose; then make them one "
    "at a time and check each result."
)


def review_pending_companies(
    limit: Annotated[int, Field(ge=1, le=50, description="Applications to review (1-50).")] = 10,
) -> str:
    """Review pending company applications and recommend approving or rejecting each."""
    return f"""Review up to {limit} pending company applications in our B2B Edition store.

1. Call list_companies(status="pending", sort_by="updated_at", descending=false, limit={limit}).
2. For each company: get_company(company_id) for its details and extra fields, and
   list_company_users(company_id) for who applied.
3. Judge each application: complete contact details, a business email domain that
   matches the company, no duplicate of an existing company (list_companies with
   name_contains on its name), a plausible country and address.
4. Give me a table: company, applicant, what you checked, your recommendation
   (approve / reject / ask for more information) and why, in one line.
5. When I confirm, apply each decision with set_company_status(company_id,
   status="approved" or "rejected"). {_CONFIRM}"""


def triage_expiring_quotes(days: Days = 7) -> str:
    """Find open quotes that expire soon and decide what to do about each."""
    return f"""Triage the quotes in our B2B Edition store that expire within {days} days.

1. Call list_quotes(status="open", sort_by="expired_at", descending=false, limit=50) and
   keep those whose expiry falls within the next {days} days (follow has_more if every
   quote on the page is inside the window).
2. For each: get_quote(quote_id) for its lines, totals, company and sales rep.
3. Sort them by value at stake (grand total) and say for each: follow up with the buyer,
   extend the expiry, or let it lapse, and why.
4. For a follow-up, draft a short email to the quote's contact and give the checkout link
   from get_quote_checkout_url(quote_id).
5. To extend a quote, propose update_quote(quote_id, expires_on="YYYY-MM-DD"). {_CONFIRM}"""


def chase_overdue_invoices(company: CompanyRef) -> str:
    """Find a company's overdue invoices and draft the reminders."""
    company_id = _leading_id(company)
    find = (
        f"get_company(company_id={company_id})"
        if company_id is not None
        else f'list_companies(name_contains="{_quoted(company)}") and pick the one I mean '
        "(ask me if several match), then get_company(company_id)"
    )
    return f"""Chase the overdue invoices of one company in our B2B Edition store.

1. Find the company: {find}.
2. Call list_invoices(company_id, status="open") and list_invoices(company_id,
   status="partially_paid"); an invoice is overdue when its due date has passed.
3. Check get_company_credit(company_id) and get_company_payment_terms(company_id): is the
   company on credit hold, and what terms does it have?
4. Summarise: each overdue invoice (number, due date, days late, open balance), the total
   owed, and the payments already made (list_invoice_payments(company_id)).
5. Draft one reminder email to the company's admin (list_company_users(company_id,
   role="admin")), firm but polite, listing the invoices and links from
   get_invoice_pdf_url(invoice_id).
6. If I tell you a payment has arrived, propose record_offline_payment for it; if I ask
   to put the account on hold, propose update_company_credit(company_id,
   credit_hold=true). {_CONFIRM}"""


def onboard_company(
    company_name: Annotated[
        str, Field(min_length=1, max_length=100, description="The new company's name.")
    ],
    admin_email: Annotated[
        str, Field(min_length=3, max_length=150, description="Its first administrator's email.")
    ],
    country: Annotated[
        str, Field(max_length=50, description="Its country, e.g. United States.")
    ] = "United States",
) -> str:
    """Set up a new B2B customer: the company, its addresses, users, credit and terms."""
    return f"""Onboard a new B2B customer in our B2B Edition store: "{_quoted(company_name)}"
({_quoted(country)}), administered by {_quoted(admin_email)}.

1. Check it is new: list_companies(name_contains="{_quoted(company_name)}") and
   get_user_by_email(email="{_quoted(admin_email)}"). Stop and tell me if either exists.
2. Ask me for what is missing: the administrator's first and last name, the company's
   phone and email, its billing and shipping addresses, other buyers to invite, and
   the credit limit and payment terms it was granted.
3. list_extra_field_definitions(resource="company") and (resource="user") show the
   store's extra fields; ask me for the required ones.
4. Then, in this order: create_company (with the administrator), create_company_address
   for the billing and the shipping address, create_user for each other buyer,
   update_company_credit and update_company_payment_terms.
5. Finish with get_company(company_id) and list_company_users(company_id) to show me the
   result. {_CONFIRM}"""


def weekly_b2b_summary(days: Days = 7) -> str:
    """Summarise the B2B desk's last days: new accounts, orders, quotes and money owed."""
    return f"""Write a summary of the last {days} days of our B2B Edition store for the sales team.

1. New accounts: list_companies(created_after=<{days} days ago, ISO 8601>) and
   list_companies(status="pending") for applications still waiting.
2. Orders: list_orders(created_after=<{days} days ago>, limit=100), following has_more;
   total them by company.
3. Quotes: list_quotes(created_after=<{days} days ago>) and how many were ordered or
   expired (list_quotes(status="ordered") and (status="expired"), same window).
4. Money: list_invoices(status="open") and (status="partially_paid") for what is owed,
   overdue first; list_invoice_payments(limit=50) for what came in.
5. If the server's triggers run, get_trigger_events(trigger="company-status-changes")
   and (trigger="order-status-changes") show what changed, event by event.

Write it as: the headline numbers, the five biggest customers of the period, quotes
worth chasing, overdue balances, and anything unusual. Read only: change nothing."""


PROMPTS: tuple[tuple[Callable[..., str], str], ...] = (
    (review_pending_companies, "Review pending company applications"),
    (triage_expiring_quotes, "Triage quotes that expire soon"),
    (chase_overdue_invoices, "Chase a company's overdue invoices"),
    (onboard_company, "Onboard a new B2B customer"),
    (weekly_b2b_summary, "Weekly B2B summary"),
)


def register(server: MCPServer[Any]) -> None:
    for render, title in PROMPTS:
        server.prompt(title=title)(render)


# Values offered for each prompt argument: fixed choices, or a company search.
_CHOICES = {"days": ["7", "14", "30", "90"], "limit": ["5", "10", "25", "50"]}


async def complete(api: B2BClient, prompt: str, argument: str, value: str) -> list[str]:
    """Completion values for a prompt's argument, given what has been typed: for a company,
    "id name" pairs whose name contains it."""
    if prompt not in {render.__name__ for render, _ in PROMPTS}:
        return []
    if argument in _CHOICES:
        return [choice for choice in _CHOICES[argument] if choice.startswith(value)]
    if argument == "company":
        from .models.company import CompanyQuery  # models load after start-up

        name = value.strip()
        if _leading_id(name) is not None:
            return [name]
        page = await api.companies.list(
            CompanyQuery(q=name or None, sort_by="company_name", descending=False),
            limit=MAX_COMPLETIONS,
            offset=0,
        )
        return [
            f"{c.company_id} {c.company_name or ''}".strip() for c in page.items if c.company_id
        ]
    return []


def _leading_id(text: str) -> int | None:
    """The id at the start of "1012" or "1012 Acme Supply" (as completion offers them)."""
    match = re.match(r"\s*(\d{1,10})(?:\s|$)", text)
    return int(match.group(1)) if match else None


def _quoted(text: str) -> str:
    """User text placed inside the prompt's quotes, unable to close them."""
    return text.replace('"', "'").replace("\n", " ").strip()
