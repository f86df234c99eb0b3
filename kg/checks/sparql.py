"""Checks on a stranger's SPARQL text before anything runs it.

A query (a ``.rq`` file, ``kg query -e``, a request to ``kg serve``) or a SPARQL
constraint of a user's SHACL shapes is cut into tokens as the SPARQL grammar cuts it:
strings, IRIs, comments, variables, prefixed names and language tags are set aside, and
what is left are its keywords. Refused: updates (``INSERT``, ``DELETE``, ``LOAD``,
``CLEAR``, ``DROP`` ...), and ``SERVICE`` and ``FROM`` / ``FROM NAMED`` unless the
network is allowed. This check must hold on its own: Oxigraph's HTTP client, which
``SERVICE`` would use, is not Python code, so the audit hook of :mod:`kg.checks.safety`
never sees it. rdflib (which runs the shapes' SPARQL in pySHACL) decodes ``\\u``
escapes anywhere in a query before parsing, so the text is checked with its escapes
decoded too.
"""

from __future__ import annotations

from kg.errors import InputError
from kg.sparql_text import Keyword, keywords, unescaped

NETWORK_HINT = "pass --allow-network to allow it"
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
PROLOGUE = ("PREFIX", "BASE")
UPDATE_KEYWORDS = ("LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY")


def update_operation(found: list[Keyword]) -> str | None:
    """The update's name when the first keyword after the prologue starts an update."""
    leading = [k.word for k in found if k.word not in PROLOGUE]
    if not leading:
        return None
    first, second = leading[0], leading[1] if len(leading) > 1 else ""
    if first in ("INSERT", "DELETE"):
        return f"{first} {second}" if second in ("DATA", "WHERE") else "DELETE/INSERT"
    if first == "WITH":
        return "DELETE/INSERT"
    return first if first in UPDATE_KEYWORDS else None


def check_query(text: str, where: str, allow_network: bool = False) -> str:
    """Refuse an update, or ``SERVICE`` / ``FROM`` unless ``allow_network``; return the
    query's form (``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``). ``where`` names
    the query in messages (a file, an option, a shape)."""
    form = None
    for variant in dict.fromkeys((text, unescaped(text))):
        found = keywords(variant)
        operation = update_operation(found)
        if operation:
            raise InputError(f"{where}: {operation} refused: only read-only queries run, never updates")
        if not allow_network:
            _refuse_network(found, where)
        form = form or next((k.word for k in found if k.word in QUERY_FORMS), None)
    if form is None:
        raise InputError(f"{where}: not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return form


def _refuse_network(found: list[Keyword], where: str) -> None:
    for i, keyword in enumerate(found):
        following = found[i + 1] if i + 1 < len(found) else None
        if keyword.word == "SERVICE":
            target = keyword.after
            if target.upper() == "SILENT" and following is not None:
                target = following.after
            raise InputError(f"{where}:{keyword.line}: SERVICE {target} refused: it queries a remote "
                             f"endpoint; {NETWORK_HINT}")
        if keyword.word == "FROM":
            target = keyword.after
            if target.upper() == "NAMED" and following is not None:
                target = following.after
            raise InputError(f"{where}:{keyword.line}: FROM {target} refused: it would load a graph from its "
                             f"IRI; {NETWORK_HINT}")


def check_shapes(shapes, allow_network: bool = False, where=None) -> None:
    """Apply :func:`check_query` to every SPARQL text of a SHACL shapes graph (rdflib),
    alone and as pySHACL will run it (:func:`as_pyshacl_runs`).

    ``sh:select``, ``sh:ask`` and ``sh:construct`` (SHACL-SPARQL and SHACL-AF) are
    queries; ``sh:update`` is always refused. ``where(node, predicate)`` names a text's
    shape in messages (default: the node).
    """
    from kg.namespaces import SH

    updating = next(shapes.subjects(SH.update), None)
    if updating is not None:
        raise InputError(f"shape {updating.n3()}: sh:update refused: shapes may only read the graph")
    for keyword in ("select", "ask", "construct"):
        for node, text in sorted(shapes.subject_objects(SH[keyword])):
            name = where(node, SH[keyword]) if where else f"shape {node.n3()}"
            check_query(str(text), f"{name} sh:{keyword}", allow_network)
            full = as_pyshacl_runs(shapes, node, str(text), name)
            if full != str(text):
                check_query(full, f"{name} sh:{keyword} with its sh:prefixes", allow_network)


def as_pyshacl_runs(shapes, node, text: str, where: str = "shapes") -> str:
    """``text`` (the ``sh:select``, ``sh:ask`` or ``sh:construct`` of ``node``) with the
    ``PREFIX`` lines pySHACL writes before it from ``sh:prefixes`` and ``sh:declare``,
    made by pySHACL's own functions (``collect_prefixes``, ``apply_prefixes``)."""
    from types import SimpleNamespace

    from pyshacl.errors import ConstraintLoadError
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    helper = SPARQLQueryHelper(None, node, text)
    helper._shape = SimpleNamespace(sg=SimpleNamespace(graph=shapes))  # all that collect_prefixes reads
    try:
        helper.collect_prefixes()
    except ConstraintLoadError as exc:
        reason = str(exc.args[0] if exc.args else exc).strip().splitlines()[0][:200]
        raise InputError(f"{where}: {reason}") from None
    return helper.apply_prefixes(text)
