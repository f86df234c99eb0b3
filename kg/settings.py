"""Settings read from the environment (``KG_MAX_FILE_MB`` and the others): one reader,
so that every one refuses a bad value in the same way, in one line."""

from __future__ import annotations

import math
import os

from kg.errors import InputError, KgError


def megabytes(name: str, default: float, *, accepts, expected: str, error: type[KgError] = InputError) -> float:
    """The number of megabytes the variable ``name`` gives (``default`` when unset); a
    value that is not a finite number for which ``accepts(value)`` holds is ``error``
    saying ``NAME='value': expected ...``."""
    raw = os.environ.get(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and accepts(value)):
        raise error(f"{name}={raw!r}: {expected}")
    return value
