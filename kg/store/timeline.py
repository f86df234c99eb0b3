"""Claims in time: when a claim's ``ta:statedOn`` says it was made, and which claims a
date leaves out (``--as-of``)."""

from __future__ import annotations

import datetime as _dt

from kg.terms import XSD, Literal

CLAIM_DATES_QUERY = """
SELECT ?claim ?stated ?dating WHERE {
  ?claim a ta:Claim .
  OPTIONAL { ?claim ta:statedOn ?stated }
  OPTIONAL { ?claim ta:hasDating ?dating }
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


def claims_after(rows, date: _dt.date, timeless) -> tuple[set, set]:
    """The claims that ``date`` leaves out, and among them the undated ones, from
    ``(claim, stated, dating)`` rows.

    A claim counts from its ``ta:statedOn`` (a year counts from 31 December of that
    year). A claim without a date counts at every date only when it is marked
    ``ta:hasDating ta:Timeless`` (a reference list such as ISO 3166-2); any other undated
    claim (``ta:Undated``) cannot be placed in time: it is left out, and reported as such.
    """
    dropped, undated = set(), set()
    for claim, stated, dating in rows:
        if stated is None:
            if dating != timeless:
                dropped.add(claim)
                undated.add(claim)
        elif (claim_date_end(stated) or date) > date:
            dropped.add(claim)
    return dropped, undated


def left_out_note(command: str, undated_claims) -> str:
    """One line naming the undated claims an "as of" graph left out (or saying there were none)."""
    from kg.terms import short

    claims = list(undated_claims)
    if not claims:
        return f"{command}: no undated claim was left out"
    names = ", ".join(short(claim) for claim in claims)
    plural = "claim" if len(claims) == 1 else "claims"
    return f"{command}: {len(claims)} undated {plural} left out (their sources give no date): {names}"
