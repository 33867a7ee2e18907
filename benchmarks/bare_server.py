"""The floor: a bare `mcp` 2.3 `MCPServer` with one tool, no more than any server on this
SDK must do. `get_company` makes the same GET our server makes (when `--api-url` is given)
and returns the JSON; `benchmarks/floor.py` runs it side by side with ours.

Run: `python benchmarks/bare_server.py [--api-url URL] [--transport streamable-http --port N]`.
"""

from __future__ import annotations

import argparse
from typing import Any

import httpx2
from mcp.server import MCPServer

parser = argparse.ArgumentParser()
parser.add_argument("--api-url")
parser.add_argument("--transport", default="stdio")
parser.add_argument("--port", type=int, default=8000)
args = parser.parse_args()
headers = {"X-Auth-Token": "demo-token", "X-Store-Hash": "demo"}
http = httpx2.AsyncClient(base_url=args.api_url or "http://unused", headers=headers)
server = MCPServer("bare", log_level="WARNING")


@server.tool()
async def get_company(company_id: int) -> dict[str, Any]:
    """Get one company."""
    if not args.api_url:
        return {"company_id": company_id, "company_name": "Acme"}
    answer = await http.get(f"/companies/{company_id}")
    data: dict[str, Any] = answer.json()["data"]
    return data


if args.transport == "stdio":
    server.run()
else:
    server.run(transport="streamable-http", host="127.0.0.1", port=args.port)
