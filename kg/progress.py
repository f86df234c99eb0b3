"""Progress on standard error: the phase, counts and elapsed time of long steps.

Shown only when standard error is a terminal and ``--quiet`` was not given
(:func:`configure`); otherwise every call here does nothing. rich draws it and is
imported only when it is shown.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

_shown = False


def configure(quiet: bool = False) -> None:
    """Show progress from now on if standard error is a terminal and not ``quiet``."""
    global _shown
    _shown = not quiet and sys.stderr.isatty()


def shown() -> bool:
    return _shown


class _Step:
    """What a phase reports: ``advance`` by a count, ``note`` a detail."""

    def __init__(self, progress=None, task=None):
        self._progress, self._task = progress, task

    def advance(self, count: float = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, count)

    def note(self, detail: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, detail=detail)

    def total(self, total: float | None) -> None:
        if self._progress is not None:
            self._progress.update(self._task, total=total)


@contextmanager
def phase(description: str, total: float | None = None, unit: str = "") -> Iterator[_Step]:
    """A named step; with ``total`` a bar and ``done/total`` counts, else a spinner."""
    if not _shown:
        yield _Step()
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn)

    columns = [SpinnerColumn(), TextColumn("{task.description}")]
    if total is not None:
        columns += [BarColumn(), MofNCompleteColumn(), TextColumn(unit)]
    columns += [TimeElapsedColumn(), TextColumn("[dim]{task.fields[detail]}")]
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task(description, total=total, detail="")
        step = _Step(progress, task)
        yield step
        if total is not None:
            progress.update(task, completed=total)
