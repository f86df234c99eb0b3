"""Reasoning and validation: OWL RL, SHACL, conflicts between sources, and the safety of untrusted input."""
