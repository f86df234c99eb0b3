"""What a SPARQL query gives back from the store: rows, a boolean, or triples."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator

from pyoxigraph import QueryBoolean, QuerySolutions, QueryTriples, RdfFormat


class Result:
    """The answer of one query: ``type`` is ``SELECT``, ``ASK`` or ``CONSTRUCT``.

    A SELECT result iterates once over its rows, lazily (stop early to save work): each
    row is a tuple of terms (``None`` where unbound) with the variables as attributes
    (``row.claim``). ``vars`` names the columns; ``boolean`` is an ASK's answer; a
    CONSTRUCT or DESCRIBE result iterates over ``pyoxigraph.Triple``.
    """

    def __init__(self, raw):
        self._raw = raw
        self.boolean: bool | None = None
        self.vars: list[str] = []
        if isinstance(raw, QuerySolutions):
            self.type = "SELECT"
            self.vars = [v.value for v in raw.variables]
            self._row = namedtuple("Row", self.vars, rename=True)
        elif isinstance(raw, QueryBoolean):
            self.type = "ASK"
            self.boolean = bool(raw)
        elif isinstance(raw, QueryTriples):
            self.type = "CONSTRUCT"
        else:  # pragma: no cover - pyoxigraph has no other kind
            raise TypeError(f"unknown query result {type(raw).__name__}")

    def __iter__(self) -> Iterator:
        if self.type == "SELECT":
            make = self._row._make
            for solution in self._raw:  # a solution iterates over its values, None where unbound
                yield make(solution)
        elif self.type == "CONSTRUCT":
            yield from self._raw

    def ntriples(self) -> bytes:
        """A CONSTRUCT or DESCRIBE result as N-Triples, written by Oxigraph (no Python
        object per triple)."""
        if self.type != "CONSTRUCT":
            raise TypeError(f"a {self.type} result has no triples")
        return self._raw.serialize(format=RdfFormat.N_TRIPLES)

    def write_ntriples(self, out) -> None:
        """Write a CONSTRUCT or DESCRIBE result as N-Triples to the binary file ``out``,
        streamed by Oxigraph (the result is never whole in memory)."""
        if self.type != "CONSTRUCT":
            raise TypeError(f"a {self.type} result has no triples")
        self._raw.serialize(out, format=RdfFormat.N_TRIPLES)
