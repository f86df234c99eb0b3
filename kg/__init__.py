"""techauto-kg: a knowledge graph of technology companies entering the car industry.

The pipeline, as the package lays it out:

- sources in: ``kg/facts/`` (sourced facts as TriG, one named graph per claim),
  ``ontology/`` (the OWL ontology and its SHACL shapes), :mod:`kg.sources` (reading
  files safely, canonical data files, CSV import);
- the store: :class:`kg.store.KnowledgeGraph`, on Oxigraph, through which all graph
  access and querying pass;
- reasoning and validation: :mod:`kg.checks` (OWL RL, SHACL, conflicts, safety);
- answers and exports out: ``queries/`` with :mod:`kg.answers`, :mod:`kg.exports`,
  :mod:`kg.network` (NetworkX analysis and pictures), and the ``kg`` command (:mod:`kg.cli`).
"""

__version__ = "0.1.0"
