"""Every shipped question gives one answer on any engine (issue 10 item 6).

Each question runs, with its default parameters and with an example value for each
parameter, on Oxigraph (the :class:`kg.store.KnowledgeGraph` store, as ``kg query`` runs
it) and on rdflib's own SPARQL engine over an rdflib ``Dataset`` of the same quads (the
facts, their sources and the ontology; the default graph the union of every graph, as
the store's is their RDF merge). The answers must be the same row by row, by value (a
decimal ``10000000000.0`` is ``10000000000``) with the same datatypes and language tags,
and in the same order where the question's ``ORDER BY`` fixes one: every shipped
question's does, with keys that compare the same way on any engine. Parameters bind
alike by a ``VALUES`` block (kg's way) and by pyoxigraph's substitutions (SEP-0007).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pyoxigraph
import pytest

from kg import namespaces, resources
from kg.answers import questions
from kg.sparql_text import tokens
from kg.store import layout
from kg.store.knowledge_graph import with_values
from kg.terms import ID, XSD, BlankNode, Literal, NamedNode, from_rdflib

NAMES = sorted(path.stem for path in resources.queries_dir().glob("*.rq"))

EXAMPLES = {
    "announcements-timeline": {"since": "2024-01-01"},
    "brain-suppliers": {"supplier": "id:nvidia"},
    "entrants-by-kind": {"wanted": "chip maker"},
    "facts-by-source": {"source": "src:scmp-3127633"},
    "investments-by-company": {"investor": "id:xiaomi"},
    "investments-per-currency": {"investor": "id:xiaomi"},
    "who-works-with-whom": {"company": "id:qualcomm"},
    "xiaomi-beijing-plant": {"company": "id:evergrande"},
}
"""A value for every parameter of a shipped question, each narrowing its answer."""

CASES = [(name, {}) for name in NAMES] + sorted(EXAMPLES.items())
CASE_IDS = [name + "".join(f"[{k}={v}]" for k, v in params.items()) for name, params in CASES]

_NUMERIC = {XSD[t].value for t in ("integer", "decimal", "float", "double")}
_ORDERED = {XSD[t].value for t in ("date", "dateTime", "gYear", "gYearMonth", "boolean")}


# -- the two engines -------------------------------------------------------------


@pytest.fixture(scope="module")
def rdflib_dataset(shipped_kg):
    """The shipped quads (ontology included) in an rdflib Dataset whose default graph is the union."""
    dataset = shipped_kg.rdflib_dataset(ontology=True)
    dataset.default_union = True
    return dataset


def _bound(kg, name: str, params: dict) -> tuple[questions.QueryFile, dict]:
    query = questions.find(name)
    return query, questions.bindings(kg, query, params)


def on_oxigraph(kg, name: str, params: dict) -> tuple[list[str], list[tuple]]:
    query, bound = _bound(kg, name, params)
    result = kg.query(query.text, bound)
    return list(result.vars), [tuple(map(value_of, row)) for row in result]


def on_rdflib(kg, dataset, name: str, params: dict) -> tuple[list[str], list[tuple]]:
    query, bound = _bound(kg, name, params)
    result = dataset.query(with_values(query.text, bound), initNs=namespaces.PREFIXES)
    return [str(v) for v in result.vars], [tuple(value_of(from_rdflib(term)) for term in row) for row in result]


def value_of(term):
    """A term as a comparable value: an IRI, or a literal's value with its datatype and language."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return ("iri", term.value)
    if isinstance(term, BlankNode):
        return ("blank node",)
    if term.language:
        return ("literal", None, term.language, term.value)
    datatype = term.datatype.value
    if datatype in _NUMERIC:
        return ("literal", datatype, None, Decimal(term.value))
    return ("literal", datatype, None, term.value)


# -- ORDER BY: total, and the same on any engine ---------------------------------------


def _closing(found: list, i: int) -> int:
    """The index of the token closing the parenthesis opened at ``found[i]``."""
    depth = 0
    for j in range(i, len(found)):
        depth += {"(": 1, ")": -1}.get(found[j][1], 0)
        if depth == 0:
            return j
    raise ValueError("unbalanced parentheses")


def order_conditions(text: str) -> list[str]:
    """The expressions of the outer query's ORDER BY, as SPARQL text."""
    found = tokens(text)
    depth, start = 0, None
    for i, (kind, value, _) in enumerate(found):
        depth += {"{": 1, "}": -1}.get(value, 0)
        if depth == 0 and kind == "word" and value.upper() == "BY" and found[i - 1][1].upper() == "ORDER":
            start = i + 1
    assert start is not None, "no ORDER BY in the outer query"
    conditions, i = [], start
    while i < len(found):
        kind, value, offset = found[i]
        if kind == "word" and value.upper() in ("LIMIT", "OFFSET", "VALUES"):
            break
        if kind == "variable":
            conditions.append(value)
            i += 1
            continue
        is_direction = kind == "word" and value.upper() in ("ASC", "DESC")
        opening = i if value == "(" else i + 1
        end = _closing(found, opening)
        close = found[end][2] + 1
        conditions.append(text[found[opening][2] + 1:close - 1] if is_direction else text[offset:close])
        i = end + 1
    return conditions


def group_variables(text: str) -> list[str]:
    """The variables of the outer query's GROUP BY (none when it does not group)."""
    found = tokens(text)
    depth, grouped, names = 0, False, []
    for i, (kind, value, _) in enumerate(found):
        depth += {"{": 1, "}": -1}.get(value, 0)
        if depth == 0 and kind == "word" and value.upper() == "BY" and found[i - 1][1].upper() == "GROUP":
            grouped, names = True, []
        elif grouped and depth == 0 and kind == "variable":
            names.append(value[1:])
        elif grouped and kind == "word":
            grouped = False
    return names


def with_order_keys(text: str, conditions: list[str]) -> str:
    """``text`` whose outer SELECT also projects each ORDER BY expression as ``?_order<i>``."""
    found = tokens(text)
    depth, selected = 0, False
    for kind, value, offset in found:
        if value == "{" and selected:
            break
        if kind == "word" and depth == 0 and value.upper() == "WHERE" and selected:
            break
        selected = selected or (kind == "word" and value.upper() == "SELECT" and depth == 0)
        depth += {"{": 1, "}": -1}.get(value, 0)
    keys = " ".join(f"({condition} AS ?_order{i})" for i, condition in enumerate(conditions))
    return f"{text[:offset]}{keys}\n{text[offset:]}"


def compared_as(term):
    """How ORDER BY compares a key: the kind of value and the value, or None for a key
    whose order SPARQL leaves to the engine (language-tagged strings, durations, blank
    nodes, other datatypes)."""
    if term is None:
        return ("unbound", None)
    if isinstance(term, NamedNode):
        return ("iri", term.value)
    if isinstance(term, Literal) and not term.language:
        datatype = term.datatype.value
        if datatype == XSD.string.value:
            return ("string", term.value)
        if datatype in _NUMERIC:
            return ("number", Decimal(term.value))
        if datatype in _ORDERED:
            return (datatype, term.value)
    return None


def order_problems(kg, name: str, params: dict) -> list[str]:
    """Why the question's ORDER BY does not fix one order on every engine (empty when it
    does): a projected variable that no key mentions (unless the keys cover the GROUP BY
    variables, which make each row unique), a key whose values SPARQL does not
    order or that mixes kinds of value (a date and a year), a key expression that fails
    (an error, where a bare variable may be unbound), rows that tie."""
    query, bound = _bound(kg, name, params)
    conditions = order_conditions(query.text)
    result = kg.query(with_order_keys(query.text, conditions), bound)
    width = len(result.vars) - len(conditions)
    ordered_by = {value[1:] for condition in conditions for kind, value, _ in tokens(condition) if kind == "variable"}
    grouped_by = set(group_variables(query.text))
    problems = [] if grouped_by and grouped_by <= ordered_by else [
        f"no ORDER BY key mentions {variable}" for variable in map(str, result.vars[:width]) if variable not in ordered_by]
    keys_of_row: dict[tuple, set] = {}
    kinds: list[set] = [set() for _ in conditions]
    unordered: dict[int, object] = {}
    failing: set[int] = set()
    for row in result:
        values = list(row)
        keys = [compared_as(term) for term in values[width:]]
        for i, (key, term) in enumerate(zip(keys, values[width:])):
            if key is None:
                unordered.setdefault(i, term)
            elif term is None and not conditions[i].startswith("?"):
                failing.add(i)
            elif key[0] != "unbound":
                kinds[i].add(key[0])
        keys_of_row.setdefault(tuple(map(value_of, values[:width])), set()).add(tuple(keys))
    problems += [f"ORDER BY {conditions[i]} compares {term} as each engine likes" for i, term in unordered.items()]
    problems += [f"ORDER BY {conditions[i]} fails on some rows (rdflib then stops)" for i in sorted(failing)]
    problems += [f"ORDER BY {conditions[i]} mixes {sorted(k)}" for i, k in enumerate(kinds) if len(k - {"iri"}) > 1]
    problems += [f"a row sorts at {len(keys)} places: {row}" for row, keys in keys_of_row.items() if len(keys) > 1]
    ties = Counter(key for keys in keys_of_row.values() for key in keys)
    problems += [f"{count} rows tie at {key}" for key, count in ties.items() if count > 1]
    return problems


# -- the tests -------------------------------------------------------------------------


def test_both_default_graphs_are_the_merge_of_every_graph(shipped_kg, rdflib_dataset):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    in_rdflib = int(next(iter(rdflib_dataset.query(text)))[0])
    assert int(shipped_kg.select(text)[0][0].value) == in_rdflib
    assert in_rdflib < len(shipped_kg)  # a triple that several claims state is counted once


def test_every_parameter_has_an_example():
    declared = {(name, p.name) for name in NAMES for p in questions.find(name).params}
    assert declared == {(name, param) for name, params in EXAMPLES.items() for param in params}


@pytest.mark.parametrize("name, params", CASES, ids=CASE_IDS)
def test_rdflib_and_oxigraph_give_the_same_answer(shipped_kg, rdflib_dataset, name, params):
    columns, rows = on_oxigraph(shipped_kg, name, params)
    expected_columns, expected = on_rdflib(shipped_kg, rdflib_dataset, name, params)
    assert columns == expected_columns
    assert Counter(rows) == Counter(expected)
    assert rows or name.endswith("-violation")
    if not order_problems(shipped_kg, name, params):
        assert rows == expected


@pytest.mark.parametrize("name, params", CASES, ids=CASE_IDS)
def test_every_question_fixes_the_order_of_its_rows(shipped_kg, name, params):
    assert order_problems(shipped_kg, name, params) == []


@pytest.mark.parametrize("name, params", sorted(EXAMPLES.items()), ids=sorted(EXAMPLES))
def test_parameters_bind_alike_by_values_and_by_substitution(shipped_kg, name, params):
    query, bound = _bound(shipped_kg, name, params)
    by_values = [tuple(map(value_of, row)) for row in shipped_kg.query(query.text, bound)]
    dataset = layout.query_dataset(shipped_kg.store, False, shipped_kg.has_inferences)
    substituted = shipped_kg.store.query(query.text, prefixes=namespaces.PREFIXES, **dataset,
                                         substitutions={pyoxigraph.Variable(k): v for k, v in bound.items()})
    assert [tuple(map(value_of, row)) for row in substituted] == by_values
    unbound = [tuple(map(value_of, row)) for row in shipped_kg.query(query.text)]
    assert 0 < len(by_values) < len(unbound)  # the parameter narrows the answer


BROKEN = """\
PREFIX claim: <https://w3id.org/techauto/claim/>
PREFIX id: <https://w3id.org/techauto/id/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX src: <https://w3id.org/techauto/source/>
PREFIX ta: <https://w3id.org/techauto/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
src:report a ta:NewsArticle .
claim:sourced a ta:Claim ; prov:wasDerivedFrom src:report ; ta:hasClaimKind ta:Plan .
claim:unsourced a ta:Claim ; ta:hasClaimKind ta:Plan .
claim:kindless a ta:Claim ; prov:wasDerivedFrom src:report .
claim:sourced { id:a rdfs:label "A"@en . }
claim:unsourced {
  id:b rdfs:label "B"@en , "B"@fr , "B" ; ta:foundedOn "2021"^^xsd:gYear , "2021-11-27"^^xsd:date ;
      ta:staffCount 5 , 40 ; rdfs:seeAlso "C" , id:c .
}
claim:kindless { id:e rdfs:label "E"@en . }
"""


def test_the_violation_check_lists_its_breaches_alike_on_both_engines(tmp_path):
    """Values of every kind (IRIs, a year and a day, numbers, strings in two languages) in one order."""
    from kg.store import KnowledgeGraph

    facts = tmp_path / "broken.trig"
    facts.write_text(BROKEN, encoding="utf-8")
    kg = KnowledgeGraph.load(data=[facts])
    dataset = kg.rdflib_dataset(ontology=True)
    dataset.default_union = True
    name = "statement-without-source-violation"
    columns, rows = on_oxigraph(kg, name, {})
    assert (columns, rows) == on_rdflib(kg, dataset, name, {})
    assert len(rows) == 10 and order_problems(kg, name, {}) == []
    assert [(row[3][1].rsplit("#")[-1], row[4][1:] if row[4][0] == "literal" else row[4]) for row in rows[1:]] == [
        ("label", (XSD.string.value, None, "B")), ("label", (None, "en", "B")), ("label", (None, "fr", "B")),
        ("seeAlso", ("iri", ID["c"].value)), ("seeAlso", (XSD.string.value, None, "C")),
        ("foundedOn", (XSD.gYear.value, None, "2021")), ("foundedOn", (XSD.date.value, None, "2021-11-27")),
        ("staffCount", (XSD.integer.value, None, Decimal(40))), ("staffCount", (XSD.integer.value, None, Decimal(5))),
    ]
