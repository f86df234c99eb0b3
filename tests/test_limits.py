"""The hard limits of kg.checks.limits: a child process killed at the deadline, with a
memory limit, that leaves the parent healthy whatever the work does."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from kg.checks import limits
from kg.errors import KgError


def _children() -> set[int]:
    """This process's living child processes (Linux /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.add(int(entry))
    return found


def test_the_answer_comes_back_whole():
    assert limits.run_limited(lambda: ("Beijing", 300000, [1.5]), 10) == ("Beijing", 300000, [1.5])
    big = limits.run_limited(lambda: "x" * (30 * 2**20), 30)
    assert len(big) == 30 * 2**20 and big[:3] == "xxx"


def test_work_stuck_in_c_is_killed_at_the_deadline():
    before = _children()
    started = time.monotonic()
    with pytest.raises(limits.Timeout, match=r"^timed out after 1 s$"):
        limits.run_limited(lambda: 10 ** (10**8), 1)  # one long C call: no signal handler runs in it
    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 2.5
    assert _children() == before  # killed and reaped


@pytest.mark.parametrize("work", [lambda: bytearray(2**30), lambda: [str(n) for n in range(10**7)]],
                         ids=["one-block", "many-objects"])
def test_work_over_the_memory_limit_is_stopped(work):
    """One block of 1 GB, or ten million distinct strings (about 600 MB; the same string ten
    million times was only a list of 80 MB, under the limit when the child could reuse its
    parent's free heap)."""
    with pytest.raises(limits.OutOfMemory, match=r"^ran out of memory \(the limit is 100 MB, KG_MAX_MEMORY_MB\)$"):
        limits.run_limited(work, 20, memory_mb=100)


def test_the_memory_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("KG_MAX_MEMORY_MB", "150")
    assert limits.default_memory_mb() == 150
    with pytest.raises(limits.OutOfMemory, match="the limit is 150 MB"):
        limits.run_limited(lambda: bytearray(400 * 2**20), 20)
    for bad in ("nan", "inf", "0", "-5", "lots"):
        monkeypatch.setenv("KG_MAX_MEMORY_MB", bad)
        with pytest.raises(KgError, match=r"^KG_MAX_MEMORY_MB=.*expected a number of megabytes"):
            limits.default_memory_mb()


def test_a_crashing_engine_is_one_line():
    with pytest.raises(limits.Crashed, match=r"^the engine crashed \(SIGSEGV: its stack overflowed"):
        limits.run_limited(lambda: os.kill(os.getpid(), signal.SIGSEGV), 10)
    with pytest.raises(limits.Crashed, match=r"^stopped unexpectedly \(exit status 3\)$"):
        limits.run_limited(lambda: os._exit(3), 10)


def test_errors_of_the_work_come_back_as_one_line():
    def refuse():
        error = KgError("q.rq:3: SERVICE refused")
        error.exit_code = 2
        raise error

    with pytest.raises(KgError, match=r"^q.rq:3: SERVICE refused$") as caught:
        limits.run_limited(refuse, 10)
    assert type(caught.value) is KgError and caught.value.exit_code == 2
    with pytest.raises(KgError, match=r"^failed: ZeroDivisionError: division by zero$"):
        limits.run_limited(lambda: 1 / 0, 10)


def test_the_parent_stays_healthy_and_can_use_it_from_threads():
    alarm = signal.getsignal(signal.SIGALRM)
    results = []

    def one(i):
        results.append(limits.run_limited(lambda: i * 2, 10))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 2, 4, 6]
    with pytest.raises(limits.Timeout):
        limits.run_limited(lambda: time.sleep(30), 0.3)
    assert limits.run_limited(lambda: "still here", 10) == "still here"
    assert signal.getsignal(signal.SIGALRM) is alarm
