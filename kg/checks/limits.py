"""Hard limits on untrusted work: a child process that is killed at the deadline.

A stranger's query (or shapes) can hold the interpreter inside C or Rust code (a
catastrophic regular expression, a parser's quadratic loop), where no signal handler
runs: a time limit made of ``SIGALRM`` alone does not hold. So :func:`run_limited` runs
the work in a child process (``fork``: it shares the parent's graph, copy on write) with
a memory limit (``RLIMIT_AS``: the child's size at birth plus ``memory_mb``), and the
parent waits at most ``timeout`` seconds for its answer, then kills it (``SIGKILL``).
Whatever the work does in the child (parsing, evaluating, rendering) counts. The parent
stays healthy whatever the child does: it reads the answer into a buffer of the size
the child announced (at most the child's memory limit), and reaps the child in every
case. What the child returns (a pickled value) or raises (a :class:`kg.errors.KgError`)
comes back to the caller; anything else is one of the errors below, each one line.
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
from typing import TypeVar

from kg.errors import KgError

T = TypeVar("T")

DEFAULT_MEMORY_MB = 2048
"""Memory a child may take beyond what it was born with (``KG_MAX_MEMORY_MB`` changes it)."""
_OK, _ERROR, _NO_MEMORY = b"O", b"E", b"M"
_HEADER = struct.Struct("!cQ")
_STDERR_TAIL = 4096
_PIPE_SIZE = 1 << 20
_OOM_SIGNS = (b"memory allocation of", b"MemoryError", b"Cannot allocate memory", b"std::bad_alloc")


class LimitExceeded(KgError):
    """Untrusted work was stopped: it ran out of time or memory, or its engine crashed."""


class Timeout(LimitExceeded):
    """The work did not finish in time; the child was killed."""


class OutOfMemory(LimitExceeded):
    """The work needed more memory than its limit; the child was stopped."""


class Crashed(LimitExceeded):
    """The child died of a signal without running out of memory (a C or Rust engine
    overflowing its stack on deeply nested input, for example)."""


def default_memory_mb() -> int:
    """The memory limit of untrusted work, in MB (``KG_MAX_MEMORY_MB``, default 2048)."""
    from kg import settings

    return int(settings.megabytes("KG_MAX_MEMORY_MB", DEFAULT_MEMORY_MB, accepts=lambda mb: mb >= 1,
                                  expected="expected a number of megabytes, at least 1", error=KgError))


def _current_size() -> int:
    """This process's virtual memory size in bytes (Linux ``/proc/self/statm``)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def run_limited(work: Callable[[], T], timeout: float, memory_mb: int | None = None) -> T:
    """``work()`` in a child process, at most ``timeout`` seconds of wall time and
    ``memory_mb`` MB (default :func:`default_memory_mb`) more than the child starts with; its
    return value (which must pickle), or the :class:`KgError` it raised, raised here.

    Raises :class:`Timeout`, :class:`OutOfMemory` or :class:`Crashed` (all
    :class:`LimitExceeded`, one-line messages) when the child was stopped. Safe to call
    from any thread: the child runs ``work`` only, and leaves with ``os._exit``.
    """
    budget = (memory_mb if memory_mb is not None else default_memory_mb()) * 2**20
    limit = _current_size() + budget
    reader, writer = os.pipe()
    _widen(writer)
    err_reader, err_writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        os.close(err_reader)
        _child(work, writer, err_writer, limit)
    os.close(writer)
    os.close(err_writer)
    try:
        kind, payload, stderr_tail, status = _receive(reader, err_reader, pid, timeout, budget)
    finally:
        os.close(reader)
        os.close(err_reader)
    if kind == _OK:
        return pickle.loads(payload)
    if kind == _ERROR:
        message, code = pickle.loads(payload)
        error = KgError(message)
        error.exit_code = code
        raise error
    raise _stopped(kind, stderr_tail, status, budget)


def _widen(pipe: int) -> None:
    """A larger pipe buffer (Linux): a large answer crosses in fewer round trips."""
    import fcntl

    try:
        fcntl.fcntl(pipe, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)
    except OSError:
        pass


def run(work: Callable[[], T], *, seconds: float, memory: int | None = None) -> T:
    """:func:`run_limited` under its former keyword names."""
    return run_limited(work, seconds, memory)


def _child(work, writer: int, err_writer: int, limit: int) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.dup2(err_writer, 2)  # what an engine prints as it dies is read by the parent, not shown
        os.close(err_writer)
        import faulthandler

        faulthandler.disable()  # it would write its dump to the parent's stderr
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            frame = (_OK, pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
        except KgError as exc:
            frame = (_ERROR, pickle.dumps((str(exc), exc.exit_code)))
        except MemoryError:
            frame = (_NO_MEMORY, b"")
        except Exception as exc:  # noqa: BLE001 - the caller gets one line, never a traceback
            frame = (_ERROR, pickle.dumps((f"failed: {type(exc).__name__}: {_first_line(exc)}", 2)))
        _send(writer, *frame)
    except MemoryError:
        status = 71  # not even the answer fits: the parent reads this as out of memory
    except BaseException:  # noqa: BLE001 - a child must never fall back into the parent's code
        status = 70
    finally:
        os._exit(status)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else ""


def _send(writer: int, kind: bytes, payload: bytes) -> None:
    os.write(writer, _HEADER.pack(kind, len(payload)))
    view = memoryview(payload)
    while view:
        view = view[os.write(writer, view):]


class _Frame:
    """The child's answer as it arrives: a header, then a payload of the announced size."""

    def __init__(self, budget: int):
        self.budget, self.header, self.payload, self.filled = budget, b"", None, 0

    def take(self, reader: int) -> bool:
        """Read what is there; False at the end of the stream."""
        if self.payload is None:
            chunk = os.read(reader, _HEADER.size - len(self.header))
            if not chunk:
                return False
            self.header += chunk
            if len(self.header) == _HEADER.size:
                _, size = _HEADER.unpack(self.header)
                if size > self.budget:  # more than the child could hold: not believed
                    raise KgError("the limited work announced an answer larger than its memory limit")
                self.payload = bytearray(size)
            return True
        view = memoryview(self.payload)[self.filled:]
        if not view:
            return bool(os.read(reader, 1))
        count = os.readv(reader, [view])
        self.filled += count
        return count > 0

    def result(self) -> tuple[bytes, bytes] | None:
        if self.payload is None or self.filled != len(self.payload):
            return None
        return self.header[:1], self.payload


def _receive(reader: int, err_reader: int, pid: int, timeout: float, budget: int):
    """(kind, payload, end of the child's stderr, wait status), read before the deadline;
    the child is reaped whatever happens."""
    deadline = time.monotonic() + timeout
    frame, tail = _Frame(budget), b""
    open_fds = [reader, err_reader]
    try:
        while open_fds:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout(f"timed out after {timeout:g} s")
            ready, _, _ = select.select(open_fds, [], [], left)
            for fd in ready:
                if fd == err_reader:
                    chunk = os.read(err_reader, 1 << 16)
                    tail = (tail + chunk)[-_STDERR_TAIL:]
                    alive = bool(chunk)
                else:
                    alive = frame.take(reader)
                if not alive:
                    open_fds.remove(fd)
    except BaseException:
        _kill(pid)
        raise
    _, status = os.waitpid(pid, 0)
    got = frame.result()
    if got is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return got[0], got[1], tail, status
    return None, b"", tail, status


def _stopped(kind, tail: bytes, status: int, budget: int) -> LimitExceeded:
    """The error that says why the child gave no answer."""
    limit = f"the limit is {budget // 2**20} MB, KG_MAX_MEMORY_MB"
    if kind == _NO_MEMORY or (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 71):
        return OutOfMemory(f"ran out of memory ({limit})")
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if any(sign in tail for sign in _OOM_SIGNS):
            return OutOfMemory(f"ran out of memory ({limit})")
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        if number == signal.SIGSEGV:
            return Crashed(f"the engine crashed ({name}: its stack overflowed, for example on input nested "
                           "or repeated too deeply)")
        return Crashed(f"the engine crashed ({name})")
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
    return Crashed(f"stopped unexpectedly (exit status {code})")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
