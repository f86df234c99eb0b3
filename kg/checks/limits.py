"""Hard limits on untrusted work: a child process that is killed at the deadline.

A stranger's query (or shapes) can hold the interpreter inside C or Rust code, where no
signal handler runs: a time limit made of ``SIGALRM`` alone does not hold. So the work
runs in a child process (``fork``: it shares the parent's graph, copy on write) with a
memory limit (``RLIMIT_AS``: the child's current size plus ``memory_mb``), and the
parent waits at most ``seconds`` for its answer, then kills it. Parsing, evaluating and
rendering all count. The parent stays healthy whatever the child does; what the child
returns (a pickled value) or raises (a :class:`kg.errors.KgError`) comes back to it.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import struct
import time
from collections.abc import Callable

from kg.errors import KgError

DEFAULT_MEMORY_MB = 2048
"""Memory a child may take beyond what it was born with (``KG_MAX_MEMORY_MB`` changes it)."""
_OK, _ERROR, _FAILED = b"O", b"E", b"F"
_HEADER = struct.Struct("!cQ")


class Timeout(KgError):
    """The work did not finish in time; the child was killed."""


class OutOfMemory(KgError):
    """The work needed more memory than its limit; the child was stopped."""


def memory_mb() -> int:
    """The memory limit of untrusted work, in MB (``KG_MAX_MEMORY_MB``, default 2048)."""
    import math

    raw = os.environ.get("KG_MAX_MEMORY_MB", str(DEFAULT_MEMORY_MB))
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise KgError(f"KG_MAX_MEMORY_MB={raw!r}: expected a positive number of megabytes")
    return int(value)


def _current_size() -> int:
    """This process's virtual memory size in bytes (Linux ``/proc/self/statm``)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def run(work: Callable[[], object], *, seconds: float, memory: int | None = None):
    """``work()`` in a child process, at most ``seconds`` of wall time and ``memory`` MB
    more than the child starts with; its return value, or its KgError raised here.

    Raises :class:`Timeout` or :class:`OutOfMemory` when a limit is hit.
    """
    budget = (memory if memory is not None else memory_mb()) * 2**20
    limit = _current_size() + budget
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(work, writer, limit)
    os.close(writer)
    try:
        kind, payload = _receive(reader, pid, seconds)
    finally:
        os.close(reader)
    if kind == _OK:
        return pickle.loads(payload)
    if kind == _ERROR:
        message, code = pickle.loads(payload)
        error = KgError(message)
        error.exit_code = code
        raise error
    message = payload.decode("utf-8", "replace")
    raise (OutOfMemory if message.startswith("ran out of memory") else KgError)(message)


def _child(work, writer: int, limit: int) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        quiet = os.open(os.devnull, os.O_WRONLY)  # what the engine prints as it dies is not for the user
        os.dup2(quiet, 2)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            frame = (_OK, pickle.dumps(work()))
        except KgError as exc:
            frame = (_ERROR, pickle.dumps((str(exc), exc.exit_code)))
        except MemoryError:
            frame = (_FAILED, b"ran out of memory (the limit is KG_MAX_MEMORY_MB, default 2048)")
        _send(writer, *frame)
    except BaseException:  # noqa: BLE001 - a child must never fall back into the parent's code
        status = 70
    finally:
        os._exit(status)


def _send(writer: int, kind: bytes, payload: bytes) -> None:
    data = _HEADER.pack(kind, len(payload)) + payload
    view = memoryview(data)
    while view:
        view = view[os.write(writer, view):]


def _receive(reader: int, pid: int, seconds: float) -> tuple[bytes, bytes]:
    """The child's frame, read before the deadline; the child is reaped either way."""
    deadline = time.monotonic() + seconds
    chunks = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout(f"timed out after {seconds:g} s")
            ready, _, _ = select.select([reader], [], [], left)
            if not ready:
                continue
            chunk = os.read(reader, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        _kill(pid)
        raise
    _, status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    if len(data) >= _HEADER.size:
        kind, size = _HEADER.unpack_from(data)
        if len(data) == _HEADER.size + size:
            return kind, data[_HEADER.size:]
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGSEGV, signal.SIGKILL):
        return _FAILED, b"ran out of memory (the limit is KG_MAX_MEMORY_MB, default 2048)"
    return _FAILED, f"stopped unexpectedly (status {status})".encode()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
