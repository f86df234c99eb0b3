"""Untrusted input: checks on parsed SPARQL, and a guard against network and file access.

Two lines of defence. First, every user query (a ``.rq`` file, or a SPARQL constraint
of a user's SHACL shape) is parsed and its algebra checked before it runs: updates are
refused, and so are ``SERVICE`` and ``FROM``/``FROM NAMED`` unless the network is
allowed (rdflib's loading of ``FROM`` graphs, ``SPARQL_LOAD_GRAPHS``, is switched off
likewise). Second, while :func:`guard` is active, a ``sys.addaudithook`` hook (the
approach of rdflib's "Security Considerations") refuses network connections, starting
programs, and opening files outside an allow-list. :func:`time_limit` bounds a run.
"""

from __future__ import annotations

import os
import signal
import site
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg import resources
from kg.errors import InputError

UPDATE_OPERATIONS = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT",
}
NETWORK_HINT = "pass --allow-network to allow it"
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


# -- SPARQL checks ---------------------------------------------------------------------


def prepare_query(text: str, where: str, init_ns: Mapping[str, str], allow_network: bool = False):
    """Parse a SPARQL query and check it (see :func:`check_query`); errors name ``where``."""
    from pyparsing import ParseException
    from rdflib.plugins import sparql

    sparql.SPARQL_LOAD_GRAPHS = allow_network
    try:
        prepared = sparql.prepareQuery(text, initNs=dict(init_ns))
    except ParseException as exc:
        operation = update_operation(text)
        if operation:
            raise InputError(f"{where}: {operation} refused: only read-only queries run, never updates") from None
        raise InputError(f"{where}:{exc.lineno}:{exc.col}: SPARQL syntax error: {exc.msg}") from None
    except Exception as exc:  # rdflib raises plain Exceptions for unknown prefixes etc.
        raise InputError(f"{where}: SPARQL error: {first_line(exc)}") from None
    check_query(prepared, where, allow_network)
    return prepared


def update_operation(text: str) -> str | None:
    """The first operation's keyword when ``text`` is a SPARQL update, else None."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        request = parseUpdate(text).request
    except (ParseException, ValueError):
        return None
    names = [UPDATE_OPERATIONS.get(op.name, op.name) for op in request or ()]
    return names[0] if names else None


def check_query(prepared, where: str, allow_network: bool = False) -> None:
    """Refuse a parsed query that would reach the network (``SERVICE``, ``FROM``)."""
    if allow_network:
        return
    for part in algebra_parts(prepared.algebra):
        if part.name == "ServiceGraphPattern":
            raise InputError(f"{where}: SERVICE {part.term.n3()} refused: it queries a remote endpoint; {NETWORK_HINT}")
        for clause in part.datasetClause or ():  # CompValue: a missing key reads as None
            iri = clause.default or clause.named
            raise InputError(f"{where}: FROM {iri.n3()} refused: it would load a graph from its IRI; {NETWORK_HINT}")


def algebra_parts(root) -> Iterator:
    """Every node (``CompValue``) of a query's algebra, depth first, without recursion."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)


def capped(prepared, rows: int):
    """The prepared SELECT query, made to stop after ``rows`` rows (an outer slice)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    prepared.algebra["p"] = CompValue("Slice", p=prepared.algebra["p"], start=0, length=rows)
    return prepared


def check_shapes(shapes, allow_network: bool = False) -> None:
    """Apply :func:`prepare_query`'s checks to every SPARQL text of a SHACL shapes graph.

    ``sh:select``, ``sh:ask`` and ``sh:construct`` (SHACL-SPARQL and SHACL-AF) are
    queries; ``sh:update`` is always refused. Prefixes come from ``sh:declare`` and the
    graph's own bindings.
    """
    from kg.namespaces import SH

    prefixes = {str(p): str(ns) for p, ns in shapes.namespaces()}
    for declaration in shapes.objects(None, SH.declare):
        prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            prefixes[str(prefix)] = str(namespace)
    updating = next(shapes.subjects(SH.update), None)
    if updating is not None:
        raise InputError(f"shape {updating.n3()}: sh:update refused: shapes may only read the graph")
    for keyword in ("select", "ask", "construct"):
        for node, text in shapes.subject_objects(SH[keyword]):
            prepare_query(str(text), f"shape {node.n3()} sh:{keyword}", prefixes, allow_network)


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
    if event in _NETWORK_EVENTS and not policy.network:
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
