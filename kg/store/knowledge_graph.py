"""The knowledge graph: the one place through which all graph access and querying pass.

A :class:`KnowledgeGraph` keeps its quads in Oxigraph (``pyoxigraph.Store``), in memory
or on disk (``--store DIR``, :mod:`kg.store.persistent`), laid out as
:mod:`kg.store.layout` says:

- ``kgg:ontology``: the OWL ontology;
- one named graph per claim (``claim:...``): the facts one passage of a source states;
- ``kgg:default``: what the files put in their default graph (the sources and the claims'
  descriptions, and the triples of a user's files that name no graph);
- ``kgg:inferred``: what reasoning added, only after :meth:`reason`, and seen only by
  ``inferred=True`` queries. On disk, a second store (``reasoned/``) holds everything
  plus the inferences.

SPARQL sees the merge of all these graphs (each triple once) as its default graph, and
``GRAPH ?claim {...}`` reaches one claim. Terms are pyoxigraph's (:mod:`kg.terms`);
:meth:`quads` gives the quads as loaded (the default graph's in the default graph); the
rdflib views (:meth:`rdflib_graph`, :meth:`rdflib_dataset`) are for the libraries that
need rdflib (pySHACL, owlrl).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph

from kg import namespaces, progress, resources
from kg.errors import InputError
from kg.sources import reading
from kg.sparql_text import pattern_start
from kg.store import layout, persistent, timeline
from kg.store.results import Result
from kg.terms import (ASSERTED_DEFAULT, CLAIM, DEFAULT_GRAPH, ID, INFERRED_GRAPH, ONTOLOGY_GRAPH, RDF, RDFS, SKOS,
                      TA, BlankNode, Literal, NamedNode, Quad, Triple)

_SYNTAX_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def _slug(text: str) -> str:
    """The identifier a name spells: "Xiaomi Beijing plant" -> "xiaomi-beijing-plant"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def with_values(text: str, bindings: Mapping[str, object]) -> str:
    """``text`` with a ``VALUES`` block binding ``bindings`` (name -> term) at the start
    of its WHERE pattern, so that the pattern's FILTERs see the values (a query whose
    pattern start is not found gets a trailing ``VALUES`` block). The terms are written
    in N-Triples syntax, never pasted from a user's text.
    """
    names = [name for name, term in bindings.items() if term is not None]
    if not names:
        return text
    for name in names:
        if not isinstance(bindings[name], (NamedNode, Literal, BlankNode)):
            raise TypeError(f"binding {name!r}: {bindings[name]!r} is not a store term (see kg.terms)")
    variables = " ".join(f"?{name}" for name in names)
    row = " ".join(str(bindings[name]) for name in names)
    block = f"VALUES ({variables}) {{ ({row}) }}"
    start = pattern_start(text)
    if start is None:
        return f"{text}\n{block}\n"
    return f"{text[:start]} {block} {text[start:]}"


def _syntax_error(text: str, message: str) -> str:
    """``line:column: SPARQL syntax error: reason`` from Oxigraph's message, an unknown
    prefix named as such."""
    match = _SYNTAX_POSITION.match(message)
    where = f"{match.group(1)}:{match.group(2)}: " if match else ""
    reason = (message[match.end():] if match else message).splitlines()[0]
    if "Prefix not found" in reason:
        declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w.-]*):", text)) | set(namespaces.PREFIXES)
        used = [p for p in re.findall(r"(?<![\w?$<:/#-])([A-Za-z][\w.-]*):(?=[\w])", text) if p not in declared]
        reason = f"unknown prefix {used[0] + ':' if used else ''} (declare it with PREFIX)".replace(" (", " (", 1)
    return f"{where}SPARQL syntax error: {reason[:200]}"


class KnowledgeGraph:
    """Ontology, sourced facts and (after :meth:`reason`) inferences, queried with SPARQL."""

    def __init__(self, store: pyoxigraph.Store | None = None, reasoned: pyoxigraph.Store | None = None,
                 *, location: Path | None = None, read_only: bool = False, sources: list[str] | None = None):
        self.store = store if store is not None else pyoxigraph.Store()
        self.reasoned = reasoned
        """The store ``inferred=True`` reads: ``self.store`` itself once the inferences are
        merged into it (in memory), a store of its own (on disk), or None before reasoning."""
        self._merged = False
        """True when ``kgg:inferred`` sits in ``self.store`` itself (in memory)."""
        self.location = location
        self.read_only = read_only
        self.sources = list(sources or [])
        """What was loaded: file paths, or ``shipped facts`` / ``shipped ontology``."""
        self.notes: list[str] = []
        """What loading found worth telling the user (values the store keeps in another form)."""
        self.undated_claims: tuple[NamedNode, ...] = ()
        """In a graph made by :meth:`as_of`: the undated claims it left out, by name."""

    # -- loading ---------------------------------------------------------------

    @classmethod
    def load(cls, data: Iterable[Path] | None = None, *, ontology: Iterable[Path] | bool | None = None,
             store: Path | None = None, read_only: bool = False) -> "KnowledgeGraph":
        """The graph of ``data`` (files or folders; the shipped facts when None) and the
        ontology (``ontology`` files; the shipped one when None; none when False).

        With ``store`` (a folder), the graph lives on disk: an existing store is opened
        (read-only when ``read_only``) unless ``data`` is given, which reloads it; a new
        folder is filled from ``data`` or the shipped facts.
        """
        if store is not None:
            return cls._on_disk(Path(store), data, ontology, read_only)
        kg = cls()
        kg.sources = _fill(kg.store, data, ontology, kg.notes)
        return kg

    @classmethod
    def _on_disk(cls, folder: Path, data, ontology, read_only: bool) -> "KnowledgeGraph":
        persistent.check_folder(folder)
        if persistent.is_store(folder) and data is None and ontology is None:
            manifest = persistent.read_manifest(folder)
            asserted = persistent.open_store(folder, persistent.ASSERTED, read_only)
            reasoned = None
            if manifest.get("inferred") is not None:
                reasoned = persistent.open_store(folder, persistent.REASONED, read_only)
            return cls(asserted, reasoned, location=folder, read_only=read_only, sources=manifest["sources"])
        built, path = persistent.new_store(folder, persistent.ASSERTED)
        notes: list[str] = []
        try:
            sources = _fill(built, data, ontology, notes, staged=True)
            built.flush()
            count = cls(built)._count_in("{ GRAPH ?g { ?s ?p ?o } }")
        except BaseException:
            del built
            import shutil

            shutil.rmtree(path, ignore_errors=True)
            raise
        del built
        persistent.drop(folder, persistent.REASONED)
        persistent.swap(folder, persistent.ASSERTED, path)
        persistent.write_manifest(folder, {"sources": sources, "quads": count, "inferred": None})
        asserted = persistent.open_store(folder, persistent.ASSERTED, read_only)
        kg = cls(asserted, None, location=folder, read_only=read_only, sources=sources)
        kg.notes = notes
        return kg

    @classmethod
    def remote(cls, endpoint) -> "KnowledgeGraph":
        """The graph on a SPARQL 1.1 server (a :class:`kg.store.remote.Endpoint`), only
        read, over the protocol: see :mod:`kg.store.remote` for the dataset it queries."""
        from kg.store.remote import RemoteStore

        return cls(RemoteStore(endpoint), read_only=True, sources=[endpoint.url])

    @property
    def is_remote(self) -> bool:
        """True for a graph on a SPARQL server (:meth:`remote`)."""
        return not isinstance(self.store, pyoxigraph.Store)

    @classmethod
    def from_quads(cls, quads: Iterable[Quad]) -> "KnowledgeGraph":
        """A graph in memory holding ``quads`` (pyoxigraph ``Quad``; see
        :func:`kg.terms.from_rdflib` to bring rdflib terms), and no ontology."""
        kg = cls(sources=["quads"])
        kg.add_quads(quads)
        return kg

    def add_file(self, path: Path, graph: NamedNode | None = None) -> None:
        """Parse one more file into the graph (checked as any input is)."""
        scratch = pyoxigraph.Store()
        self.notes += reading.load_into_store(scratch, Path(path), graph)
        self._add_settled(scratch)

    def add_text(self, text: str, fmt: str = "trig") -> None:
        """Parse RDF text kg itself made (``trig``, ``turtle``, ``nquads``) into the graph."""
        formats = {"trig": pyoxigraph.RdfFormat.TRIG, "turtle": pyoxigraph.RdfFormat.TURTLE,
                   "nquads": pyoxigraph.RdfFormat.N_QUADS}
        scratch = pyoxigraph.Store()
        scratch.load(text.encode("utf-8"), format=formats[fmt])
        self._add_settled(scratch)

    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads (pyoxigraph ``Quad``; the default graph's as loaded) to the asserted graph."""
        self._forget_inferences()
        self.store.extend(layout.stored(q) for q in quads)
        layout.merge(self.store)

    def _add_settled(self, scratch: pyoxigraph.Store) -> None:
        layout.settle(scratch)
        self._forget_inferences()
        self.store.extend(q for q in scratch if q.graph_name != DEFAULT_GRAPH)
        layout.merge(self.store)

    def _forget_inferences(self) -> None:
        """Drop inferences that the graph is about to outdate."""
        if self._merged and self.store.contains_named_graph(INFERRED_GRAPH):
            self.store.remove_graph(INFERRED_GRAPH)
        self._merged, self.reasoned = False, None

    # -- querying --------------------------------------------------------------

    def query(self, text: str, bindings: Mapping[str, object] | None = None, *, inferred: bool = False) -> Result:
        """Run a SPARQL query over the merge of all graphs (each triple once) as default
        graph, every named graph reachable with ``GRAPH``; the project's prefixes are known.

        ``bindings`` maps variable names to terms, bound by a trailing ``VALUES`` block
        (:func:`with_values`), never pasted into the text. With ``inferred``, the
        inferences of :meth:`reason` are seen too. A syntax error is an
        :class:`InputError` saying ``line:column: reason``.
        """
        store = self._store(inferred)
        dataset = layout.query_dataset(store, inferred, self._merged)
        try:
            raw = store.query(with_values(text, bindings or {}), prefixes=namespaces.PREFIXES, **dataset)
        except SyntaxError as exc:
            raise InputError(_syntax_error(text, str(exc))) from None
        return Result(raw)

    def select(self, text: str, bindings: Mapping[str, object] | None = None, *, inferred: bool = False) -> list:
        """The rows of a SELECT query, as a list."""
        return list(self.query(text, bindings, inferred=inferred))

    def _store(self, inferred: bool) -> pyoxigraph.Store:
        if inferred:
            if self.reasoned is None:
                self.reason()
            return self.reasoned
        return self.store

    def quads(self, subject=None, predicate=None, obj=None, graph=None, *, inferred: bool = False) -> Iterator[Quad]:
        """The quads as loaded matching a pattern (``None`` matches anything; ``graph`` may
        be ``kg.terms.DEFAULT_GRAPH``); with ``inferred``, ``kgg:inferred``'s too."""
        if graph == INFERRED_GRAPH:
            if inferred and self.reasoned is not None:
                yield from self.reasoned.quads_for_pattern(subject, predicate, obj, INFERRED_GRAPH)
            return
        stored_graph = ASSERTED_DEFAULT if graph == DEFAULT_GRAPH else graph
        for quad in self.store.quads_for_pattern(subject, predicate, obj, stored_graph):
            name = quad.graph_name
            if name == DEFAULT_GRAPH or name == INFERRED_GRAPH:
                continue
            yield layout.as_loaded(quad)
        if inferred and graph is None and self.reasoned is not None:
            yield from self.reasoned.quads_for_pattern(subject, predicate, obj, INFERRED_GRAPH)

    def claim_quads(self, subject=None, predicate=None, obj=None) -> Iterator[Quad]:
        """The quads of the claims' graphs (``claim:...``) matching a pattern."""
        for quad in self.store.quads_for_pattern(subject, predicate, obj, None):
            if quad.graph_name in CLAIM:
                yield quad

    def triples(self, subject=None, predicate=None, obj=None, *, inferred: bool = False) -> Iterator[Triple]:
        """The triples matching a pattern, each once whichever graphs state it (facts,
        provenance and ontology: the merge); with ``inferred``, then the inferences."""
        for quad in self.store.quads_for_pattern(subject, predicate, obj, DEFAULT_GRAPH):
            yield quad.triple
        if inferred and self.reasoned is not None:
            for quad in self.reasoned.quads_for_pattern(subject, predicate, obj, INFERRED_GRAPH):
                yield quad.triple

    def has(self, subject, predicate, obj) -> bool:
        """True when some asserted graph (or the ontology) states the triple."""
        return next(self.store.quads_for_pattern(subject, predicate, obj, DEFAULT_GRAPH), None) is not None

    def value(self, subject, predicate, *, graph=None):
        """One object of ``subject predicate ?`` (in ``graph``, else in any asserted graph), or None."""
        if graph is None:
            return next((q.object for q in self.store.quads_for_pattern(subject, predicate, None, DEFAULT_GRAPH)), None)
        return next((q.object for q in self.quads(subject, predicate, None, graph)), None)

    def __len__(self) -> int:
        """The quads as loaded: facts, provenance and ontology."""
        return self._count_in("{ GRAPH ?g { ?s ?p ?o } FILTER(?g != kgg:inferred) }")

    def _count_in(self, pattern: str, store: pyoxigraph.Store | None = None) -> int:
        rows = (store or self.store).query(f"SELECT (COUNT(*) AS ?n) WHERE {pattern}", prefixes=namespaces.PREFIXES)
        return int(next(iter(rows))[0].value)

    def graph_names(self) -> list[NamedNode]:
        """The named graphs as loaded (not ``kgg:default`` nor ``kgg:inferred``), sorted by IRI."""
        hidden = (ASSERTED_DEFAULT, INFERRED_GRAPH)
        return sorted((g for g in self.store.named_graphs() if isinstance(g, NamedNode) and g not in hidden),
                      key=lambda g: g.value)

    def claim_names(self) -> list[NamedNode]:
        """The claims' named graphs, sorted by IRI."""
        return [g for g in self.graph_names() if g in CLAIM]

    def count(self, graph=None) -> int:
        """The number of quads in ``graph`` as loaded (None: all, as :func:`len`)."""
        if graph is None:
            return len(self)
        stored = ASSERTED_DEFAULT if graph == DEFAULT_GRAPH else graph
        return self._count_in(f"{{ GRAPH <{stored.value}> {{ ?s ?p ?o }} }}",
                              self.reasoned if graph == INFERRED_GRAPH and self.reasoned is not None else None)

    def asserted_count(self) -> int:
        """Quads of facts and provenance: everything loaded but the ontology."""
        return len(self) - self.count(ONTOLOGY_GRAPH)

    def inferred_count(self) -> int:
        """Quads of ``kgg:inferred`` (0 before reasoning)."""
        return self.count(INFERRED_GRAPH) if self.reasoned is not None else 0

    @property
    def has_inferences(self) -> bool:
        return self.reasoned is not None

    def in_memory(self) -> "KnowledgeGraph":
        """This graph itself when it is in memory, else a copy of it in memory (to add to)."""
        if self.location is None and not self.is_remote:
            return self
        copy = KnowledgeGraph(sources=self.sources)
        copy.store.bulk_extend(q for q in self.store if q.graph_name != INFERRED_GRAPH)
        if self.is_remote:
            layout.merge(copy.store)
        return copy

    # -- time ------------------------------------------------------------------

    def as_of(self, date: _dt.date) -> "KnowledgeGraph":
        """The graph as its sources stood on ``date``: later claims are left out, and so
        are undated ones, named in the result's :attr:`undated_claims` (see
        :func:`kg.store.timeline.claims_after`); a new graph in memory."""
        rows = self.select(timeline.CLAIM_DATES_QUERY)
        dropped, undated = timeline.claims_after(rows, date, TA.Timeless)
        copy = KnowledgeGraph(sources=self.sources)
        copy.undated_claims = tuple(sorted(undated, key=lambda c: c.value))
        copy.store.bulk_extend(layout.stored(q) for q in self.quads()
                               if q.graph_name not in dropped and q.subject not in dropped)
        layout.merge(copy.store)
        return copy

    # -- reasoning -------------------------------------------------------------

    def reason(self, reasoner: str | None = None):
        """Run OWL RL over everything asserted and keep the inferences in ``kgg:inferred``
        (of a second store, which ``inferred=True`` reads; on disk too with ``--store``).

        ``reasoner`` is ``rules`` (the default) or ``owlrl`` (the reference). Returns the
        :class:`kg.checks.reasoning.ReasoningResult`: what was added, by kind, and any
        inconsistency.
        """
        from kg.checks import reasoning

        if self.is_remote:
            raise InputError(f"{self.sources[0]}: the graph on a SPARQL server is only read here; reasoning "
                             "(--inferred) needs a local graph: leave out --endpoint")
        engine = reasoner or reasoning.DEFAULT_ENGINE
        with progress.phase(f"reasoning ({engine})"):
            triples, engine_errors = reasoning.infer(self, engine)
        quads = [Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH) for t in triples]
        if self.location is None:
            self._forget_inferences()
            self.store.bulk_extend(quads)
            self._merged, self.reasoned = True, self.store
        elif not self.read_only:
            self._keep_on_disk(quads, engine)
        else:
            self.reasoned = pyoxigraph.Store()
            self.reasoned.bulk_extend(self.store)
            self.reasoned.bulk_extend(quads)
        with progress.phase("checking consistency"):
            return reasoning.report(self, triples, engine_errors, engine)

    def _keep_on_disk(self, quads: list[Quad], engine: str) -> None:
        self.reasoned = None
        built, path = persistent.new_store(self.location, persistent.REASONED)
        built.bulk_extend(self.store)
        built.bulk_extend(quads)
        built.flush()
        del built
        persistent.swap(self.location, persistent.REASONED, path)
        manifest = persistent.read_manifest(self.location)
        manifest["inferred"] = {"reasoner": engine, "triples": len(quads)}
        persistent.write_manifest(self.location, manifest)
        self.reasoned = persistent.open_store(self.location, persistent.REASONED, False)

    # -- entities --------------------------------------------------------------

    def label(self, term, lang: str = "en") -> str:
        """The term's label in ``lang`` (else English, else any label), or its local name."""
        if not isinstance(term, (NamedNode, BlankNode)):
            return "" if term is None else term.value
        labels = [q.object for q in self.store.quads_for_pattern(term, RDFS.label, None, DEFAULT_GRAPH)]
        labels += [q.object for q in self.store.quads_for_pattern(term, SKOS.prefLabel, None, DEFAULT_GRAPH)]
        labels = [value for value in labels if isinstance(value, Literal)]
        for wanted in (lang, "en", None):
            for value in labels:
                if wanted is None or value.language == wanted:
                    return value.value
        text = term.value
        return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def labels(self) -> Iterator[tuple[NamedNode, str]]:
        """Every (entity, label) pair of the things the graph describes."""
        for quad in self.store.quads_for_pattern(None, RDFS.label, None, DEFAULT_GRAPH):
            if quad.subject in ID and isinstance(quad.object, Literal):
                yield quad.subject, quad.object.value

    def resolve(self, name: str) -> NamedNode:
        """Find an entity by IRI, ``id:`` name, local name or label (English or French);
        last, a name written as words is tried as the identifier it spells.

        Raises :class:`InputError` naming the closest labels when nothing matches.
        """
        text = name.strip()
        candidate = self._as_iri(text)
        if candidate is not None and self.mentions(candidate):
            return candidate
        folded = text.casefold()
        matches = sorted({s for s, label in self.labels() if label.casefold() == folded}, key=lambda t: t.value)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(namespaces.prefixed(m.value) or m.value for m in matches)
            raise InputError(f"entity {name!r} is ambiguous: {names}")
        spelled = ID[_slug(text)] if _slug(text) else None
        if spelled is not None and self.mentions(spelled):
            return spelled
        raise InputError(f"unknown entity {name!r}{self._suggestions(text)}")

    @staticmethod
    def _as_iri(text: str) -> NamedNode | None:
        """``text`` read as an IRI, a prefixed name or an ``id:`` local name, if it is one."""
        if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text):
            return NamedNode(text)
        prefix, sep, local = text.partition(":")
        if sep and prefix in namespaces.PREFIXES and re.fullmatch(r"[\w.-]*", local):
            return NamedNode(namespaces.PREFIXES[prefix] + local)
        if re.fullmatch(r"[\w.-]+", text):
            return ID[text]
        return None

    def mentions(self, term) -> bool:
        """True when some quad has ``term`` as its subject or object."""
        return (next(self.store.quads_for_pattern(term, None, None, DEFAULT_GRAPH), None) is not None
                or next(self.store.quads_for_pattern(None, None, term, DEFAULT_GRAPH), None) is not None)

    def _suggestions(self, text: str) -> str:
        import difflib

        labels = sorted({label for _, label in self.labels()})
        close = difflib.get_close_matches(text, labels, n=5, cutoff=0.5)
        folded = text.casefold()
        close += [lb for lb in labels if folded and folded in lb.casefold() and lb not in close]
        return f" (closest: {', '.join(close[:5])})" if close else ""

    def types(self, term) -> list[NamedNode]:
        """The asserted ``rdf:type`` values of a term, sorted."""
        found = {q.object for q in self.store.quads_for_pattern(term, RDF.type, None, DEFAULT_GRAPH)}
        return sorted(found, key=lambda t: t.value)

    # -- rdflib views, for the libraries that need them ------------------------

    def rdflib_graph(self, *, ontology: bool = True, asserted: bool = True, inferred: bool = False,
                     graph: NamedNode | None = None):
        """An rdflib ``Graph`` of the chosen parts, merged (graph names dropped); with
        ``graph``, that one named graph only."""
        from rdflib import Graph

        from kg.namespaces import bind_prefixes
        from kg.terms import quiet_rdflib, to_rdflib

        result = Graph()
        bind_prefixes(result)
        convert = _cached(to_rdflib)
        add = result.add
        with quiet_rdflib():
            for quad in self._parts(ontology, asserted, inferred, graph):
                add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        return result

    def rdflib_claims(self) -> list:
        """The claims' named graphs as rdflib ``Graph`` objects, sorted by name."""
        from rdflib import Graph, URIRef

        from kg.terms import quiet_rdflib, to_rdflib

        convert = _cached(to_rdflib)
        graphs = {}
        with quiet_rdflib():
            for quad in self.quads():
                name = quad.graph_name
                if isinstance(name, NamedNode) and name in CLAIM:
                    if name not in graphs:
                        graphs[name] = Graph(identifier=URIRef(name.value))
                    graphs[name].add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        return [graphs[name] for name in sorted(graphs, key=lambda g: g.value)]

    def rdflib_dataset(self, *, ontology: bool = False, inferred: bool = False):
        """An rdflib ``Dataset`` of the asserted graphs (and the chosen others), graph names kept."""
        from rdflib import Dataset, URIRef

        from kg.namespaces import bind_prefixes
        from kg.terms import quiet_rdflib, to_rdflib

        dataset = Dataset()
        bind_prefixes(dataset)
        convert = _cached(to_rdflib)
        with quiet_rdflib():
            for quad in self._parts(ontology, True, inferred, None):
                name = quad.graph_name
                target = (dataset.default_context if isinstance(name, type(DEFAULT_GRAPH))
                          else dataset.graph(URIRef(name.value)))
                target.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        return dataset

    def _parts(self, ontology: bool, asserted: bool, inferred: bool, graph) -> Iterator[Quad]:
        if graph is not None:
            yield from self.quads(None, None, None, graph, inferred=graph == INFERRED_GRAPH)
            return
        for quad in self.quads():
            if quad.graph_name == ONTOLOGY_GRAPH:
                if ontology:
                    yield quad
            elif asserted:
                yield quad
        if inferred:
            yield from self.quads(None, None, None, INFERRED_GRAPH, inferred=True)


def _cached(function):
    from functools import lru_cache

    return lru_cache(maxsize=200_000)(function)


def _load_file(store: pyoxigraph.Store, path: Path, graph, staged: bool) -> list[str]:
    """Parse one file into ``store``; ``staged``: through a settled store in memory, then
    in bulk (on disk, SPARQL updates are transactional and several times slower, and the
    merge of each file's graphs, a set union, adds up to the merge of all)."""
    if not staged:
        return reading.load_into_store(store, path, graph, default_graph=ASSERTED_DEFAULT)
    scratch = pyoxigraph.Store()
    notes = reading.load_into_store(scratch, path, graph, default_graph=ASSERTED_DEFAULT)
    layout.merge(scratch)
    store.bulk_extend(scratch)
    return notes


def _fill(store: pyoxigraph.Store, data, ontology, notes: list[str], staged: bool = False) -> list[str]:
    """Load the ontology and the data into ``store``; return what was loaded; add the
    loaders' notes to ``notes``. ``staged``: each file settled in memory first (for a
    store on disk; memory bounded by the largest file)."""
    loaded = []
    if ontology is None:
        ontology_files, ontology_name = resources.ontology_files(), "shipped ontology"
    elif ontology is False:
        ontology_files, ontology_name = [], None
    else:
        ontology_files = reading.data_files(ontology)
        ontology_name = None
    fact_files = resources.fact_files() if data is None else reading.data_files(data)
    files = [(p, ONTOLOGY_GRAPH) for p in ontology_files] + [(p, None) for p in fact_files]
    with progress.phase("loading", total=len(files), unit="files") as step:
        for path, graph in files:
            step.note(path.name)
            notes += _load_file(store, path, graph, staged)
            step.advance()
    if not staged:  # the files' default graphs went into kgg:default
        with progress.phase("merging the graphs"):
            layout.merge(store)
    if ontology_name:
        loaded.append(ontology_name)
    else:
        loaded += [str(p) for p in ontology_files]
    loaded += ["shipped facts"] if data is None else [str(p) for p in fact_files]
    return loaded
