"""The ontology: header, labels in English and French, definitions, alignments."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

import kg
from kg import resources
from kg.namespaces import ONTOLOGY_IRI, ORG, PROV, SCHEMA, TA, VANN, WD


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in resources.ontology_files():
        graph.parse(path)
    return graph


def _terms(ontology: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, TA.Concept, SKOS.ConceptScheme)
    return sorted({s for k in kinds for s in ontology.subjects(RDF.type, k) if str(s).startswith(str(TA))})


def test_header_has_version_title_description_licence_and_prefix(ontology):
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(header, OWL.versionIRI)).endswith("/" + kg.__version__)
    assert str(ontology.value(header, OWL.versionInfo)) == kg.__version__
    assert {t.language for t in ontology.objects(header, DCTERMS.title)} == {"en", "fr"}
    assert ontology.value(header, DCTERMS.description) is not None
    assert str(ontology.value(header, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert str(ontology.value(header, VANN.preferredNamespacePrefix)) == "ta"
    assert str(ontology.value(header, VANN.preferredNamespaceUri)) == str(TA)


def test_every_term_has_english_and_french_label_and_a_definition(ontology):
    terms = _terms(ontology)
    assert len(terms) > 100
    missing = [
        t for t in terms
        if {lb.language for lb in ontology.objects(t, RDFS.label)} < {"en", "fr"}
        or (t, SKOS.definition, None) not in ontology
    ]
    assert missing == []


def test_labels_are_unique_per_language(ontology):
    labels = Counter((str(o), o.language) for t in _terms(ontology) for o in ontology.objects(t, RDFS.label))
    assert [label for label, n in labels.items() if n > 1] == []


def test_required_classes_exist_with_their_parents(ontology):
    expected = {
        TA.TechnologyCompany: TA.Company, TA.Automaker: TA.Company, TA.JointVenture: TA.Company,
        TA.ManufacturingPlant: TA.Facility, TA.Acquisition: TA.Investment, TA.VehicleModel: TA.Product,
        TA.City: TA.Place, TA.Country: TA.Place, TA.District: TA.Place, TA.NewsArticle: TA.SourceDocument,
    }
    for cls, parent in expected.items():
        assert (cls, RDFS.subClassOf, parent) in ontology, cls


def test_alignments_to_org_prov_schema_and_wikidata(ontology):
    assert (TA.Organization, RDFS.subClassOf, ORG.Organization) in ontology
    assert (TA.Organization, SKOS.exactMatch, SCHEMA.Organization) in ontology
    assert (TA.Company, SKOS.closeMatch, WD.Q783794) in ontology
    assert (TA.SourceDocument, RDFS.subClassOf, PROV.Entity) in ontology
    assert (TA.Facility, RDFS.subClassOf, ORG.Site) in ontology


def test_inverses_and_transitive_location(ontology):
    assert (TA.operates, OWL.inverseOf, TA.isOperatedBy) in ontology
    assert (TA.hasPhase, OWL.inverseOf, TA.isPhaseOf) in ontology
    assert (TA.locatedIn, RDF.type, OWL.TransitiveProperty) in ontology


def test_quantities_are_typed(ontology):
    from rdflib.namespace import XSD

    assert ontology.value(TA.plannedAnnualCapacity, RDFS.range) == XSD.integer
    assert ontology.value(TA.amount, RDFS.range) == XSD.decimal
    # outside the OWL 2 datatype map, so not an rdfs:range (tests/test_owl_dl.py)
    assert ontology.value(TA.duration, RDFS.range) is None
    assert ontology.value(TA.duration, SCHEMA.rangeIncludes) == XSD.duration
    assert "ISO 4217" in str(ontology.value(TA.currency, SKOS.definition))
