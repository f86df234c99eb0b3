"""Answering a question: load the graph, bind parameters, run, attach sources."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from rdflib import Literal

from kg import provenance, queries, results
from kg.store import KnowledgeGraph


@dataclass
class Answer:
    """The rows of a query's answer, with what is needed to render them."""

    query: queries.QueryFile
    columns: list[str]
    rows: list[list]
    kg: KnowledgeGraph
    sources: list[str] | None = None
    meta: dict = field(default_factory=dict)

    def render(self, fmt: str) -> str:
        columns, rows = list(self.columns), [list(r) for r in self.rows]
        if self.sources is not None:
            columns.append("sources")
            rows = [r + [Literal(s)] for r, s in zip(rows, self.sources)]
        nsm = self.kg.dataset.namespace_manager
        return results.render(fmt, columns, rows, nsm, extra=self.meta or None)


def answer(query: queries.QueryFile, given: dict[str, str], *, kg: KnowledgeGraph | None = None,
           as_of: _dt.date | None = None, with_sources: bool = False, prepared=None) -> Answer:
    """Run ``query`` on the shipped graph (or ``kg``), optionally as of a date.

    ``prepared`` is the query already parsed (and checked) by :func:`kg.queries.check_syntax`;
    without it the query's text is run. An ASK query answers one row, ``answer``.
    """
    kg = kg if kg is not None else KnowledgeGraph.load()
    bound = queries.bindings(kg, query, given)
    if as_of is not None:
        kg = kg.as_of(as_of)
    result = kg.query(prepared if prepared is not None else query.text, bound)
    if result.type == "ASK":
        columns, rows = ["answer"], [[Literal(result.askAnswer)]]
    else:
        columns = [str(v) for v in result.vars]
        rows = [list(row) for row in result]
    meta = {"as_of": as_of.isoformat(), "undated_claims_left_out": [str(c) for c in kg.undated_claims]} if as_of else {}
    sources = None
    if with_sources:
        sources = [provenance.describe_sources(kg, provenance.sources_for_row(kg, row)) for row in rows]
    return Answer(query, columns, rows, kg, sources, meta)
