"""Async client for the B2B Edition API, one module per domain."""
