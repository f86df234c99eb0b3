"""Answering a question: bind parameters, run on the store, attach sources."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from kg.answers import provenance, questions, results
from kg.terms import Literal


@dataclass
class Answer:
    """The rows of a query's answer (pyoxigraph terms, ``None`` where unbound), with
    what is needed to render them. An ASK query's answer is ``boolean``, with no rows."""

    query: questions.QueryFile
    columns: list[str]
    rows: list[tuple]
    sources: list[str] | None = None
    meta: dict = field(default_factory=dict)
    boolean: bool | None = None

    def render(self, fmt: str, raw: bool = False) -> str:
        """The answer in one of :data:`kg.answers.results.FORMATS` (``raw``: CSV and TSV
        cells as they are, see :mod:`kg.answers.results`)."""
        if self.boolean is not None:
            return results.render_boolean(fmt, self.boolean, extra=self.meta or None)
        columns, rows = list(self.columns), self.rows
        if self.sources is not None:
            columns.append("sources")
            rows = [tuple(r) + (Literal(s),) for r, s in zip(rows, self.sources)]
        return results.render(fmt, columns, rows, extra=self.meta or None, raw=raw)


def answer(query: questions.QueryFile, given: dict[str, str], *, kg, as_of: _dt.date | None = None,
           with_sources: bool = False, inferred: bool = False, limit: int | None = None) -> Answer:
    """Run ``query`` on ``kg`` (a :class:`kg.store.KnowledgeGraph`), optionally as of a date.

    At most ``limit`` rows are read (the rest of the answer is never computed, where the
    engine can stop early); ``meta["capped_at"]`` says so when there were more.
    """
    bound = questions.bindings(kg, query, given)
    if as_of is not None:
        kg = kg.as_of(as_of)
    result = kg.query(query.text, bound, inferred=inferred)
    meta = {"as_of": as_of.isoformat(), "undated_claims_left_out": [c.value for c in kg.undated_claims]} if as_of else {}
    if result.type == "ASK":
        return Answer(query, [], [], None, meta, boolean=result.boolean)
    rows = []
    for row in result:
        if limit is not None and len(rows) == limit:
            meta["capped_at"] = limit
            break
        rows.append(tuple(row))
    sources = None
    if with_sources:
        sources = [provenance.describe_sources(kg, provenance.sources_for_row(kg, row)) for row in rows]
    return Answer(query, list(result.vars), rows, sources, meta)
