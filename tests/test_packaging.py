"""What users install: the wheel, the MCP bundle, the registry entry, and `--version`.

Nothing here downloads: the wheel's dependencies come from this environment, and the
bundle's `uv run` resolves offline from uv's cache, which `uv sync` has filled.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from bigcommerce_b2b_mcp import __version__
from bigcommerce_b2b_mcp.cli import _parser
from bigcommerce_b2b_mcp.config import Settings
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from bigcommerce_b2b_mcp.tools import toolsets
from tests.conftest import STORE_HASH, TOKEN
from tests.test_cli import clean_env, simulator_on_a_port
from tests.tools.calls import call

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[1]
UV = os.environ.get("UV") or shutil.which("uv")
MCPB = shutil.which("mcpb")
MANIFEST = json.loads((ROOT / "packaging/mcpb/manifest.json").read_text())
REGISTRY = json.loads((ROOT / "server.json").read_text())
ALIASES = {
    str(field.validation_alias)
    for field in Settings.model_fields.values()
    if field.validation_alias
}


def test_version_is_declared_once_and_reported() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" in project["dynamic"]
    shown = subprocess.run(
        [sys.executable, "-m", "bigcommerce_b2b_mcp", "--version"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert shown.stdout == f"bigcommerce-b2b-mcp {__version__}\n"


def test_the_registry_entry_describes_this_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert REGISTRY["version"] == __version__
    assert len(REGISTRY["description"]) <= 100  # the official registry's limit
    (package,) = REGISTRY["packages"]
    assert package["registryType"] == "pypi"
    assert package["identifier"] == project["name"]
    assert package["version"] == __version__
    assert [a["value"] for a in package["packageArguments"]] == ["serve"]
    variables = {v["name"]: v for v in package["environmentVariables"]}
    assert set(variables) <= ALIASES
    assert {name for name, v in variables.items() if v["isRequired"]} == {
        "BIGCOMMERCE_STORE_HASH",
        "BIGCOMMERCE_ACCESS_TOKEN",
    }
    assert {name for name, v in variables.items() if v["isSecret"]} == {"BIGCOMMERCE_ACCESS_TOKEN"}
    # PyPI ownership: the README names the server as the registry does.
    assert f"mcp-name: {REGISTRY['name']}" in (ROOT / "README.md").read_text()


def test_the_bundle_manifest_asks_for_what_the_server_reads() -> None:
    assert MANIFEST["version"] == __version__
    config, asked = MANIFEST["server"]["mcp_config"], MANIFEST["user_config"]
    assert set(config["env"]) <= ALIASES
    used = set(re.findall(r"\$\{user_config\.(\w+)\}", json.dumps(config)))
    assert used == set(asked)
    assert asked["access_token"]["sensitive"] is True
    assert {name for name, spec in asked.items() if spec.get("required")} == {
        "store_hash",
        "access_token",
    }
    for toolset in toolsets():
        assert toolset.name in asked["toolsets"]["description"]


@pytest.fixture
def installed_wheel(tmp_path: Path) -> Path:
    """A fresh virtualenv with the wheel `uv build` makes; its bin directory."""
    if UV is None:
        pytest.skip("uv builds the wheel")
    dist, venv = tmp_path / "dist", tmp_path / "venv"
    subprocess.run([UV, "build", "--wheel", "-o", dist, ROOT], check=True, capture_output=True)
    (wheel,) = dist.glob("*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [UV, "pip", "install", "--no-deps", "--python", python, wheel],
        check=True,
        capture_output=True,
    )
    # The dependencies, from this environment (a path line in a .pth file adds that
    # directory only: this checkout's own editable install is not picked up).
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    located = subprocess.run(
        [python, "-c", "import bigcommerce_b2b_mcp; print(bigcommerce_b2b_mcp.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert located.startswith(str(venv)), located
    return venv / "bin"


async def test_the_wheel_serves_outside_the_checkout(installed_wheel: Path, tmp_path: Path) -> None:
    params = StdioServerParameters(
        command=str(installed_wheel / "bigcommerce-b2b-mcp"),
        args=["serve", "--demo", "--demo-activity-interval", "0"],
        env=clean_env(B2B_MCP_STATE_DIR=str(tmp_path / "state")),
        cwd=str(tmp_path),
    )
    async with Client(params, mode="legacy") as client:
        assert len((await client.list_tools()).tools) > 40
        assert len((await client.list_prompts()).prompts) == 5
        await call(client, "list_companies", limit=1)


def _substituted(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_substituted(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _substituted(item, values) for key, item in value.items()}
    return re.sub(r"\$\{([\w.]+)\}", lambda m: values[m.group(1)], value)


@pytest.fixture
def unpacked_bundle(tmp_path: Path) -> Path:
    """The bundle `packaging/mcpb/build.sh` makes (validated on the way), unzipped."""
    if UV is None or MCPB is None:
        pytest.skip("needs uv and the mcpb CLI (Node.js)")
    out, unpacked = tmp_path / "out", tmp_path / "bundle"
    build = ROOT / "packaging" / "mcpb" / "build.sh"
    subprocess.run([build, out], check=True, capture_output=True)
    (bundle,) = out.glob("*.mcpb")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(unpacked)
    return unpacked


async def test_the_bundle_runs_as_its_manifest_says(
    unpacked_bundle: Path, tmp_path: Path, store: SimulatedStore
) -> None:
    assert UV is not None
    manifest = json.loads((unpacked_bundle / "manifest.json").read_text())
    answers = {
        "__dirname": str(unpacked_bundle),
        "user_config.store_hash": STORE_HASH,
        "user_config.access_token": TOKEN,
        "user_config.read_only": "true",
        "user_config.toolsets": "",
        "user_config.api_share": "0.5",
    }
    config = _substituted(manifest["server"]["mcp_config"], answers)
    assert config["command"] == "uv"
    async with simulator_on_a_port(store) as api_url:
        params = StdioServerParameters(
            command=UV,
            args=config["args"],
            env=clean_env(
                **config["env"],
                BIGCOMMERCE_B2B_API_URL=api_url,
                B2B_MCP_STATE_DIR=str(tmp_path / "state"),
                UV_OFFLINE="1",
            ),
            cwd=str(tmp_path),
        )
        async with Client(params, mode="legacy") as client:
            tools = {tool.name for tool in (await client.list_tools()).tools}
            assert "list_companies" in tools
            assert "create_company" not in tools  # the user asked for read-only
            await call(client, "list_companies", limit=1)


def _client_section() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Choose your client")
    return readme[start : readme.index("\n## ", start + 1)]


def _serve_arguments(command: list[str]) -> list[str]:
    """What follows the console script in a client's command line, checked by our parser."""
    arguments = command[command.index("bigcommerce-b2b-mcp") + 1 :]
    parsed = _parser().parse_args(arguments)
    assert parsed.command == "serve", command
    return arguments


def test_every_client_configuration_in_the_readme_starts_this_server() -> None:
    section = _client_section()
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", section, re.DOTALL)]
    local = remote = 0
    for block in blocks:
        for config in (block.get("mcpServers") or block["servers"]).values():
            if "command" in config:
                assert config["command"] in {"uvx", "uv"}
                _serve_arguments(config["args"])
                assert set(config["env"]) <= ALIASES
                if "servers" in block:  # VS Code names the transport
                    assert config["type"] == "stdio"
                local += 1
            else:
                assert config["type"] == "http"
                assert config["url"].endswith("/mcp")
                assert config["headers"]["Authorization"].startswith("Bearer ")
                remote += 1
    assert (local, remote) == (2, 1)
    (claude,) = re.findall(r"claude mcp add bigcommerce-b2b \\\n(.*?)\n```", section, re.DOTALL)
    words = claude.replace("\\\n", " ").split()
    options, command = words[: words.index("--")], words[words.index("--") + 1 :]
    assert {value.split("=")[0] for value in options if "=" in value} <= ALIASES
    assert command[0] == "uvx"
    _serve_arguments(command)
