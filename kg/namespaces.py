"""The project's namespaces: the one place where their IRIs are written."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/techauto/"
TA = Namespace(BASE + "ontology#")
"""Ontology terms (classes, properties, controlled values)."""
ID = Namespace(BASE + "id/")
"""Things the graph describes: companies, plants, places, products ..."""
SRC = Namespace(BASE + "source/")
"""Source documents."""
CLAIM = Namespace(BASE + "claim/")
"""Claims: one named graph per passage of a source."""
GRAPH = Namespace(BASE + "graph/")
"""Named graphs that are not claims (the ontology, provenance, inferences)."""
SHAPES = Namespace(BASE + "shapes#")
"""SHACL shapes."""

ONTOLOGY_IRI = BASE + "ontology"
ONTOLOGY_GRAPH = GRAPH["ontology"]
PROVENANCE_GRAPH = GRAPH["provenance"]
INFERRED_GRAPH = GRAPH["inferred"]

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "ta": TA,
    "id": ID,
    "src": SRC,
    "claim": CLAIM,
    "kgg": GRAPH,
    "dcterms": DCTERMS,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sh": SH,
    "tash": SHAPES,
    "skos": SKOS,
    "vann": VANN,
    "wd": WD,
    "xsd": XSD,
}
"""Prefixes bound in every graph the project writes, and known to every query."""


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph or dataset, replacing defaults."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)

