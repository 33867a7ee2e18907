"""The MCP server: tools and trigger resources chosen by settings, shared state, instructions."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import httpx2
from mcp.server import MCPServer
from mcp.server.context import ServerRequestContext
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import (
    CallToolResult,
    CompleteRequestParams,
    CompleteResult,
    Completion,
    GetPromptResult,
    InputRequiredResult,
    ResourceTemplateReference,
)
from mcp.types import Prompt as MCPPrompt
from mcp.types import Tool as MCPTool
from pydantic import ValidationError

from . import __version__, client_log, prompts, resources
from .api import DEFAULT_BASE_URL
from .api.client import B2BClient
from .client_log import ClientLog
from .config import MISSING_CREDENTIALS, Settings
from .errors import B2BError, ConfigError
from .prompts import MAX_COMPLETIONS
from .resources.events import EventStore, StateStore
from .resources.hub import TriggerHub
from .resources.subscriptions import Notifier
from .resources.triggers import TRIGGERS, Trigger
from .tools import TOOLSET_NAMES, toolsets
from .tools.context import AppState

if TYPE_CHECKING:
    from .resources.replicas import Cluster
    from .simulator.store import SimulatedStore
    from .tools.arguments import ArgumentCheck

logger = logging.getLogger(__name__)

DEMO_STORE_HASH = "demo"
DEMO_TOKEN = "demo-token"  # noqa: S105 - the in-process simulator's token, not a secret

INSTRUCTIONS = """\
Tools for a BigCommerce B2B Edition store: companies (buyer accounts) and their
hierarchies, users, addresses, quotes, orders, invoices and their payments, company
credit and payment terms, and the sales staff who cover companies.

How they fit together:
- Everything hangs off a company. Find its company_id with list_companies (by name or
  status) or, from a person's email, with get_user_by_email (the user has a company_id).
- With a company_id: get_company, list_company_users, list_company_addresses,
  list_orders(company_id=...), list_invoices(company_id=...). Quotes are searched by
  company name with list_quotes(company_name=...).
- Orders are identified by the BigCommerce order id (bc_order_id) that shoppers see.
- Money matters of a company: get_company_credit, get_company_payment_terms,
  list_invoices(status="open"), list_invoice_payments. Record a cheque or transfer with
  record_offline_payment, not by editing the invoice.
- Extra fields are passed by name ([{"field_name": "Tax code", "field_value": "G"}]);
  list_extra_field_definitions says which exist and which are required.
- If tools you need are missing, list_available_toolsets and enable_toolset (when
  present) switch more on.
- Statuses and roles are names: company status pending/approved/rejected/inactive; user
  role admin/senior_buyer/junior_buyer; invoice status open/partially_paid/paid.
- Lists are paged: follow has_more with offset+limit rather than asking for huge pages.
- Writes change a live store. create_* tools add a record on every call: if one fails,
  check with the matching list tool before calling it again. An error that says a change
  may have been applied names the call that shows whether it was: make that call first.
"""
TRIGGER_INSTRUCTIONS = """- New records and status changes are reported as they happen: subscribe to
  b2b://triggers/<trigger> (new-companies, company-status-changes, new-users,
  new-addresses, new-orders, order-status-changes, new-quotes, quote-status-changes,
  new-invoices, invoice-status-changes), or call get_trigger_events with the last
  next_after to get only what is new.
"""


class B2BServer(MCPServer["AppState"]):
    """MCPServer whose tools take exactly the arguments their published schemas allow.

    Input schemas are published closed (no argument beyond those listed), every call is
    checked against its tool's schema before the tool runs, and argument errors read like
    every other invalid-input message.
    """

    runtime: Runtime

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._checks: dict[str, ArgumentCheck] = {}
        self._published: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        self._registration: Callable[[], None] | None = None

    def register_later(self, work: Callable[[], None]) -> None:
        """Register tools and prompts when first needed, not at start-up.

        Building their argument and output models is most of a server's start-up; the
        client needs none of it to `initialize`. The first request that lists or calls
        tools or prompts does the work (in one go: no await inside, so no one sees half).
        """
        self._registration = work

    async def until_registered(self) -> None:
        work, self._registration = self._registration, None
        if work is not None:
            work()

    async def list_tools(self) -> list[MCPTool]:
        await self.until_registered()
        return [self._published_tool(tool) for tool in await super().list_tools()]

    def _published_tool(self, tool: MCPTool) -> MCPTool:
        """The tool as published (see `tools.arguments.published`), worked out once per
        schema, not once per listing. (Compared by value: the SDK copies each tool's
        schema into every listing, and every session of a remote server lists them.)"""
        source, schemas = self._published.get(tool.name, (None, None))
        if schemas is None or source != tool.input_schema:
            from .tools.arguments import published, published_output
            from .tools.toolset import REGISTERED

            spec = REGISTERED.get(tool.name)
            output = spec.output_schema if spec is not None else tool.output_schema
            schemas = {
                "input_schema": published(tool.input_schema),
                "output_schema": published_output(output) if output is not None else None,
            }
            self._published[tool.name] = (tool.input_schema, schemas)
        return tool.model_copy(update=schemas)

    async def list_prompts(self) -> list[MCPPrompt]:
        await self.until_registered()
        return await super().list_prompts()

    async def get_prompt(
        self,
        name: str,
        arguments: dict[str, Any] | None = None,
        context: Context[AppState, Any] | None = None,
    ) -> GetPromptResult | InputRequiredResult:
        await self.until_registered()
        return await super().get_prompt(name, arguments, context)

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[AppState, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        await self.until_registered()
        check = await self._check_for(name)
        if check is not None:
            arguments = check.normalise(arguments)
            if problems := check.problems(arguments):
                raise ToolError(
                    f"Error executing tool {name}: Invalid input, nothing was sent. "
                    + "; ".join(problems)
                    + "."
                )
        try:
            with client_log.serving(context):
                return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if isinstance(exc.__cause__, ValidationError):
                from .tools.toolset import explain_invalid

                raise ToolError(
                    f"Error executing tool {name}: {explain_invalid(exc.__cause__)}"
                ) from None
            raise

    async def _check_for(self, name: str) -> ArgumentCheck | None:
        """The tool's argument check, built from its published schema on first use."""
        if name not in self._checks:
            from .tools.arguments import ArgumentCheck

            for tool in await self.list_tools():
                self._checks.setdefault(tool.name, ArgumentCheck(tool.input_schema))
        return self._checks.get(name)


def build_server(
    settings: Settings, *, transport: httpx2.AsyncBaseTransport | None = None
) -> B2BServer:
    """The configured server. `transport` replaces the network (tests, demo mode).

    Raises:
        ConfigError: credentials are missing outside demo mode, or a toolset is unknown.
    """
    if not settings.demo and not settings.has_credentials and transport is None:
        raise ConfigError(MISSING_CREDENTIALS)
    if settings.demo and settings.redis_url is not None:
        raise ConfigError(
            "--redis-url lets replicas share one store's trigger state, but --demo gives each "
            "process a simulated store of its own. Point the replicas at one API instead: a "
            "store, or `bigcommerce-b2b-mcp simulator` with --api-url."
        )

    notifier = Notifier()
    runtime = Runtime(settings, transport, notifier)

    @asynccontextmanager
    async def lifespan(server: MCPServer[AppState]) -> AsyncIterator[AppState]:
        async with runtime.use() as state:
            yield state

    server = B2BServer(
        "bigcommerce-b2b",
        title="BigCommerce B2B Edition",
        version=__version__,
        instructions=INSTRUCTIONS + (TRIGGER_INSTRUCTIONS if runtime.triggers else ""),
        lifespan=lifespan,
        log_level="WARNING",
        subscriptions=notifier.bus,
    )
    notifier.install(server)
    runtime.log.install(server)
    server.runtime = runtime
    only = settings.toolsets
    if runtime.triggers:
        resources.register(server, runtime.triggers, lambda: runtime.state.triggers)
    else:  # no triggers: no trigger tool either
        only = tuple(name for name in only or TOOLSET_NAMES if name != "triggers")
        if not only:
            raise ConfigError("With --no-triggers, name a toolset other than triggers.")
    server._lowlevel_server.add_request_handler(  # the SDK's decorator is untyped
        "completion/complete", CompleteRequestParams, runtime.complete
    )
    if unknown := set(only) - set(TOOLSET_NAMES):  # stops the server here, not later
        raise ConfigError(
            f"unknown toolsets: {', '.join(sorted(unknown))} "
            f"(choose from {', '.join(TOOLSET_NAMES)})"
        )
    if settings.dynamic_toolsets:  # it changes what the server advertises: now
        from .tools.dynamic import install_dynamic

        prompts.register(server)
        install_dynamic(server, toolsets(), only=only, read_only=settings.read_only)
    else:

        def register() -> None:
            from .tools.toolset import install

            prompts.register(server)
            install(server, toolsets(), only=only, read_only=settings.read_only)

        server.register_later(register)
    return server


def exposed_triggers(settings: Settings) -> tuple[Trigger, ...]:
    """The triggers this server offers: none with --no-triggers, or when --toolsets
    leaves out the triggers toolset (then nothing polls)."""
    if not settings.triggers or (settings.toolsets and "triggers" not in settings.toolsets):
        return ()
    return TRIGGERS


class Runtime:
    """The process's shared state, opened by its first user and closed by its last.

    stdio and Streamable HTTP enter the server lifespan once, SSE once per connection and
    tests once per in-memory client: whoever comes first opens the API client, the event
    store and the pollers; later users share them. HTTP serving enters it around the
    whole app, so no single connection owns it.
    """

    def __init__(
        self,
        settings: Settings,
        transport: httpx2.AsyncBaseTransport | None,
        notifier: Notifier,
    ) -> None:
        self._settings = settings
        self._transport = transport
        self.notifier = notifier
        self.log = ClientLog()
        self.triggers = exposed_triggers(settings)
        self._users = 0
        self._lock = anyio.Lock()
        self._stack: AsyncExitStack | None = None
        self._state: AppState | None = None
        self.cluster: Cluster | None = None

    async def complete(
        self, ctx: ServerRequestContext[Any, Any], params: CompleteRequestParams
    ) -> CompleteResult:
        """Values for a prompt's argument or the events template's `trigger`."""
        ref, argument = params.ref, params.argument
        values: list[str] = []
        if isinstance(ref, ResourceTemplateReference):
            values = resources.complete(self.triggers, ref.uri, argument.name, argument.value)
        else:
            try:
                values = await prompts.complete(
                    self.state.api, ref.name, argument.name, argument.value
                )
            except B2BError as exc:  # no suggestions is better than an error while typing
                logger.info("No completions for %s: %s", argument.name, type(exc).__name__)
        shown = values[:MAX_COMPLETIONS]
        return CompleteResult(
            completion=Completion(
                values=shown, total=len(values), has_more=len(values) > len(shown)
            )
        )

    @property
    def state(self) -> AppState:
        if self._state is None:
            raise RuntimeError("the server is not running")
        return self._state

    @asynccontextmanager
    async def use(self) -> AsyncIterator[AppState]:
        async with self._lock:
            if self._users == 0:
                stack = AsyncExitStack()
                try:
                    self._state = await self._open(stack)
                except BaseException:
                    await stack.aclose()
                    raise
                self._stack = stack
            self._users += 1
        try:
            yield self.state
        finally:
            async with self._lock:
                self._users -= 1
                if self._users == 0 and self._stack is not None:
                    stack, self._stack = self._stack, None
                    self._state = None
                    await stack.aclose()

    async def _open(self, stack: AsyncExitStack) -> AppState:
        settings = self._settings
        cluster = shared_cluster(settings)
        if cluster is not None:
            stack.push_async_callback(cluster.aclose)  # after the pollers have stopped
        simulated: SimulatedStore | None = None
        if settings.demo and self._transport is None:
            simulated, client = _demo_store_and_client()
        else:
            client = _client(settings, self._transport, cluster)
        await stack.enter_async_context(client)
        stack.enter_context(self.log.attached())
        events = _state_store(settings, cluster)
        stack.callback(events.close)
        hub = TriggerHub(
            client,
            events,
            self.notifier,
            self.triggers,
            interval=settings.polling_interval,
            backfill=settings.trigger_backfill,
            cluster=cluster,
        )
        tasks = await stack.enter_async_context(anyio.create_task_group())
        stack.callback(tasks.cancel_scope.cancel)
        hub.start(tasks)
        if simulated is not None and settings.demo_activity_interval > 0:
            from .simulator.activity import generate_activity

            tasks.start_soon(generate_activity, simulated, settings.demo_activity_interval)
        logger.info(
            "Serving store %s via %s; trigger events in %s",
            client.store_hash,
            client.base_url,
            events.location,
        )
        self.cluster = cluster
        return AppState(api=client, triggers=hub)

    async def readiness(self) -> dict[str, str]:
        """What stands between this replica and serving its users: empty when ready. Said
        without addresses or secrets: anyone who can reach /readyz may read it."""
        if self._state is None:
            return {"server": "not started"}
        problems: dict[str, str] = {}
        if self._state.api.credentials_refused:
            problems["store"] = "the store refused the access token (401)"
        if self.cluster is not None and not await self.cluster.reachable():
            problems["redis"] = "unreachable"
        return problems


def state_name(settings: Settings) -> str:
    """One state per store (and per API, so a local simulator never mixes with a store)."""
    name = settings.store_hash or DEMO_STORE_HASH
    if settings.api_url.rstrip("/") != DEFAULT_BASE_URL:
        name += "-" + hashlib.sha256(settings.api_url.encode()).hexdigest()[:10]
    return name


def shared_cluster(settings: Settings) -> Cluster | None:
    """The replicas' shared state in Redis, with --redis-url (imported only then)."""
    if settings.redis_url is None:
        return None
    from .resources.replicas import Cluster

    return Cluster(
        settings.redis_url.get_secret_value(),
        state_name(settings),
        lease_ttl=settings.polling_interval,
    )


def _state_store(settings: Settings, cluster: Cluster | None) -> StateStore:
    if cluster is None:
        return EventStore(state_file(settings), retention=settings.event_retention)
    from .resources.redis_events import RedisEventStore

    return RedisEventStore(
        cluster.redis,
        cluster.keys,
        location=cluster.location,
        retention=settings.event_retention,
        lease=cluster.lease,
    )


def state_file(settings: Settings) -> Path | None:
    """One database per store (see `state_name`).

    Demo mode keeps events in memory: its simulated store starts afresh on every run and
    reuses ids, so old events must not suppress new ones.
    """
    if settings.demo:
        return None
    if settings.state_dir is not None:
        return settings.state_dir / f"{state_name(settings)}.sqlite3"
    from platformdirs import user_state_dir  # 0.3 MiB that a given --state-dir never needs

    return Path(user_state_dir("bigcommerce-b2b-mcp")) / f"{state_name(settings)}.sqlite3"


def _client(
    settings: Settings, transport: httpx2.AsyncBaseTransport | None, cluster: Cluster | None
) -> B2BClient:
    token = settings.access_token.get_secret_value() if settings.access_token else DEMO_TOKEN
    return B2BClient(
        store_hash=settings.store_hash or DEMO_STORE_HASH,
        access_token=token,
        base_url=settings.api_url,
        transport=transport,
        api_share=settings.api_share,
        ledger=cluster.ledger if cluster is not None else None,
    )


def _demo_store_and_client() -> tuple[SimulatedStore, B2BClient]:
    """A freshly seeded in-process simulator and a client of it: no network, no credentials."""
    from .simulator.app import API_PREFIX, create_app
    from .simulator.seed import seed
    from .simulator.store import SimulatedStore

    store = SimulatedStore(store_hash=DEMO_STORE_HASH, access_token=DEMO_TOKEN)
    seed(store)
    client = B2BClient(
        store_hash=DEMO_STORE_HASH,
        access_token=DEMO_TOKEN,
        base_url=f"http://demo.simulator{API_PREFIX}",
        transport=httpx2.ASGITransport(app=create_app(store, rate_limit=1_000_000)),
    )
    return store, client


async def describe_tools(server: MCPServer[Any]) -> list[tuple[str, str]]:
    """(name, first line of the description) for every installed tool, in order."""
    return [
        (tool.name, (tool.description or "").strip().splitlines()[0])
        for tool in await server.list_tools()
    ]
