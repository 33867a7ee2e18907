"""MCP server for BigCommerce B2B Edition."""

__version__ = "0.1.0"
