"""Serving the graph over HTTP (``kg serve``): a read-only SPARQL 1.1 Protocol endpoint
and pages a person can browse, answered by a pool of worker processes under hard limits.

Starlette and uvicorn (the ``serve`` extra) are imported by :mod:`kg.serve.app` only.
"""
