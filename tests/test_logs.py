"""What the server writes to its log, read from a real `serve` process's stderr.

At INFO and above: no query strings, no emails, no names the tools were asked about.
At any level, DEBUG included: never the access token.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import STORE_HASH, TOKEN
from tests.test_cli import clean_env, simulator_on_a_port
from tests.tools.calls import call, fail

pytestmark = pytest.mark.anyio

SEARCHED_NAME = "Zanzibar Quill"


async def _session(store: SimulatedStore, tmp_path: Path, level: str) -> str:
    """Drive a server at `level` through searches, lookups and failures; its stderr."""
    user = next(iter(store.users.values()))
    log = tmp_path / f"stderr-{level}.log"
    async with simulator_on_a_port(store) as api_url:
        params = StdioServerParameters(
            command=sys.executable,
            args=["-m", "bigcommerce_b2b_mcp", "serve", "--api-url", api_url, "--log-level", level],
            env=clean_env(
                BIGCOMMERCE_STORE_HASH=STORE_HASH,
                BIGCOMMERCE_ACCESS_TOKEN=TOKEN,
                B2B_MCP_STATE_DIR=str(tmp_path / "state"),
            ),
            cwd=str(tmp_path),
        )
        with log.open("w") as errlog:
            async with Client(stdio_client(params, errlog=errlog)) as client:
                await call(client, "list_companies", name_contains=SEARCHED_NAME)
                await call(client, "list_quotes", search=SEARCHED_NAME)
                await call(client, "get_user_by_email", email=user["email"])
                await fail(client, "get_user_by_email", email="nobody.known@example.com")
                await fail(
                    client,
                    "create_user",
                    company_id=user["company_id"],
                    first_name="Dup",
                    last_name=SEARCHED_NAME,
                    email=user["email"],  # taken: the API's refusal quotes the address
                )
                await fail(client, "get_company", company_id=999_999)
    return log.read_text()


async def test_info_logs_hold_no_query_strings_emails_or_names(
    store: SimulatedStore, tmp_path: Path
) -> None:
    text = await _session(store, tmp_path, "INFO")
    assert "Serving store" in text, "the INFO log should not be empty"
    assert SEARCHED_NAME not in text
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), "an email address was logged"
    assert not re.search(r"\?[\w\[\]]+=", text), "a query string was logged"
    assert TOKEN not in text


async def test_debug_logs_never_hold_the_token(store: SimulatedStore, tmp_path: Path) -> None:
    text = await _session(store, tmp_path, "DEBUG")
    assert "GET /companies" in text, "the DEBUG log should show the requests"
    assert TOKEN not in text
