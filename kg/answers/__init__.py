"""Answers out: the question catalogue, running questions, sources of each row, explanations, rendering."""
