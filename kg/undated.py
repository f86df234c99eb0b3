"""Claims without a date, and how "as of" answers report the ones they leave out.

A claim carries a ``ta:statedOn`` date, or else says why it has none with ``ta:hasDating``:
``ta:Timeless`` (a reference list such as ISO 3166-2, counted at every date) or
``ta:Undated`` (the source's date is not recorded). :meth:`kg.store.KnowledgeGraph.as_of`
leaves undated claims out and names them in ``undated_claims``; this module words that for
people.
"""

from __future__ import annotations


def left_out_note(command: str, kg) -> str:
    """One line naming the undated claims an "as of" graph left out (or saying there were none)."""
    claims = list(getattr(kg, "undated_claims", ()))
    if not claims:
        return f"{command}: no undated claim was left out"
    nsm = kg.dataset.namespace_manager
    names = ", ".join(claim.n3(nsm) for claim in claims)
    plural = "claim" if len(claims) == 1 else "claims"
    return f"{command}: {len(claims)} undated {plural} left out (their sources give no date): {names}"
