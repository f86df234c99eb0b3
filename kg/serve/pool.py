"""A pool of pre-forked worker processes that answer requests under hard limits.

The server's process never queries the graph: each request is handed to an idle worker
(a child forked from the server, sharing its graph copy on write, or opening the store
read-only) over a pipe, and the server waits for the reply at most the time limit.
A worker that outruns it is killed (``SIGKILL``: this holds even when the engine is stuck
in C or Rust code, where no signal handler runs) and a fresh one is forked in its place,
so the server stays healthy while a runaway query is stopped. Each worker runs with a
memory limit (``RLIMIT_AS``: its size at start plus ``KG_MAX_MEMORY_MB``) and, should the
server itself be stuck, a CPU-time limit per request. At most ``size`` requests run at
once; the next ones wait for a free worker at most ``wait`` seconds, then are refused.

Frames on the pipes are a kind byte, a length and a pickled payload (the requests come
from the server itself; the workers' replies are read by the server).
"""

from __future__ import annotations

import asyncio
import collections
import os
import pickle
import resource
import signal
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kg.errors import KgError

_HEADER = struct.Struct("!cQ")
_READY, _REPLY, _FAILED = b"R", b"A", b"F"
STARTUP_SECONDS = 120
"""How long the first workers may take to open the graph."""


@dataclass
class Reply:
    """What a worker answers: an HTTP status, a media type, the body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict = field(default_factory=dict)


class Busy(Exception):
    """Every worker stayed busy for the whole wait."""


class Timeout(Exception):
    """The worker did not reply in time; it was killed and replaced."""


class WorkerDied(Exception):
    """The worker stopped before it replied (``out_of_memory`` when the memory limit stopped it)."""

    def __init__(self, message: str, out_of_memory: bool):
        super().__init__(message)
        self.out_of_memory = out_of_memory


@dataclass
class _Worker:
    pid: int
    to_child: int
    from_child: int


# -- the worker's side ---------------------------------------------------------------


def _write_frame(fd: int, kind: bytes, payload: bytes) -> None:
    view = memoryview(_HEADER.pack(kind, len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _worker_main(requests: int, replies: int, init: Callable[[], object], handle: Callable, memory_mb: int,
                 seconds: float) -> None:
    """The body of a worker process: open the graph, then answer requests until the pipe
    closes. Never returns."""
    status = 0
    try:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        try:
            signal.set_wakeup_fd(-1)
        except ValueError:
            pass
        _close_all_but(requests, replies)
        _die_with_parent()
        quiet = os.open(os.devnull, os.O_WRONLY)  # what the engine prints as it dies is not for the user
        os.dup2(quiet, 2)
        os.close(quiet)
        try:
            state = init()
        except KgError as exc:
            _write_frame(replies, _FAILED, str(exc).encode("utf-8"))
            return
        limit = _current_size() + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        _write_frame(replies, _READY, b"")
        while True:
            header = _read_exactly(requests, _HEADER.size)
            if header is None:
                return
            _, size = _HEADER.unpack(header)
            request = pickle.loads(_read_exactly(requests, size) or b"")
            _cpu_limit(seconds)
            try:
                reply = handle(state, request)
            except MemoryError:
                _write_frame(replies, _REPLY, pickle.dumps(Reply(413, "text/plain; charset=utf-8",
                             b"the answer needs more memory than the limit (KG_MAX_MEMORY_MB)\n")))
                return  # a worker that ran out of memory is replaced
            _write_frame(replies, _REPLY, pickle.dumps(reply))
    except BaseException:  # noqa: BLE001 - a worker must never fall back into the server's code
        status = 70
    finally:
        os._exit(status)


def _close_all_but(*keep: int) -> None:
    """Close every inherited file descriptor but standard input, output and error and
    ``keep``: a worker forked while the server runs must not hold its listening socket,
    its clients' connections (which would then never close) or other workers' pipes."""
    start = 3
    for fd in sorted(keep):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, os.sysconf("SC_OPEN_MAX"))


def _current_size() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _cpu_limit(seconds: float) -> None:
    """A soft CPU-time limit a little beyond this request's time limit (``SIGXCPU`` ends
    the worker), in case the server could not kill it."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 2
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the server's process ends (``PR_SET_PDEATHSIG``)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


# -- the server's side ---------------------------------------------------------------


class Pool:
    """``size`` workers, each running ``init()`` once and then ``handle(state, request)``
    per request. Create it before the event loop forks anything else: :meth:`start`
    forks the workers and waits until each has opened the graph."""

    def __init__(self, size: int, init: Callable[[], object], handle: Callable, *, seconds: float,
                 memory_mb: int, wait: float = 5.0):
        self.size, self.init, self.handle = size, init, handle
        self.seconds, self.memory_mb, self.wait = seconds, memory_mb, wait
        self.idle: list[_Worker] = []
        self.workers: dict[int, _Worker] = {}
        self.waiters: collections.deque[asyncio.Future] = collections.deque()
        self.replaced = 0
        """How many workers were killed at their deadline or died, and replaced."""

    def start(self) -> None:
        """Fork the workers and wait for each to be ready; a KgError if one cannot open the graph."""
        started = [self._fork() for _ in range(self.size)]
        deadline = time.monotonic() + STARTUP_SECONDS
        for worker in started:
            kind, payload = self._read_frame_blocking(worker, deadline)
            if kind != _READY:
                self.stop()
                raise KgError(payload.decode("utf-8", "replace") or "a worker could not open the graph")
            os.set_blocking(worker.from_child, False)
            self.idle.append(worker)

    def _fork(self) -> _Worker:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(to_child_w)
            os.close(from_child_r)
            _worker_main(to_child_r, from_child_w, self.init, self.handle, self.memory_mb, self.seconds)
        os.close(to_child_r)
        os.close(from_child_w)
        worker = _Worker(pid, to_child_w, from_child_r)
        self.workers[pid] = worker
        return worker

    @staticmethod
    def _read_frame_blocking(worker: _Worker, deadline: float) -> tuple[bytes, bytes]:
        import select

        data = b""
        while True:
            if len(data) >= _HEADER.size:
                kind, size = _HEADER.unpack_from(data)
                if len(data) >= _HEADER.size + size:
                    return kind, data[_HEADER.size:_HEADER.size + size]
            left = deadline - time.monotonic()
            if left <= 0:
                return _FAILED, b"a worker did not open the graph in time"
            ready, _, _ = select.select([worker.from_child], [], [], left)
            if ready:
                chunk = os.read(worker.from_child, 1 << 20)
                if not chunk:
                    return _FAILED, b"a worker stopped while opening the graph"
                data += chunk

    async def run(self, request, seconds: float | None = None) -> Reply:
        """The reply of a worker to ``request``, within ``seconds`` (default: the pool's limit).

        Raises :class:`Busy`, :class:`Timeout` or :class:`WorkerDied`.
        """
        seconds = self.seconds if seconds is None else seconds
        worker = await self._acquire()
        try:
            reply = await asyncio.wait_for(self._exchange(worker, request), seconds)
        except asyncio.TimeoutError:
            self._replace(worker)
            raise Timeout(seconds) from None
        except WorkerDied:
            self._replace(worker)
            raise
        except BaseException:  # cancelled (the client went away): the worker's state is unknown
            self._replace(worker)
            raise
        self._release(worker)
        return reply

    @property
    def running(self) -> int:
        return len(self.workers) - len(self.idle)

    async def _acquire(self) -> _Worker:
        if self.idle:
            return self.idle.pop()
        waiter = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), self.wait)
        except asyncio.TimeoutError:
            if waiter.done() and not waiter.cancelled():  # a worker came just as the wait ended
                self._release(waiter.result())
            waiter.cancel()
            raise Busy() from None
        finally:
            if waiter in self.waiters:
                self.waiters.remove(waiter)

    def _release(self, worker: _Worker) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self.idle.append(worker)

    async def _exchange(self, worker: _Worker, request) -> Reply:
        payload = pickle.dumps(request)
        try:
            _write_frame(worker.to_child, b"Q", payload)
        except OSError:
            raise WorkerDied("the worker stopped", False) from None
        while True:
            kind, body = await self._read_frame(worker)
            if kind == _REPLY:
                return pickle.loads(body)
            if kind == _FAILED:
                raise WorkerDied(body.decode("utf-8", "replace"), False)

    async def _read_frame(self, worker: _Worker) -> tuple[bytes, bytes]:
        loop = asyncio.get_running_loop()
        done: asyncio.Future = loop.create_future()
        buffer = bytearray()

        def readable() -> None:
            try:
                chunk = os.read(worker.from_child, 1 << 20)
            except BlockingIOError:
                return
            except OSError:  # the pipe broke: the worker is gone, as at end of file
                chunk = b""
            if not chunk:
                if not done.done():
                    done.set_exception(self._death(worker))
                return
            buffer.extend(chunk)
            if len(buffer) >= _HEADER.size:
                kind, size = _HEADER.unpack_from(buffer)
                if len(buffer) >= _HEADER.size + size and not done.done():
                    rest = bytes(buffer[_HEADER.size + size:])
                    done.set_result((kind, bytes(buffer[_HEADER.size:_HEADER.size + size])))
                    buffer[:] = rest

        loop.add_reader(worker.from_child, readable)
        try:
            return await done
        finally:
            loop.remove_reader(worker.from_child)

    def _death(self, worker: _Worker) -> WorkerDied:
        """Why a worker's pipe closed: reap it and say whether memory stopped it."""
        try:
            _, status = os.waitpid(worker.pid, 0)
        except ChildProcessError:
            status = 0
        self.workers.pop(worker.pid, None)
        signalled = os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGSEGV,
                                                                      signal.SIGKILL, signal.SIGBUS)
        if signalled:
            return WorkerDied("the answer needs more memory than the limit (KG_MAX_MEMORY_MB)", True)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
            return WorkerDied("the query used more CPU time than its limit", False)
        return WorkerDied(f"the worker stopped unexpectedly (status {status})", False)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` (if still alive) and fork a fresh one in its place."""
        self._kill(worker)
        self.replaced += 1
        if len(self.workers) < self.size:
            fresh = self._fork()
            os.set_blocking(fresh.from_child, False)
            self._release(fresh)

    def _kill(self, worker: _Worker) -> None:
        if self.workers.pop(worker.pid, None) is not None:
            try:
                os.kill(worker.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(worker.pid, 0)
            except ChildProcessError:
                pass
        for fd in (worker.to_child, worker.from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        if worker in self.idle:
            self.idle.remove(worker)

    def stop(self) -> None:
        """Kill every worker."""
        for worker in list(self.workers.values()):
            self._kill(worker)
        self.idle.clear()
