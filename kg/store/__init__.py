"""The store: :class:`KnowledgeGraph`, the one door through which all graph access
passes, on Oxigraph (in memory, or on disk with ``--store DIR``)."""

from kg.store.knowledge_graph import KnowledgeGraph

__all__ = ["KnowledgeGraph"]
