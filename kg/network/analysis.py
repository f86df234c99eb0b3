"""Questions asked of the network (:func:`kg.network.convert.to_networkx`): paths, centrality,
the tech–automaker partnership network, communities, neighbourhoods and statistics.

Paths, betweenness and communities ignore edge direction (a statement and its inverse
are one edge in the network); paths still report which way each statement points.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict

from kg.errors import InputError
from kg.terms import TA

MAX_PATHS = 10
EXACT_BETWEENNESS_LIMIT = 2000
"""Above this many nodes, betweenness is estimated from a seeded sample of sources."""
BETWEENNESS_SAMPLE = 300
SEED = 42


_LEFT_OUT_QUERY = """
ASK {
  { ?term a ta:Claim } UNION { ?claim prov:wasDerivedFrom ?term } UNION { ?term a ta:SourceDocument }
  UNION { GRAPH kgg:ontology { ?term ?p ?o } }
}"""


def node_of(kg, graph, name: str) -> str:
    """The network node of an entity named by IRI, ``id:`` name or label."""
    term = kg.resolve(name)
    iri = term.value
    if iri in graph:
        return iri
    if kg.query(_LEFT_OUT_QUERY, {"term": term}).boolean:
        raise InputError(f"{name!r} ({iri}) is not part of the network: claims, sources and ontology terms "
                         "are left out of it by design; name an entity")
    raise InputError(f"entity {name!r} ({iri}) has no ontology class, so it is not in the network")


def _key(node) -> str:
    return str(node)


def ordered_copy(graph, nodes=None):
    """A fresh graph of ``graph``'s type holding ``nodes`` (default: all) and the edges
    between them, each added in sorted order.

    The iteration order of a networkx graph is the order its nodes and edges were added
    in; sets and subgraph views follow hash order, which changes from one process to the
    next. Graphs handed to a layout or a drawing are built with this, so that pictures do
    not depend on ``PYTHONHASHSEED``.
    """
    keep = set(graph) if nodes is None else set(nodes)
    copy = graph.__class__()
    copy.add_nodes_from((n, dict(graph.nodes[n])) for n in sorted(keep, key=_key))
    if graph.is_multigraph():
        edges = [(u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True) if u in keep and v in keep]
    else:
        edges = [(u, v, dict(d)) for u, v, d in graph.edges(data=True) if u in keep and v in keep]
    if not graph.is_directed():
        edges = [(v, u, *rest) if _key(v) < _key(u) else (u, v, *rest) for u, v, *rest in edges]
    copy.add_edges_from(sorted(edges, key=lambda e: tuple(map(_key, e[:-1]))))
    return copy


def undirected(graph):
    """The network as a simple undirected graph (same nodes, one edge per linked pair),
    nodes and edges added in sorted order (see :func:`ordered_copy`)."""
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from((n, dict(d)) for n, d in sorted(graph.nodes(data=True), key=lambda item: _key(item[0])))
    pairs = {tuple(sorted((u, v), key=_key)) for u, v in graph.edges()}
    simple.add_edges_from(sorted(pairs, key=lambda pair: tuple(map(_key, pair))))
    return simple


def is_a(graph, node: str, cls) -> bool:
    """Whether the node belongs to the ontology class ``cls`` (subclasses included)."""
    return cls.value in graph.nodes[node]["classes"].split()


# -- paths ----------------------------------------------------------------------


def _hops(graph, u: str, v: str) -> list[dict]:
    """Every statement linking ``u`` to ``v``, in either direction, as path steps."""
    steps = []
    for direction, (a, b) in (("forward", (u, v)), ("backward", (v, u))):
        for data in (graph.get_edge_data(a, b) or {}).values():
            steps.append({
                "from": u, "from_label": graph.nodes[u]["label"],
                "to": v, "to_label": graph.nodes[v]["label"],
                "property": data["property"], "iri": data["iri"], "direction": direction,
            })
    return steps


def shortest_paths(graph, source: str, target: str, limit: int = MAX_PATHS) -> list[list[dict]]:
    """Up to ``limit`` shortest chains of statements from ``source`` to ``target``.

    Each chain is a list of steps (``from``, ``to``, ``property``, ``iri``,
    ``direction``: ``forward`` when the statement points from ``from`` to ``to``).
    """
    import networkx as nx

    chains = []
    try:
        for nodes in nx.all_shortest_paths(undirected(graph), source, target):
            hops = [_hops(graph, u, v) for u, v in itertools.pairwise(nodes)]
            for chain in itertools.product(*hops):
                chains.append(list(chain))
                if len(chains) == limit:
                    return chains
    except nx.NetworkXNoPath:
        return []
    return chains


# -- centrality and partnerships ------------------------------------------------------


def _ranked(graph, scores: dict, nodes, top: int) -> list[dict]:
    order = sorted(nodes, key=lambda n: (-scores[n], graph.nodes[n]["label"], n))
    return [{"iri": n, "label": graph.nodes[n]["label"], "kind": graph.nodes[n]["kind"],
             "score": scores[n]} for n in order[:top]]


def betweenness(graph) -> tuple[dict, int | None]:
    """Normalised betweenness of every node, and the sample size when estimated."""
    import networkx as nx

    simple = undirected(graph)
    sample = BETWEENNESS_SAMPLE if len(simple) > EXACT_BETWEENNESS_LIMIT else None
    return nx.betweenness_centrality(simple, k=sample, seed=SEED), sample


def centrality(graph, top: int = 10) -> dict:
    """The ``top`` entities by degree and by betweenness, overall and among companies."""
    degree = dict(graph.degree())
    between, sample = betweenness(graph)
    companies = [n for n in graph if is_a(graph, n, TA.Company)]
    result = {"betweenness_sample": sample}
    for measure, scores in (("degree", degree), ("betweenness", between)):
        result[measure] = {
            "all": _ranked(graph, scores, graph.nodes, top),
            "companies": _ranked(graph, scores, companies, top),
        }
    return result


def _groups(graph) -> dict[str, set[str]]:
    """Organizations that share a joint venture, an alliance or an agreement, per hub."""
    groups = defaultdict(set)
    for u, v, key in graph.edges(keys=True):
        if key == "isStakeIn" and is_a(graph, v, TA.JointVenture):
            groups[v].update(o for _, o, k in graph.out_edges(u, keys=True) if k == "hasOwner")
        elif key == "isMemberOf":
            groups[v].add(u)
        elif key == "hasParty":
            groups[u].add(v)
    return groups


def partnerships(graph):
    """The tech company–automaker network: an edge per pair linked by ``isPartnerOf``,
    by co-owning a joint venture, by membership of one alliance or by one agreement.

    Edge attribute ``via``: sorted labels of what links them (``partner`` for
    ``isPartnerOf``).
    """
    import networkx as nx

    tech = {n for n in graph if is_a(graph, n, TA.TechnologyCompany)}
    makers = {n for n in graph if is_a(graph, n, TA.Automaker)}
    links = defaultdict(set)
    for u, v, key in graph.edges(keys=True):
        if key == "isPartnerOf":
            links[frozenset((u, v))].add("partner")
    for hub, members in _groups(graph).items():
        for pair in itertools.combinations(sorted(members), 2):
            links[frozenset(pair)].add(graph.nodes[hub]["label"])
    projection = nx.Graph()
    for pair in sorted(links, key=sorted):
        t, a = sorted(pair)
        if (t in makers and a in tech) or (t in tech and a in makers):
            t, a = (t, a) if t in tech else (a, t)
            for node, role in ((t, "technology company"), (a, "automaker")):
                projection.add_node(node, label=graph.nodes[node]["label"], role=role)
            projection.add_edge(t, a, via=sorted(links[pair]))
    return projection


def partnership_pairs(projection) -> list[dict]:
    """The partnership network's edges, technology company first, sorted by labels."""
    rows = []
    for u, v, via in projection.edges(data="via"):
        tech, maker = (u, v) if projection.nodes[u]["role"] == "technology company" else (v, u)
        rows.append({"technology_company": projection.nodes[tech]["label"], "tech_iri": tech,
                     "automaker": projection.nodes[maker]["label"], "automaker_iri": maker, "via": via})
    return sorted(rows, key=lambda r: (r["technology_company"], r["automaker"]))


def sought_after_automakers(projection) -> list[dict]:
    """Automakers ranked by their number of distinct technology-company partners."""
    makers = [n for n, role in projection.nodes(data="role") if role == "automaker"]
    rows = [{"iri": n, "label": projection.nodes[n]["label"],
             "partners": sorted(projection.nodes[p]["label"] for p in projection[n])} for n in makers]
    return sorted(rows, key=lambda r: (-len(r["partners"]), r["label"]))


# -- communities, neighbourhoods, statistics ----------------------------------------------


def clusters(simple) -> list[set]:
    """Louvain communities (seeded) of a simple undirected graph, largest first."""
    import networkx as nx

    found = nx.community.louvain_communities(simple, seed=SEED)
    return sorted(found, key=lambda c: (-len(c), min(map(str, c))))


def communities(graph) -> list[list[str]]:
    """The network's communities (:func:`clusters`), largest first; members sorted by label."""
    found = clusters(undirected(graph))
    label = lambda n: (graph.nodes[n]["label"], n)  # noqa: E731
    groups = [sorted(c, key=label) for c in found]
    return sorted(groups, key=lambda c: (-len(c), label(c[0])))


def ego(graph, center: str, radius: int = 1):
    """The sub-network of nodes within ``radius`` steps of ``center``, either direction."""
    import networkx as nx

    if radius < 0:
        raise InputError(f"--radius must be 0 or more, not {radius}")
    nearby = nx.ego_graph(graph, center, radius=radius, undirected=True)
    return ordered_copy(graph, nearby)


def stats(graph) -> dict:
    """Counts of nodes, edges and weakly connected components; degrees per kind."""
    import networkx as nx

    components = list(nx.weakly_connected_components(graph))
    degrees = defaultdict(list)
    for node, degree in graph.degree():
        degrees[graph.nodes[node]["kind"]].append(degree)
    by_kind = [{"kind": kind, "nodes": len(d), "min": min(d), "mean": round(statistics.fmean(d), 2),
                "median": statistics.median(d), "max": max(d)} for kind, d in degrees.items()]
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "degree_by_kind": sorted(by_kind, key=lambda r: (-r["nodes"], r["kind"])),
    }
