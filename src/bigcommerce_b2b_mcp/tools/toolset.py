"""Toolsets: how a tool declares its hints, reaches the API, and reports failure to the model."""

from __future__ import annotations

import functools
import inspect
import logging
import traceback
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaWarningKind

from ..api.client import Writes, tracking_writes
from ..errors import (
    MAYBE_APPLIED,
    APIError,
    B2BError,
    InvalidInputError,
    NotAllowedError,
    NotFoundError,
    RateLimitedError,
    UnavailableError,
)

if TYPE_CHECKING:
    from mcp.server import MCPServer

logger = logging.getLogger(__name__)

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
    "sales staff member": "Use list_sales_staff to find valid sales staff ids.",
    "company role": "Use list_company_roles to find valid role ids.",
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

    @functools.cached_property
    def output_schema(self) -> dict[str, Any]:
        """The JSON schema of the model the tool returns, worked out once per process.

        Tools are registered without the SDK's own output model: their results are dumped
        from a model instance already validated, and the SDK validating that dump again
        against the same model cost every call a second parse. The schema is published
        from here instead (see `server.B2BServer.list_tools`).
        """
        model = typing.get_type_hints(inspect.unwrap(self.fn))["return"]
        schema: dict[str, Any] = TypeAdapter(model).json_schema(schema_generator=_Strict)
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):  # a recursive model's root
            root = schema["$defs"][ref.removeprefix("#/$defs/")]
            schema = {**root, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema


class _Strict(GenerateJsonSchema):
    """Fails on a type JSON schema cannot describe, instead of warning."""

    def emit_warning(self, kind: JsonSchemaWarningKind, detail: str) -> None:
        raise ValueError(f"JSON schema warning: {kind} - {detail}")


# Every registered tool's declaration, by name, for its published output schema.
REGISTERED: dict[str, ToolSpec] = {}


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
        check: str | None = None,
    ) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
        """Declare a tool; every hint is required, so none is ever left to a default.

        The tool returns a pydantic model: it becomes structured content and, as compact
        JSON, the text content too. Every failure becomes an `is_error` result whose text
        says what happened and what to do next. A write tool names its `check`: the call
        that shows whether a change happened (a format string over its arguments, e.g.
        "get_company(company_id={company_id})"), quoted whenever a write's fate is unknown.
        """
        if read_only and destructive:
            raise ValueError("a read-only tool cannot be destructive")
        if not read_only and not check:
            raise ValueError("a write tool must say how to check whether it happened")
        annotations = ToolAnnotations(
            title=title,
            read_only_hint=read_only,
            destructive_hint=destructive,
            idempotent_hint=idempotent,
            open_world_hint=True,
        )

        def register(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
            signature = inspect.signature(fn)

            @functools.wraps(fn)
            async def call(*args: P.args, **kwargs: P.kwargs) -> Any:
                with tracking_writes() as writes:
                    try:
                        result = await fn(*args, **kwargs)
                    except Exception as exc:
                        bound = signature.bind_partial(*args, **kwargs)
                        bound.apply_defaults()
                        verify = check.format(**bound.arguments) if check else ""
                        raise ToolError(explain_failure(fn.__name__, exc, writes, verify)) from None
                return structured(result)

            description = inspect.cleandoc(fn.__doc__ or "")
            self.tools.append(ToolSpec(call, fn.__name__, description, self.name, annotations))
            return fn

        return register


def structured(result: BaseModel) -> CallToolResult:
    """Structured content plus the same data as compact JSON text, for clients that drop it."""
    payload = result.model_dump(mode="json", by_alias=True)
    text = result.model_dump_json(by_alias=True)  # compact, and about 4x faster than json.dumps
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=payload)


def explain_failure(tool: str, exc: Exception, writes: Writes, check: str) -> str:
    """Why a call failed, classified by where: the arguments, the write, or after it.

    Only a failure before any write may say nothing changed; once a write may have
    reached the API, the text says so and names the call that shows whether it did.
    """
    if isinstance(exc, UnavailableError) and exc.maybe_applied:
        return f"{exc} Before calling {tool} again, check whether it happened with {check}."
    if writes.applied:
        if isinstance(exc, APIError):
            failed = f"reading the result failed: {exc}"
        else:
            _log_unexpected(tool, exc)
            failed = f"the server then failed unexpectedly ({type(exc).__name__})."
        return (
            f"The change was applied, but {failed} Do not call {tool} again; see it with {check}."
        )
    if writes.maybe_applied:
        _log_unexpected(tool, exc)
        return (
            f"The server failed unexpectedly ({type(exc).__name__}) after sending the change. "
            f"{MAYBE_APPLIED} Before calling {tool} again, check whether it happened with {check}."
        )
    if isinstance(exc, ValidationError):
        return explain_invalid(exc)
    if isinstance(exc, APIError):
        return explain(exc)
    if isinstance(exc, B2BError):  # e.g. the trigger state store: its message says what to do
        return str(exc)
    _log_unexpected(tool, exc)
    return (
        f"The server failed unexpectedly ({type(exc).__name__}) before changing anything. "
        "Try again; if it happens again, the server's log says where."
    )


def _log_unexpected(tool: str, exc: Exception) -> None:
    """One line that locates the failure; the traceback only when debugging."""
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
    logger.error("%s failed unexpectedly: %s%s", tool, type(exc).__name__, where)
    logger.debug("%s traceback", tool, exc_info=exc)


def explain(exc: APIError) -> str:
    """What went wrong, in words a model can act on; never a raw body or a token."""
    if isinstance(exc, NotFoundError):
        return f"{exc} {FINDERS.get(exc.resource, '')}".strip()
    if isinstance(exc, InvalidInputError):
        if exc.field_errors:
            fields = "; ".join(
                f"{PARAMETER_NAMES.get(name, name)}: {' '.join(reasons).rstrip('.')}"
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
        return f"{exc} Try again shortly."
    return str(exc)


def explain_invalid(exc: ValidationError) -> str:
    """Local validation failures, field by field; nothing was sent to the API."""
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in error["loc"]) or "input"
        problems.append(f"{where}: {error['msg'].rstrip('.')}")
    return "Invalid input, nothing was sent. " + "; ".join(problems) + "."


def select(
    toolsets: Iterable[Toolset], *, only: Iterable[str] = (), read_only: bool = False
) -> dict[str, Toolset]:
    """The toolsets asked for, each holding only the tools it may show: the one place
    toolset choice and read-only mode apply.

    Read-only mode wins: a write tool stays hidden even when its toolset is asked for.

    Raises:
        ValueError: a toolset named in `only` does not exist.
    """
    available = {toolset.name: toolset for toolset in toolsets}
    wanted = set(only) or set(available)
    unknown = wanted - set(available)
    if unknown:
        raise ValueError(
            f"unknown toolsets: {', '.join(sorted(unknown))} (choose from {', '.join(available)})"
        )
    return {
        name: Toolset(
            name,
            toolset.description,
            [spec for spec in toolset.tools if spec.read_only or not read_only],
        )
        for name, toolset in available.items()
        if name in wanted
    }


def add_tools(server: MCPServer[Any], specs: Iterable[ToolSpec]) -> None:
    for spec in specs:
        REGISTERED[spec.name] = spec
        server.add_tool(
            spec.fn,
            name=spec.name,
            title=spec.annotations.title,
            description=spec.description,
            annotations=spec.annotations,
            structured_output=False,  # its output schema comes from `ToolSpec.output_schema`
        )


def install(
    server: MCPServer[Any],
    toolsets: Iterable[Toolset],
    *,
    only: Iterable[str] = (),
    read_only: bool = False,
) -> list[ToolSpec]:
    """Register every tool of the selected toolsets (see `select`)."""
    installed = [
        spec
        for toolset in select(toolsets, only=only, read_only=read_only).values()
        for spec in toolset.tools
    ]
    add_tools(server, installed)
    return installed
