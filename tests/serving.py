"""Starting the real ``kg serve`` (the installed command) on 127.0.0.1 for the tests, and
talking to it with ``http.client``."""

from __future__ import annotations

import http.client
import os
import re
import select
import signal
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from conftest import kg_executable

START_SECONDS = 60


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class Server:
    """``kg serve --port 0 ARGS`` started as a process; ``url`` is what it says it listens on."""

    def __init__(self, *args: str, env: dict | None = None):
        self.process = subprocess.Popen([kg_executable(), "serve", "--port", "0", *map(str, args)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        start_new_session=True, env={**os.environ, **(env or {})})
        self.first_line = self._first_line()
        match = re.search(r"listening on (http://127\.0\.0\.1:(\d+))/", self.first_line)
        if not match:
            self.stop()
            raise AssertionError(f"kg serve did not start: {self.first_line!r} {self.process.stderr.read()!r}")
        self.url, self.port = match.group(1), int(match.group(2))

    def _first_line(self) -> str:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if ready:
                return self.process.stdout.readline()
            if self.process.poll() is not None:
                return ""
        return ""

    def request(self, method: str, path: str, body: bytes | str | None = None, headers: dict | None = None,
                timeout: float = 30) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body.encode("utf-8") if isinstance(body, str) else body,
                               headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()

    def get(self, path: str, **headers) -> Answer:
        return self.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})

    def sparql_get(self, query: str, accept: str | None = None, **params) -> Answer:
        headers = {"Accept": accept} if accept else {}
        return self.request("GET", "/sparql?" + urlencode({"query": query, **params}), headers=headers)

    def sparql_post(self, query: str, accept: str | None = None, form: bool = True) -> Answer:
        headers = {"Accept": accept} if accept else {}
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            return self.request("POST", "/sparql", urlencode({"query": query}), headers)
        headers["Content-Type"] = "application/sparql-query"
        return self.request("POST", "/sparql", query, headers)

    def workers(self) -> list[int]:
        """The process ids of the server's workers (its children)."""
        with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children", encoding="ascii") as handle:
            return sorted(int(pid) for pid in handle.read().split())

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            stream.close()
