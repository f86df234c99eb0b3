"""techauto-kg: a knowledge graph of technology companies entering the car industry.

The pipeline, as the package lays it out:

- sources in: ``kg/facts/`` (sourced facts as TriG, one named graph per claim),
  ``ontology/`` (the OWL ontology and its SHACL shapes), ``kg.loading`` (parsing);
- reasoning and validation: ``kg.reasoning`` (OWL RL), ``kg.validation`` (SHACL);
- answers and exports out: ``queries/`` with ``kg.queries``, ``kg.export``.

All graph access and querying goes through :class:`kg.store.KnowledgeGraph`.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "KnowledgeGraph"]


def __getattr__(name: str):
    # Lazy, so that ``import kg`` (and the CLI start-up) stays light.
    if name == "KnowledgeGraph":
        from kg.store import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
