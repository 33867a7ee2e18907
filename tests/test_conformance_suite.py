"""The official MCP conformance suite (`@modelcontextprotocol/conformance`) against a real
`serve --demo --transport streamable-http` process.

Every server scenario must pass except those that call the suite's own fixtures (tools,
prompts and resources such as `test_simple_prompt` or `test://static-text`, which a B2B
server has no business offering). Runs where the suite's CLI is installed (`.ci/run`
installs it, with Node.js 22+); skips elsewhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import anyio
import httpx2
import pytest

from tests.conftest import free_port
from tests.test_cli import clean_env

pytestmark = pytest.mark.anyio

SUITE = shutil.which("conformance")
# Scenarios that exercise the suite's fixture tools, prompts and resources.
FIXTURES = {
    "tools-call-image",
    "tools-call-audio",
    "tools-call-embedded-resource",
    "tools-call-mixed-content",
    "tools-call-with-logging",
    "tools-call-with-progress",
    "tools-call-sampling",
    "tools-call-elicitation",
    "elicitation-sep1034-defaults",
    "elicitation-sep1330-enums",
    "resources-read-text",
    "resources-read-binary",
    "resources-templates-read",
    "prompts-get-simple",
    "prompts-get-with-args",
    "prompts-get-embedded-resource",
    "prompts-get-with-image",
    "server-sse-polling",
}
SERVE = [
    sys.executable,
    "-m",
    "bigcommerce_b2b_mcp",
    "serve",
    "--demo",
    "--transport",
    "streamable-http",
]
OUTCOME = re.compile(r"^[✓✗] ([\w-]+): (\d+) passed, (\d+) failed", re.MULTILINE)


@pytest.mark.skipif(SUITE is None, reason="the conformance CLI (Node.js 22+) is not installed")
async def test_every_scenario_that_needs_no_fixture_passes(tmp_path: Path) -> None:
    assert SUITE is not None
    port = free_port()
    server = subprocess.Popen(  # noqa: ASYNC220 - a server for the suite to test
        [*SERVE, "--port", str(port)],
        env=clean_env(B2B_MCP_STATE_DIR=str(tmp_path / "state")),
        cwd=tmp_path,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/mcp"
        with anyio.fail_after(30):
            while True:
                try:
                    async with httpx2.AsyncClient() as probe:
                        await probe.get(url)
                    break
                except httpx2.ConnectError:
                    await anyio.sleep(0.1)
        ran = await anyio.run_process(
            [SUITE, "server", "--url", url, "-o", str(tmp_path / "results")], check=False
        )
    finally:
        server.kill()
        server.wait(timeout=10)
    summary = ran.stdout.decode(errors="replace")
    outcomes = {name: int(failed) for name, _, failed in OUTCOME.findall(summary)}
    assert len(outcomes) >= 25, summary[-2000:]
    failed = sorted(name for name, count in outcomes.items() if count and name not in FIXTURES)
    assert failed == [], summary[-4000:]
    assert outcomes.keys() - FIXTURES >= {
        "server-initialize",
        "logging-set-level",
        "completion-complete",
        "tools-list",
        "resources-subscribe",
        "prompts-list",
        "dns-rebinding-protection",
    }
