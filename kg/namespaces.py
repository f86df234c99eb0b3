"""The project's namespaces: the one place where their IRIs are written.

The IRIs are plain strings here (``TA_IRI``, ``PREFIXES``), so that reading them costs
nothing at start-up. The same namespaces as rdflib objects (``TA``, ``ID``, ...,
``ONTOLOGY_GRAPH``) are made on first use, for the modules that work with rdflib
(canonical data files, pySHACL, owlrl); the store's own terms are in :mod:`kg.terms`.
"""

from __future__ import annotations

BASE = "https://w3id.org/techauto/"
TA_IRI = BASE + "ontology#"
"""Ontology terms (classes, properties, controlled values)."""
ID_IRI = BASE + "id/"
"""Things the graph describes: companies, plants, places, products ..."""
SRC_IRI = BASE + "source/"
"""Source documents."""
CLAIM_IRI = BASE + "claim/"
"""Claims: one named graph per passage of a source."""
GRAPH_IRI = BASE + "graph/"
"""Named graphs that are not claims (the ontology, inferences)."""
SHAPES_IRI = BASE + "shapes#"
"""SHACL shapes."""

ONTOLOGY_IRI = BASE + "ontology"
ONTOLOGY_GRAPH_IRI = GRAPH_IRI + "ontology"
INFERRED_GRAPH_IRI = GRAPH_IRI + "inferred"
DEFAULT_GRAPH_IRI = GRAPH_IRI + "default"
"""Where the store keeps what files put in their default graph (:mod:`kg.store.layout`)."""

PREFIXES: dict[str, str] = {
    "ta": TA_IRI,
    "id": ID_IRI,
    "src": SRC_IRI,
    "claim": CLAIM_IRI,
    "kgg": GRAPH_IRI,
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "tash": SHAPES_IRI,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vann": "http://purl.org/vocab/vann/",
    "wd": "http://www.wikidata.org/entity/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""Prefixes bound in every graph the project writes, and known to every query."""

_RDFLIB_NAMESPACES = {
    "TA": "ta", "ID": "id", "SRC": "src", "CLAIM": "claim", "GRAPH": "kgg", "SHAPES": "tash",
    "ORG": "org", "SCHEMA": "schema", "SH": "sh", "VANN": "vann", "WD": "wd",
}
_RDFLIB_BUILT_IN = ("DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD")
_RDFLIB_GRAPHS = {"ONTOLOGY_GRAPH": ONTOLOGY_GRAPH_IRI, "INFERRED_GRAPH": INFERRED_GRAPH_IRI}


def __getattr__(name: str):
    """``TA``, ``ID`` ... as rdflib ``Namespace`` objects (``RDF``, ``OWL``, ``PROV`` ... as
    rdflib's own), ``ONTOLOGY_GRAPH`` and
    ``INFERRED_GRAPH`` as rdflib ``URIRef``: rdflib is imported only when they are used."""
    if name in _RDFLIB_NAMESPACES:
        from rdflib import Namespace

        value = Namespace(PREFIXES[_RDFLIB_NAMESPACES[name]])
    elif name in _RDFLIB_BUILT_IN:
        import rdflib.namespace

        value = getattr(rdflib.namespace, name)
    elif name in _RDFLIB_GRAPHS:
        from rdflib import URIRef

        value = URIRef(_RDFLIB_GRAPHS[name])
    else:
        raise AttributeError(f"module 'kg.namespaces' has no attribute {name!r}")
    globals()[name] = value
    return value


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph or dataset, replacing defaults."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def prefixed(iri: str) -> str | None:
    """``iri`` as a prefixed name (``id:xiaomi``) when a project prefix covers it and the
    rest is a plain local name, else None."""
    best = None
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(PREFIXES[best])):
            best = prefix
    if best is None:
        return None
    local = iri[len(PREFIXES[best]):]
    if local and not _is_local_name(local):
        return None
    return f"{best}:{local}"


def _is_local_name(text: str) -> bool:
    """A conservative test for a Turtle/SPARQL local name (letters, digits, ``_-.``)."""
    return (text[0].isalnum() or text[0] == "_") and text[-1] != "." and all(
        c.isalnum() or c in "_-." for c in text)
