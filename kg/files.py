"""Writing output files atomically: a failed, interrupted or killed run leaves no half file.

Data goes to a temporary file beside the output, ``.NAME.PID-RANDOM.tmp``, which is
renamed over the output once complete. While it is written, the writer holds an
exclusive ``flock`` on it. A run killed outright (SIGKILL) cannot remove its temporary
file, so every write first removes the ones a dead writer left beside its output: those
whose process is gone and whose lock nobody holds (a live writer, even in another PID
namespace, keeps its file). An interrupt or SIGTERM (see :mod:`kg.cli`) removes the
temporary file on the way out.

Writing over an existing file keeps its permissions and owner, and writing to a
symbolic link writes its target (the link stays).
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import signal
import stat
import time
from pathlib import Path

from kg.errors import InputError

LEGACY_AGE_SECONDS = 3600
"""A temporary file of the older form ``.NAME.XXXXXXXX.tmp`` (no PID) counts as left
behind once it is this old and unlocked."""
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def temporary_name(name: str) -> str:
    """The name of a new temporary file for the output ``name``."""
    return f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _temporary_pattern(name: str) -> re.Pattern:
    return re.compile(rf"\.{re.escape(name)}\.(?:(\d+)-[0-9a-f]{{8}}|[A-Za-z0-9_]{{8}})\.tmp")


def atomic_write(path: Path | str, data) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    ``data`` is text, bytes, or a function that writes to the binary file it is given
    (streamed: the whole output need not be in memory). The previous file, if any,
    stays intact until the new one is complete.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = _target(path)
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"{path}: cannot write: folder {folder} does not exist")
    previous = _existing(target)
    remove_leftovers(target)
    tmp = None
    handle = None
    try:
        with _signals_blocked():  # an interrupt now would leave a file nobody removes
            tmp, handle = _create(folder, target.name)
        _keep_metadata(handle.fileno(), previous, path)
        if callable(payload):
            payload(handle)
        else:
            handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with _signals_blocked():  # a second signal may not stop the cleaning up
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            if handle is not None:
                handle.close()
    return path


def _target(path: Path) -> Path:
    """The file a write to ``path`` replaces: the end of its chain of symbolic links."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path if str(path.parent) else Path(".") / path


def _existing(target: Path) -> os.stat_result | None:
    try:
        found = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"{target}: cannot write: {exc.strerror}") from None
    return found if stat.S_ISREG(found.st_mode) else None


def _create(folder: Path, name: str):
    """A new, locked temporary file in ``folder``: (its path, its binary handle)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = folder / temporary_name(name)
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        handle = os.fdopen(fd, "wb")
        fcntl.flock(fd, fcntl.LOCK_EX)
        return str(tmp), handle
    raise FileExistsError(f"no free temporary name for {name}")


def _keep_metadata(fd: int, previous: os.stat_result | None, path: Path) -> None:
    """Give the new file the permissions and owner of the file it replaces (a new file:
    0666 less the umask, as ``open`` makes it)."""
    if previous is None:
        os.fchmod(fd, 0o666 & ~_umask())
        return
    if (previous.st_uid, previous.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, previous.st_uid, previous.st_gid)
        except PermissionError:
            raise InputError(f"{path}: cannot keep the file's owner ({previous.st_uid}:{previous.st_gid}); "
                             "file left unchanged") from None
    os.fchmod(fd, stat.S_IMODE(previous.st_mode))


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the temporary files that dead writers left beside ``target``; return them."""
    pattern = _temporary_pattern(target.name)
    removed = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match and _left_behind(target.parent / name, match.group(1)):
            try:
                (target.parent / name).unlink()
                removed.append(target.parent / name)
            except OSError:
                pass
    return removed


def _left_behind(tmp: Path, pid: str | None) -> bool:
    """True when no live writer owns ``tmp``: its process is gone (or, for an old-style
    name, it is old) and nobody holds its lock."""
    if pid is not None and _alive(int(pid)):
        return False
    if pid is None:
        try:
            if time.time() - tmp.stat().st_mtime < LEGACY_AGE_SECONDS:
                return False
        except OSError:
            return False
    try:
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a writer holds it
    finally:
        os.close(fd)
    return True


class ScratchFolder:
    """A temporary folder ``kg-KIND-PID-RANDOM`` in the system's temporary folder (where
    ``TMPDIR`` says), for work files that may be large (an import's stores, TopBraid's
    data), removed by :meth:`cleanup`. Its owner holds a lock on a file inside while it
    lives; a new one first removes the folders that dead runs left (process gone, lock free)."""

    def __init__(self, kind: str):
        import tempfile

        base = Path(tempfile.gettempdir())
        remove_scratch_leftovers(base, kind)
        self.name = tempfile.mkdtemp(prefix=f"kg-{kind}-{os.getpid()}-", dir=base)
        self._lock = os.open(Path(self.name) / ".lock", os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    def cleanup(self) -> None:
        import shutil

        if self._lock is not None:
            shutil.rmtree(self.name, ignore_errors=True)
            os.close(self._lock)
            self._lock = None

    def __enter__(self) -> str:
        return self.name

    def __exit__(self, *exc) -> None:
        self.cleanup()


def remove_scratch_leftovers(base: Path, kind: str) -> list[Path]:
    """Remove the scratch folders of ``kind`` that dead runs left in ``base``; return them."""
    import shutil

    pattern = re.compile(rf"kg-{re.escape(kind)}-(\d+)-[A-Za-z0-9_]+")
    removed = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or not entry.is_dir() or entry.is_symlink() or _alive(int(match.group(1))):
            continue
        lock = entry / ".lock"
        if lock.exists() and not _left_behind(lock, match.group(1)):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _signals_blocked:
    """Hold back SIGINT, SIGTERM and SIGHUP (delivered on exit from the block)."""

    def __enter__(self):
        self.previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)

    def __exit__(self, *exc):
        signal.pthread_sigmask(signal.SIG_SETMASK, self.previous)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def ensure_dir(path: Path | str) -> Path:
    """Create the output folder ``path`` if needed; a clear error if that is impossible."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{path}: cannot create output folder: {exc.strerror}") from None
    if not os.access(path, os.W_OK):
        raise InputError(f"{path}: output folder is not writable")
    return path
