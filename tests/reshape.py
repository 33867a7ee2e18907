"""A proxy in front of the simulator that reshapes answers the way real stores and networks do.

Requests still reach the simulator (so a write really happens); what comes back is then
changed: a body cut short, an HTML page from a gateway, a connection reset, a timeout, or
JSON rewritten by a function.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

import httpx2

Failure = Literal["truncated", "html", "reset", "timeout"]
Rewrite = Callable[[httpx2.Request, Any], Any]


class Reshape(httpx2.AsyncBaseTransport):
    """Forwards every request to `inner`, then reshapes the answers `applies` picks.

    `failure` breaks the answer after the request ran; `rewrite` edits its JSON body.
    """

    def __init__(
        self,
        inner: httpx2.AsyncBaseTransport,
        *,
        failure: Failure | None = None,
        rewrite: Rewrite | None = None,
        applies: Callable[[httpx2.Request], bool] = lambda request: True,
    ) -> None:
        self.inner = inner
        self.failure = failure
        self.rewrite = rewrite
        self.applies = applies
        self.requests: list[httpx2.Request] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        if not self.applies(request):
            return httpx2.Response(response.status_code, headers=response.headers, content=content)
        if self.failure == "reset":
            raise httpx2.ReadError("Connection reset by peer", request=request)
        if self.failure == "timeout":
            raise httpx2.ReadTimeout("The read operation timed out", request=request)
        if self.failure == "truncated":
            content = content[: len(content) // 2]
        elif self.failure == "html":
            page = (
                b"<html><body><h1>502 Bad Gateway</h1>upstream sent too big a header</body></html>"
            )
            return httpx2.Response(200, headers={"content-type": "text/html"}, content=page)
        elif self.rewrite is not None:
            content = json.dumps(self.rewrite(request, json.loads(content))).encode()
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() != "content-length"
        }
        return httpx2.Response(response.status_code, headers=headers, content=content)


def writes(request: httpx2.Request) -> bool:
    return request.method != "GET"


def reads(request: httpx2.Request) -> bool:
    return request.method == "GET"
