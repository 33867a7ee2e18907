"""A real `redis-server` per test, on a free loopback port, that a test may kill and restart."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port

READY = "Ready to accept connections"


class RedisServer:
    """redis-server with an append-only file, so a restart keeps what was written."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        directory.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            self._until_ready()
        except BaseException:
            self.kill()
            raise

    def _until_ready(self) -> None:
        """Read its log until it says it accepts connections (or fail within 10 s)."""
        assert self.process is not None
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + 10
        log = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break  # it exited
            log += chunk
            if READY.encode() in log:
                return  # what it logs from here on is little: the pipe's buffer holds it
        raise AssertionError("redis-server did not start:\n" + log[-2000:].decode(errors="replace"))

    def stop(self) -> None:
        """A clean shutdown (SIGTERM): the append-only file is complete."""
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        self._end(signal.SIGKILL)

    def _end(self, how: signal.Signals) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.kill(self.process.pid, how)
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None


def redis_server_or_skip(directory: Path) -> Iterator[RedisServer]:
    """A started server; skips where redis-server is missing, except in CI, where it fails."""
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/run installs the Debian package")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.kill()
