"""Reasoning and validation: OWL RL, SHACL, conflicts between sources, and the safety of untrusted input."""

REASONERS = ("rules", "owlrl")
"""The OWL RL engines (:mod:`kg.checks.reasoning`): kg's compiled rules, and owlrl, the reference."""
DEFAULT_REASONER = "rules"
