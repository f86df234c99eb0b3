"""Cells a spreadsheet would run as formulas (CSV injection).

A spreadsheet that opens a CSV or TSV file runs a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula: ``=HYPERLINK(...)`` sends the
reader to a stranger's site, ``=cmd|...`` once started programs. OWASP's CSV injection
guidance (https://owasp.org/www-community/attacks/CSV_Injection) is to put a single
quote before such a cell. A plain number (``-5``, ``+1.5E3``) starts with ``-`` or ``+``
too, but a spreadsheet reads it as a number and never runs it: it is left alone.
"""

from __future__ import annotations

import re

STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may run as a formula at the start of a cell."""
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_formula(text: str) -> bool:
    """True when a spreadsheet could run ``text`` as a formula: it starts with one of
    :data:`STARTS` and is not a plain number."""
    return text.startswith(STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """``text`` with a single quote before it when it is a formula (OWASP)."""
    return "'" + text if is_formula(text) else text
