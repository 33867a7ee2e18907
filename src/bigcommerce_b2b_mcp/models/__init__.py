"""Pydantic models of the B2B Edition API, one module per domain."""
