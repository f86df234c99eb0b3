"""Untrusted input, second line of defence: a guard against network and file access,
and a time limit.

The first line is :mod:`kg.checks.sparql` (what a query may say) and the checks of
:mod:`kg.sources.reading` (what a file may hold). While :func:`guard` is active, a
``sys.addaudithook`` hook (the approach of rdflib's "Security Considerations") refuses
network connections, starting programs, and opening files outside an allow-list, in
Python code (rdflib, pySHACL, owlrl; Oxigraph's own code is not seen by the hook).
:func:`time_limit` bounds a run.
"""

from __future__ import annotations

import os
import signal
import site
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg import resources

_NETWORK_EVENTS = {
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg", "urllib.Request",
}
_PROGRAM_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class Refused(PermissionError):
    """Raised (from the audit hook) when guarded code reaches for the network or a file."""


class Timeout(BaseException):
    """The time limit of :func:`time_limit` ran out (a BaseException: no ``except
    Exception`` inside a library can swallow it)."""


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (at most 200 characters), or its type."""
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


# -- time limit --------------------------------------------------------------------------


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Timeout` in the main thread after ``seconds`` (and each second after,
    should guarded code swallow it), via ``SIGALRM``."""

    def expire(signum, frame):
        raise Timeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- the audit-hook guard ----------------------------------------------------------------


@dataclass(frozen=True)
class _Policy:
    readable: tuple[str, ...]
    writable: tuple[str, ...]
    network: bool


_policies: list[_Policy] = []
_installed = False
_endpoints: set[tuple[str, int]] = set()
"""(address, port) of the SPARQL servers the user named (``--endpoint``): reachable even
under a guard, so a query sent there is not refused as the network."""


def trust_endpoint(url: str) -> None:
    """Let guarded code reach the server of ``url`` (and only that host and port)."""
    import socket
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if (parts.hostname, port) in _endpoints:
        return
    _endpoints.add((parts.hostname, port))
    try:
        for *_, address in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM):
            _endpoints.add((address[0], port))
    except OSError:
        pass  # the request itself will say that the host is unknown


def _to_endpoint(event: str, args: tuple) -> bool:
    """True when a network event goes to a trusted endpoint."""
    if event == "urllib.Request":
        import urllib.parse

        parts = urllib.parse.urlsplit(str(args[0]))
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return (parts.hostname, port) in _endpoints
    if event == "socket.getaddrinfo":
        return len(args) > 1 and (args[0], args[1]) in _endpoints
    if event == "socket.connect" and len(args) > 1 and isinstance(args[1], tuple) and len(args[1]) >= 2:
        return (args[1][0], args[1][1]) in _endpoints
    return False


def _python_folders() -> list[str]:
    """Where Python, the installed packages and kg's own code and data are."""
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages()}
    folders.add(site.getusersitepackages())
    package = Path(resources.__file__).parent
    data = [package, resources.facts_dir(), resources.ontology_dir(), resources.queries_dir()]
    return sorted(os.path.realpath(f) for f in [*folders, *data])


@contextmanager
def guard(readable: Iterable[Path | str] = (), writable: Iterable[Path | str] = (),
          network: bool = False) -> Iterator[None]:
    """While active: no network (unless ``network``), no programs started, no file opened
    outside Python's and kg's folders, ``readable`` and ``writable``, no file written
    outside ``writable``. Files and folders may be named; guards nest (innermost rules)."""
    _install()
    writes = tuple(os.path.realpath(p) for p in writable)
    reads = tuple(_python_folders()) + tuple(os.path.realpath(p) for p in readable) + writes
    _policies.append(_Policy(reads, writes, network))
    try:
        yield
    finally:
        _policies.pop()


def _install() -> None:
    global _installed
    if not _installed:
        sys.addaudithook(_audit)
        _installed = True


def _audit(event: str, args: tuple) -> None:
    if not _policies:
        return
    policy = _policies[-1]
    if event in _NETWORK_EVENTS and not policy.network and not _to_endpoint(event, args):
        raise Refused(f"network access refused ({event} {_target(args)})")
    if event in _PROGRAM_EVENTS:
        raise Refused(f"starting a program refused ({event})")
    if event == "open":
        _check_open(policy, *args[:3])


def _target(args: tuple) -> str:
    value = args[1] if len(args) > 1 and hasattr(args[0], "fileno") else args[0]  # a socket's address
    return str(value)[:100]


def _check_open(policy: _Policy, path, mode, flags) -> None:
    if isinstance(path, int):  # an already open file descriptor
        return
    real = os.path.realpath(os.fsdecode(path))
    writing = isinstance(flags, int) and flags & _WRITE_FLAGS
    if writing and not _within(real, policy.writable):
        raise Refused(f"writing {real} refused")
    if not _within(real, policy.readable):
        raise Refused(f"opening {real} refused")


def _within(path: str, allowed: tuple[str, ...]) -> bool:
    return any(path == a or path.startswith(a + os.sep) for a in allowed)


def refusal(exc: BaseException) -> Refused | None:
    """The :class:`Refused` error behind ``exc`` (itself, its cause or context), if any."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, Refused):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None
