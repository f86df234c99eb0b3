"""Claims in time: when a claim's ``ta:statedOn`` says it was made, and which claims a
date leaves out (``--as-of``)."""

from __future__ import annotations

import datetime as _dt

from kg.terms import XSD, Literal

CLAIM_DATES_QUERY = """
SELECT ?claim ?stated ?kind WHERE {
  ?claim a ta:Claim .
  OPTIONAL { ?claim ta:statedOn ?stated }
  OPTIONAL { ?claim ta:hasClaimKind ?kind }
}"""


def claim_date_end(value: Literal | None) -> _dt.date | None:
    """The last day a claim's ``ta:statedOn`` value can mean (a year counts as 31 Dec)."""
    if value is None:
        return None
    lexical, datatype = value.value, value.datatype
    try:
        if datatype == XSD.gYear:
            return _dt.date(int(lexical[:4]), 12, 31)
        if datatype == XSD.gYearMonth:
            year, month = (int(x) for x in lexical[:7].split("-"))
            next_month = _dt.date(year + month // 12, month % 12 + 1, 1)
            return next_month - _dt.timedelta(days=1)
        return _dt.date.fromisoformat(lexical[:10])
    except ValueError:
        return None


def claims_after(rows, date: _dt.date, description) -> set:
    """The claims that ``date`` leaves out, from ``(claim, stated, kind)`` rows.

    A claim counts from its ``ta:statedOn`` (a year counts from 31 December of that
    year). An undated claim is kept only when it is a timeless description (such as
    ISO 3166 geography); any other undated claim cannot be placed in time and is left out.
    """
    dropped = set()
    for claim, stated, kind in rows:
        if stated is None:
            if kind != description:
                dropped.add(claim)
        elif (claim_date_end(stated) or date) > date:
            dropped.add(claim)
    return dropped
