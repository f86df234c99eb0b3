"""RDF terms as the store gives them (pyoxigraph), and the few helpers the code needs.

The store (:class:`kg.store.KnowledgeGraph`) speaks pyoxigraph's terms: ``NamedNode``,
``BlankNode``, ``Literal`` (``.value`` is the IRI, the blank node's id or the literal's
lexical form). ``TA.Plan``, ``ID["xiaomi"]`` ... make them from the project's
namespaces. :func:`to_rdflib` and :func:`from_rdflib` cross over to rdflib, for the
modules that use it (pySHACL, owlrl, canonical data files).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple

from kg import namespaces

__all__ = ["BlankNode", "DefaultGraph", "Literal", "NamedNode", "Quad", "Triple"]


class Vocabulary:
    """A namespace whose attributes and items are ``NamedNode`` terms: ``TA.Plan``."""

    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return NamedNode(self.base + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)

    def __contains__(self, term) -> bool:
        return isinstance(term, NamedNode) and term.value.startswith(self.base)

    def __repr__(self) -> str:
        return f"Vocabulary({self.base!r})"


P = namespaces.PREFIXES
TA, ID, SRC, CLAIM, GRAPH = (Vocabulary(P[k]) for k in ("ta", "id", "src", "claim", "kgg"))
RDF, RDFS, OWL, XSD = (Vocabulary(P[k]) for k in ("rdf", "rdfs", "owl", "xsd"))
PROV, SKOS, DCTERMS, SH = (Vocabulary(P[k]) for k in ("prov", "skos", "dcterms", "sh"))
ONTOLOGY_GRAPH = NamedNode(namespaces.ONTOLOGY_GRAPH_IRI)
INFERRED_GRAPH = NamedNode(namespaces.INFERRED_GRAPH_IRI)
ASSERTED_DEFAULT = NamedNode(namespaces.DEFAULT_GRAPH_IRI)
DEFAULT_GRAPH = DefaultGraph()

COLLAPSED_DATATYPES = {
    **{XSD[t].value: XSD.integer.value for t in (
        "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
        "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")},
    XSD.dateTimeStamp.value: XSD.dateTime.value,
}
"""Datatypes that Oxigraph keeps as their primitive type: a valid ``"1"^^xsd:positiveInteger``
is stored (and exported) as ``"1"^^xsd:integer``, the same value. Oxigraph also writes
typed values in their canonical form (``10000000000.0`` as ``10000000000``, ``+5`` as
``5``, ``P12M`` as ``P1Y``); values outside its range are kept as written."""


def stored_datatype(datatype: str) -> str:
    """The datatype IRI under which the store keeps a valid value of ``datatype``."""
    return COLLAPSED_DATATYPES.get(datatype, datatype)


_INTEGER_TYPES = {XSD[t].value for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}


def is_iri(term) -> bool:
    return isinstance(term, NamedNode)


def is_literal(term) -> bool:
    return isinstance(term, Literal)


def is_entity(term) -> bool:
    """True for the things the graph describes (``id:``), not claims, sources or terms."""
    return isinstance(term, NamedNode) and term.value.startswith(namespaces.ID_IRI)


def text(term) -> str:
    """The term as plain text: an IRI, a blank node's id, a literal's lexical form."""
    return "" if term is None else term.value


def n3(term) -> str:
    """The term in N-Triples syntax (``<iri>``, ``_:b``, ``"x"@en``)."""
    return str(term)


def short(term) -> str:
    """An IRI as a prefixed name where a project prefix covers it (``id:xiaomi``), else
    ``<iri>``; other terms as :func:`text`."""
    if isinstance(term, NamedNode):
        return namespaces.prefixed(term.value) or f"<{term.value}>"
    return text(term)


def python_value(term):
    """A literal's value: int, Decimal, float, bool or date where its datatype says so
    and its lexical form is valid; else the lexical form. Other terms unchanged."""
    if not isinstance(term, Literal):
        return term
    datatype, lexical = term.datatype.value, term.value
    try:
        if datatype in _INTEGER_TYPES:
            return int(lexical)
        if datatype == XSD.decimal.value:
            return Decimal(lexical)
        if datatype in (XSD.double.value, XSD.float.value):
            return float(lexical)
        if datatype == XSD.boolean.value:
            return {"true": True, "1": True, "false": False, "0": False}[lexical.strip()]
        if datatype == XSD.date.value:
            return _dt.date.fromisoformat(lexical[:10])
    except (ValueError, KeyError, InvalidOperation):
        return lexical
    return lexical


def comparable(term):
    """A key under which equal values meet (300000 equals 300000.0); terms that are
    not literals, and literals of other datatypes, stand for themselves."""
    if isinstance(term, Literal):
        value = python_value(term)
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return ("number", Decimal(value) if not isinstance(value, float) else value)
        return ("literal", term.value, term.datatype.value, term.language or "")
    return ("term", str(term))


def literal(value) -> Literal:
    """A typed literal from a Python value (int, Decimal, float, bool, date, str)."""
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(str(value), datatype=XSD.integer)
    if isinstance(value, Decimal):
        return Literal(str(value), datatype=XSD.decimal)
    if isinstance(value, float):
        return Literal(repr(value), datatype=XSD.double)
    if isinstance(value, _dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    return Literal(str(value))


# -- crossing over to rdflib ---------------------------------------------------------------


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """While active, rdflib does not log ill-typed literals ("Failed to convert Literal
    lexical form"): SHACL reports them, a traceback on standard error would not help."""
    import logging

    logger = logging.getLogger("rdflib.term")
    disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = disabled


def to_rdflib(term):
    """The rdflib term of a pyoxigraph term (None stays None)."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD.string.value:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    if isinstance(term, DefaultGraph):
        return None
    raise TypeError(f"not an RDF term: {term!r}")


def from_rdflib(term):
    """The pyoxigraph term of an rdflib term (None stays None)."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        if term.datatype is not None:
            return Literal(str(term), datatype=NamedNode(str(term.datatype)))
        return Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
