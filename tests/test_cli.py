"""The command line as a user runs it: serve over real stdio, check, simulator, bad config."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import httpx2
import pytest
from mcp import Client, StdioServerParameters

from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import SCOPELESS_TOKEN, STORE_HASH, TOKEN, free_port, serving
from tests.redis_server import RedisServer
from tests.tools.calls import call, fail

pytestmark = pytest.mark.anyio

CLI = [sys.executable, "-m", "bigcommerce_b2b_mcp"]


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BIGCOMMERCE_", "B2B_MCP_")) or k == "B2B_MCP_STATE_DIR"
    }
    return {**env, **extra}


@asynccontextmanager
async def simulator_on_a_port(store: SimulatedStore) -> AsyncIterator[str]:
    async with serving(create_app(store)) as base:
        yield f"{base}{API_PREFIX}"


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_a_new_user_drives_the_demo_over_stdio(mode: str, tmp_path: os.PathLike[str]) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "bigcommerce_b2b_mcp", "serve", "--demo"],
        cwd=str(tmp_path),
    )
    async with Client(params, mode=mode) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        assert {
            "create_company",
            "get_user_by_email",
            "create_company_address",
            "list_orders",
        } <= names
        created = await call(
            client,
            "create_company",
            company_name="Stdio Supply",
            company_email="ap@stdio.example",
            company_phone="555",
            country="US",
            admin_first_name="Sam",
            admin_last_name="Io",
            admin_email="sam@stdio.example",
        )
        admin = await call(client, "get_user_by_email", email="sam@stdio.example")
        assert admin["company_id"] == created["company_id"]
        await call(
            client,
            "create_company_address",
            company_id=created["company_id"],
            first_name="Sam",
            last_name="Io",
            address_line1="1 Pipe St",
            city="Austin",
            country_name="United States",
            state_name="Texas",
        )
        orders = await call(client, "list_orders", company_id=created["company_id"])
        assert orders["items"] == []
        bad_email = await fail(client, "get_user_by_email", email="sam-at-stdio")
        assert "email" in bad_email
        missing = await fail(client, "get_company", company_id=999999)
        assert "list_companies" in missing


def test_serve_without_credentials_explains_and_exits_2(tmp_path: os.PathLike[str]) -> None:
    done = subprocess.run(
        [*CLI, "serve"],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "BIGCOMMERCE_ACCESS_TOKEN" in done.stderr
    assert "B2B Edition scope" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("store_hash", "token", "code", "expected"),
    [
        (STORE_HASH, TOKEN, 0, "OK: store 'teststore' answered; it has 36 companies."),
        (STORE_HASH, "wrong", 1, "Wrong token"),
        (STORE_HASH, SCOPELESS_TOKEN, 1, "Token without the B2B Edition scope"),
        ("otherstore", TOKEN, 1, "Wrong store hash"),
    ],
)
async def test_check_says_which_credential_is_wrong(
    store: SimulatedStore,
    store_hash: str,
    token: str,
    code: int,
    expected: str,
    tmp_path: os.PathLike[str],
) -> None:
    async with simulator_on_a_port(store) as url:
        env = clean_env(
            BIGCOMMERCE_STORE_HASH=store_hash,
            BIGCOMMERCE_ACCESS_TOKEN=token,
            BIGCOMMERCE_B2B_API_URL=url,
        )
        done = await anyio.run_process([*CLI, "check"], env=env, cwd=tmp_path, check=False)
    output = (done.stdout + done.stderr).decode()
    assert done.returncode == code, output
    assert expected in output
    assert token not in output or token == STORE_HASH


async def test_check_reports_an_unreachable_network(tmp_path: os.PathLike[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}{API_PREFIX}"
    env = clean_env(
        BIGCOMMERCE_STORE_HASH="s", BIGCOMMERCE_ACCESS_TOKEN="t", BIGCOMMERCE_B2B_API_URL=url
    )
    done = await anyio.run_process([*CLI, "check"], env=env, cwd=tmp_path, check=False)
    assert done.returncode == 1
    assert "Network unreachable" in done.stderr.decode()


async def test_check_says_whether_the_replicas_redis_answers(
    store: SimulatedStore, redis_server: RedisServer, tmp_path: os.PathLike[str]
) -> None:
    async with simulator_on_a_port(store) as url:
        env = clean_env(
            BIGCOMMERCE_STORE_HASH=STORE_HASH,
            BIGCOMMERCE_ACCESS_TOKEN=TOKEN,
            BIGCOMMERCE_B2B_API_URL=url,
        )
        answered = await anyio.run_process(
            [*CLI, "check", "--redis-url", redis_server.url], env=env, cwd=tmp_path, check=False
        )
        down = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
        refused = await anyio.run_process(
            [*CLI, "check", "--redis-url", down], env=env, cwd=tmp_path, check=False
        )
    assert answered.returncode == 0, answered.stderr.decode()
    assert "answered; no replica polls the store now." in answered.stdout.decode()
    assert refused.returncode == 1
    assert "Redis unreachable (127.0.0.1:" in refused.stderr.decode()
    assert "hunter2" not in (refused.stdout + refused.stderr).decode()


async def test_the_simulator_command_serves_plain_http_clients() -> None:
    port = free_port()
    async with await anyio.open_process(
        [*CLI, "simulator", "--port", str(port), "--store-hash", "h1", "--access-token", "tok"],
        stdout=subprocess.PIPE,
    ) as process:
        try:
            assert process.stdout is not None
            banner = b""
            with anyio.fail_after(20):
                while b"base URL" not in banner:
                    banner += await process.stdout.receive()
            assert f"http://127.0.0.1:{port}/api/v3/io".encode() in banner
            async with httpx2.AsyncClient(
                headers={"X-Auth-Token": "tok", "X-Store-Hash": "h1"}
            ) as http:
                with anyio.fail_after(20):
                    while True:
                        try:
                            response = await http.get(
                                f"http://127.0.0.1:{port}/api/v3/io/companies"
                            )
                            break
                        except httpx2.ConnectError:
                            await anyio.sleep(0.05)
            assert response.status_code == 200
            assert response.json()["meta"]["pagination"]["totalCount"] == 36
        finally:
            process.terminate()


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--demo", "--redis-url", "redis://127.0.0.1:1/0"], "--demo gives each process"),
        (["--redis-url", "http://user:hunter2@redis:6379"], "a Redis URL starts with"),
    ],
)
def test_redis_settings_that_cannot_work_are_refused_before_starting(
    flags: list[str], expected: str, tmp_path: os.PathLike[str]
) -> None:
    env = clean_env(BIGCOMMERCE_STORE_HASH=STORE_HASH, BIGCOMMERCE_ACCESS_TOKEN=TOKEN)
    done = subprocess.run(
        [*CLI, "serve", *flags],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert expected in done.stderr
    assert "hunter2" not in done.stderr
    assert "Traceback" not in done.stderr
