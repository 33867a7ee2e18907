"""Async client for the B2B Edition API, one module per domain.

Importing this package is cheap: the client itself is in `api.client`.
"""

DEFAULT_BASE_URL = "https://api-b2b.bigcommerce.com/api/v3/io"
