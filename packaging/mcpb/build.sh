#!/usr/bin/env bash
# Build the MCP bundle (.mcpb) for Claude Desktop and other MCPB clients.
# Needs Node.js (npx fetches the official @anthropic-ai/mcpb CLI). Usage: packaging/mcpb/build.sh [out-dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/dist}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

# The bundle is the uv project itself: the host runs it with `uv run` (server.type "uv").
cp "$root/packaging/mcpb/manifest.json" "$root/packaging/mcpb/server.py" \
   "$root/pyproject.toml" "$root/uv.lock" \
   "$root/README.md" "$root/LICENSE" "$stage/"
mkdir -p "$stage/src"
cp -R "$root/src/bigcommerce_b2b_mcp" "$stage/src/"
find "$stage" -name __pycache__ -prune -exec rm -rf {} +

mcpb=(npx --yes @anthropic-ai/mcpb)
if command -v mcpb >/dev/null; then mcpb=(mcpb); fi
"${mcpb[@]}" validate "$stage/manifest.json"
mkdir -p "$out"
version="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$stage/manifest.json")"
"${mcpb[@]}" pack "$stage" "$out/bigcommerce-b2b-mcp-$version.mcpb"
