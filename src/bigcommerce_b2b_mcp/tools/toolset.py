"""Toolsets: how a tool declares its hints, reaches the API, and reports failure to the model."""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, ValidationError

from ..errors import (
    APIError,
    InvalidInputError,
    NotAllowedError,
    NotFoundError,
    RateLimitedError,
    UnavailableError,
)

if TYPE_CHECKING:
    from mcp.server import MCPServer

    from ..api.client import B2BClient

P = ParamSpec("P")
R = TypeVar("R", bound=BaseModel)

# Where the model can find valid ids when one does not exist.
FINDERS = {
    "company": "Use list_companies to find valid company ids.",
    "user": "Use list_company_users (by company) or get_user_by_email to find valid user ids.",
    "address": "Use list_company_addresses with the company id to find valid address ids.",
    "quote": "Use list_quotes to find valid quote ids.",
    "order": (
        "Use list_orders to find orders; pass the BigCommerce order id (bc_order_id), "
        "not the internal B2B id."
    ),
    "invoice": "Use list_invoices to find valid invoice ids.",
}
# API field names that differ from the tool parameter a model would have set.
PARAMETER_NAMES = {"uuid": "external_id", "customer_id": "company_id"}


@dataclass(frozen=True)
class ToolSpec:
    """One tool as declared: its function, name, toolset and hints."""

    fn: Callable[..., Awaitable[Any]]
    name: str
    description: str
    toolset: str
    annotations: ToolAnnotations

    @property
    def read_only(self) -> bool:
        return bool(self.annotations.read_only_hint)


@dataclass
class Toolset:
    """A named group of tools that can be switched on or off together."""

    name: str
    description: str
    tools: list[ToolSpec] = field(default_factory=list)

    def tool(
        self,
        *,
        title: str,
        read_only: bool,
        destructive: bool,
        idempotent: bool,
    ) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
        """Declare a tool; every hint is required, so none is ever left to a default.

        The tool returns a pydantic model: it becomes structured content and, as compact
        JSON, the text content too. `B2BError`s and invalid input become `is_error`
        results whose text says what to do next.
        """
        if read_only and destructive:
            raise ValueError("a read-only tool cannot be destructive")
        annotations = ToolAnnotations(
            title=title,
            read_only_hint=read_only,
            destructive_hint=destructive,
            idempotent_hint=idempotent,
            open_world_hint=True,
        )

        def register(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
            @functools.wraps(fn)
            async def call(*args: P.args, **kwargs: P.kwargs) -> Any:
                try:
                    result = await fn(*args, **kwargs)
                except APIError as exc:
                    raise ToolError(explain(exc)) from None
                except ValidationError as exc:
                    raise ToolError(explain_invalid(exc)) from None
                return structured(result)

            description = inspect.cleandoc(fn.__doc__ or "")
            self.tools.append(ToolSpec(call, fn.__name__, description, self.name, annotations))
            return fn

        return register


def structured(result: BaseModel) -> CallToolResult:
    """Structured content plus the same data as compact JSON text, for clients that drop it."""
    payload = result.model_dump(mode="json", by_alias=True)
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=payload)


def api(ctx: Context[Any, Any]) -> B2BClient:
    """The process's API client, from the server's lifespan state."""
    client: B2BClient = ctx.request_context.lifespan_context.api
    return client


def explain(exc: APIError) -> str:
    """What went wrong, in words a model can act on; never a raw body or a token."""
    if isinstance(exc, NotFoundError):
        return f"{exc} {FINDERS.get(exc.resource, '')}".strip()
    if isinstance(exc, InvalidInputError):
        if exc.field_errors:
            fields = "; ".join(
                f"{PARAMETER_NAMES.get(name, name)}: {' '.join(reasons)}"
                for name, reasons in exc.field_errors.items()
            )
            return f"The API rejected the input. {fields}. Correct these and call again."
        return f"{exc} Correct the input and call again."
    if isinstance(exc, NotAllowedError):
        return (
            f"{exc} Retrying will not help: the server's BigCommerce credentials "
            "(BIGCOMMERCE_STORE_HASH, BIGCOMMERCE_ACCESS_TOKEN) need to be fixed by the user."
        )
    if isinstance(exc, RateLimitedError):
        wait = f"{exc.retry_after:.0f} seconds" if exc.retry_after is not None else "a minute"
        return f"{exc} Try again in {wait}."
    if isinstance(exc, UnavailableError):
        if exc.maybe_applied:
            return (
                f"{exc} Use the matching list or get tool to see whether it happened "
                "before calling this again."
            )
        return f"{exc} Try again shortly."
    return str(exc)


def explain_invalid(exc: ValidationError) -> str:
    """Local validation failures, field by field; nothing was sent to the API."""
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in error["loc"]) or "input"
        problems.append(f"{where}: {error['msg'].rstrip('.')}")
    return "Invalid input, nothing was sent. " + "; ".join(problems) + "."


def install(
    server: MCPServer[Any],
    toolsets: Iterable[Toolset],
    *,
    only: Iterable[str] = (),
    read_only: bool = False,
) -> list[ToolSpec]:
    """Register the selected tools: the one place toolset choice and read-only mode apply.

    Read-only mode wins: a write tool stays hidden even when its toolset is asked for.
    """
    available = {toolset.name: toolset for toolset in toolsets}
    wanted = set(only) or set(available)
    unknown = wanted - set(available)
    if unknown:
        raise ValueError(
            f"unknown toolsets: {', '.join(sorted(unknown))} (choose from {', '.join(available)})"
        )
    installed = [
        spec
        for name, toolset in available.items()
        if name in wanted
        for spec in toolset.tools
        if spec.read_only or not read_only
    ]
    for spec in installed:
        server.add_tool(
            spec.fn,
            name=spec.name,
            title=spec.annotations.title,
            description=spec.description,
            annotations=spec.annotations,
            structured_output=True,
        )
    return installed
