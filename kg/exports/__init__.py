"""Exports out: the graph in RDF formats and as a network for graph tools."""
