"""The knowledge graph: the one place through which all graph access and querying pass.

A :class:`KnowledgeGraph` holds an rdflib :class:`~rdflib.Dataset` laid out as:

- ``kgg:ontology``: the OWL ontology;
- one named graph per claim (``claim:...``): the facts one passage of a source states;
- the default graph: the sources and the claims' descriptions (provenance);
- ``kgg:input/...``: files the user gave on the command line;
- ``kgg:inferred``: triples added by OWL RL reasoning, only after :meth:`reason`.

SPARQL sees the union of all graphs as its default graph, and ``GRAPH ?claim {...}``
reaches one claim. To move to a SPARQL server later, this class is what changes.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg import loading, resources
from kg.errors import InputError
from kg.namespaces import (
    CLAIM,
    GRAPH,
    ID,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    TA,
    bind_prefixes,
)

def _new_dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    return dataset


def claim_date_end(value: Literal) -> _dt.date | None:
    """The last day a claim's ``ta:statedOn`` value can mean (a year counts as 31 Dec)."""
    if value is None:
        return None
    if value.datatype == XSD.gYear:
        return _dt.date(int(str(value)[:4]), 12, 31)
    if value.datatype == XSD.gYearMonth:
        year, month = (int(x) for x in str(value)[:7].split("-"))
        next_month = _dt.date(year + month // 12, month % 12 + 1, 1)
        return next_month - _dt.timedelta(days=1)
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _slug(text: str) -> str:
    """The identifier a name spells: "Xiaomi Beijing plant" -> "xiaomi-beijing-plant"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def comparable(term):
    """A literal's value (300000 equals 300000.0), any other term itself."""
    return term.toPython() if isinstance(term, Literal) else term


def merged(dataset: Dataset) -> Graph:
    """Every triple of every graph of ``dataset`` in one graph (graph names dropped)."""
    union = Graph()
    bind_prefixes(union)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


class KnowledgeGraph:
    """Ontology, sourced facts and (optionally) inferences, queried with SPARQL."""

    undated_claims: tuple[URIRef, ...] = ()
    """In a graph made by :meth:`as_of`: the undated claims that were left out, by name."""

    def __init__(self, dataset: Dataset | None = None):
        self.dataset = dataset if dataset is not None else _new_dataset()

    # -- loading ---------------------------------------------------------------

    @classmethod
    def load(
        cls,
        fact_files: Iterable[Path] | None = None,
        extra_files: Iterable[Path] = (),
        ontology: bool = True,
    ) -> "KnowledgeGraph":
        """Load the ontology, the facts (the shipped ones by default) and extra files."""
        kg = cls()
        if ontology:
            for path in resources.ontology_files():
                loading.read_into(kg.dataset, path, ONTOLOGY_GRAPH)
        for path in resources.fact_files() if fact_files is None else fact_files:
            loading.read_into(kg.dataset, Path(path))
        for path in extra_files:
            path = Path(path)
            loading.read_into(kg.dataset, path, GRAPH["input/" + path.name])
        return kg

    # -- views -----------------------------------------------------------------

    def graph(self, name: URIRef) -> Graph:
        """One named graph of the dataset."""
        return self.dataset.graph(name)

    def claim_graphs(self) -> list[Graph]:
        """The claims' named graphs, sorted by name."""
        graphs = [g for g in self.dataset.graphs() if str(g.identifier).startswith(str(CLAIM))]
        return sorted(graphs, key=lambda g: str(g.identifier))

    def _graphs_except(self, excluded: set[URIRef]) -> Graph:
        return merged(self.select_graphs(lambda name, subject: name not in excluded))

    def asserted(self) -> Graph:
        """Every asserted triple (facts and provenance), without ontology or inferences."""
        return self._graphs_except({ONTOLOGY_GRAPH, INFERRED_GRAPH})

    def union(self) -> Graph:
        """All triples of all graphs in one graph: ontology, facts and inferences."""
        return self._graphs_except(set())

    def asserted_dataset(self) -> Dataset:
        """A copy of the dataset without the ontology and the inferences (for TriG)."""
        return self.select_graphs(lambda name, subject: name not in (ONTOLOGY_GRAPH, INFERRED_GRAPH))

    def select_graphs(self, keep) -> Dataset:
        """A new dataset of the quads for which ``keep(graph_name, subject)`` is true."""
        copy = _new_dataset()
        default_id = self.dataset.default_context.identifier
        for s, p, o, g in self.dataset.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, Graph) else g
            if keep(name, s):
                target = copy.default_context if name == default_id else copy.graph(name)
                target.add((s, p, o))
        return copy

    def entity_sources(self) -> dict[URIRef, set[URIRef]]:
        """For each subject stated in a claim, the claims that state it."""
        index: dict[URIRef, set[URIRef]] = {}
        for graph in self.claim_graphs():
            for subject in set(graph.subjects()):
                index.setdefault(subject, set()).add(graph.identifier)
        return index

    # -- time ------------------------------------------------------------------

    def as_of(self, date: _dt.date) -> "KnowledgeGraph":
        """The graph as its sources stood on ``date``: later claims are left out.

        A claim counts from its ``ta:statedOn`` (a year counts from 31 December of that
        year). A claim without a date counts at every date only when it is marked
        ``ta:hasDating ta:Timeless`` (a reference list such as ISO 3166-2); any other undated
        claim (``ta:Undated``) cannot be placed in time: it is left out, and named in the
        result's :attr:`undated_claims` so that answers report it as undated.
        """
        dropped, undated = set(), set()
        for graph in self.claim_graphs():
            claim = graph.identifier
            stated = self.dataset.value(claim, TA.statedOn)
            if stated is None:
                if self.dataset.value(claim, TA.hasDating) != TA.Timeless:
                    dropped.add(claim)
                    undated.add(claim)
            elif (claim_date_end(stated) or date) > date:
                dropped.add(claim)
        result = KnowledgeGraph(
            self.select_graphs(lambda name, subject: name not in dropped and subject not in dropped)
        )
        result.undated_claims = tuple(sorted(undated, key=str))
        return result

    # -- querying --------------------------------------------------------------

    def query(self, text: str, bindings: Mapping[str, object] | None = None):
        """Run a SPARQL query over the union of all graphs; project prefixes are known.

        ``bindings`` maps variable names to rdflib terms; they are bound by rdflib
        (``initBindings``), never pasted into the text.
        """
        return self.dataset.query(
            text,
            initNs=dict(PREFIXES),
            initBindings={k: v for k, v in (bindings or {}).items()},
        )

    # -- reasoning -------------------------------------------------------------

    def reason(self):
        """Run OWL RL over everything asserted; keep the new triples in ``kgg:inferred``.

        Returns the :class:`kg.reasoning.ReasoningResult` (what was added, by kind, and
        any inconsistency).
        """
        from kg import reasoning

        target = self.dataset.graph(INFERRED_GRAPH)
        target.remove((None, None, None))
        result = reasoning.reason(self.union(), self.graph(ONTOLOGY_GRAPH), self.claim_graphs())
        for triple in result.inferred:
            target.add(triple)
        return result

    # -- entities --------------------------------------------------------------

    def label(self, term: URIRef, lang: str = "en") -> str:
        """The term's label in ``lang`` (else any label), or its local name."""
        labels = list(self.dataset.objects(term, RDFS.label)) + list(
            self.dataset.objects(term, SKOS.prefLabel)
        )
        for wanted in (lang, "en", None):
            for value in labels:
                if getattr(value, "language", None) == wanted or wanted is None:
                    return str(value)
        text = str(term)
        return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def labels(self) -> Iterator[tuple[URIRef, str]]:
        """Every (entity, label) pair of the things the graph describes."""
        for s, o in self.dataset.subject_objects(RDFS.label):
            if isinstance(s, URIRef) and str(s).startswith(str(ID)):
                yield s, str(o)

    def resolve(self, name: str) -> URIRef:
        """Find an entity by IRI, ``id:`` name, local name or label (English or French);
        last, a name written as words is tried as the identifier it spells.

        Raises :class:`InputError` naming the closest labels when nothing matches.
        """
        text = name.strip()
        candidate = self._as_iri(text)
        if candidate is not None and self._mentions(candidate):
            return candidate
        folded = text.casefold()
        matches = sorted({s for s, label in self.labels() if label.casefold() == folded})
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(m.n3(self.dataset.namespace_manager) for m in matches)
            raise InputError(f"entity {name!r} is ambiguous: {names}")
        spelled = ID[_slug(text)] if _slug(text) else None
        if spelled is not None and self._mentions(spelled):
            return spelled
        raise InputError(f"unknown entity {name!r}{self._suggestions(text)}")

    @staticmethod
    def _as_iri(text: str) -> URIRef | None:
        """``text`` read as an IRI, a prefixed name or an ``id:`` local name, if it is one."""
        if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text):
            return URIRef(text)
        prefix, sep, local = text.partition(":")
        if sep and prefix in PREFIXES and re.fullmatch(r"[\w.-]*", local):
            return URIRef(str(PREFIXES[prefix]) + local)
        if re.fullmatch(r"[\w.-]+", text):
            return ID[text]
        return None

    def _mentions(self, term: URIRef) -> bool:
        return (term, None, None) in self.dataset or (None, None, term) in self.dataset

    def _suggestions(self, text: str) -> str:
        import difflib

        labels = sorted({label for _, label in self.labels()})
        close = difflib.get_close_matches(text, labels, n=5, cutoff=0.5)
        folded = text.casefold()
        close += [lb for lb in labels if folded and folded in lb.casefold() and lb not in close]
        return f" (closest: {', '.join(close[:5])})" if close else ""

    def types(self, term: URIRef) -> list[URIRef]:
        """The asserted ``rdf:type`` values of a term, sorted."""
        return sorted(set(self.dataset.objects(term, RDF.type)))
