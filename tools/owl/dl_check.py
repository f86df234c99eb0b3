"""OWL 2 DL checks of the ontology and the facts with tools nobody in the project wrote.

- the OWL API's OWL 2 DL profile checker (Debian's ``libowlapi-java``, driven by
  ``ProfileCheck.java`` beside this file, run with Java's single-file launcher);
- HermiT and Pellet, the DL reasoners that owlready2 bundles (Java from Debian);
- the OWL 2 datatype map itself (OWL 2 Structural Specification, section 4), checked
  here because the OWL API accepts a datatype outside it once it is declared.

Everything runs offline: a file with ``owl:imports`` is refused before any tool sees it,
the profile checker maps every import to a missing file, and both reasoners are told to
ignore imports.

Run ``python3 tools/owl/dl_check.py`` from a checkout with ``kg`` installed: it checks the
ontology alone, then the ontology with the shipped facts (``kg export --format nt
--ontology``), and prints each tool's verdict and time. ``--classpath`` prints the OWL
API class path for running ``ProfileCheck.java`` by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROFILE_CHECK = HERE / "ProfileCheck.java"
JAVA_DIR = Path("/usr/share/java")

OWLAPI_JARS = (
    "owlapi-distribution", "atinject-jsr330-api", "caffeine", "commons-codec", "commons-io",
    "commons-logging", "commons-rdf-api", "guava", "hppcrt", "httpclient", "httpcore",
    "jackson-annotations", "jackson-core", "jackson-databind", "jaxb-api", "jsr305",
    "slf4j-api", "slf4j-nop", "xz",
)
"""The jars of Debian's libowlapi-java and its dependencies that the checker loads
(besides every ``rdf4j-*.jar``, which the OWL API's Rio parsers need)."""

OWL2_DATATYPE_MAP = frozenset(
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger "
        "long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float "
        "string normalizedString token language Name NCName NMTOKEN boolean hexBinary "
        "base64Binary anyURI dateTime dateTimeStamp"
    ).split()
) | {
    "http://www.w3.org/2002/07/owl#real",
    "http://www.w3.org/2002/07/owl#rational",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
    "http://www.w3.org/2000/01/rdf-schema#Literal",
}
"""The datatypes an OWL 2 DL ontology may use (OWL 2 Structural Specification, 4.1-4.7;
``rdf:langString`` is how RDF 1.1 writes a plain literal with a language tag)."""

REASONERS = ("hermit", "pellet")
JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
"""For the short Java runs here: the quick compiler only and one GC thread (about 40%
less CPU than the defaults). Given to ProfileCheck.java on its command line, and to the
reasoners (whose command owlready2 writes) as JDK_JAVA_OPTIONS unless that is set."""


class ToolMissing(RuntimeError):
    """A tool the checks need is not installed; the message says how to install it."""


# -- the OWL API profile checker --------------------------------------------------------


@dataclass
class ProfileReport:
    """What the OWL API's profile checker said about one file."""

    file: str
    profile: str = ""
    violations: list[tuple[str, str]] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    axioms: int = 0

    @property
    def clean(self) -> bool:
        return not (self.violations or self.unparsed or self.guessed or self.imports)

    def kinds(self) -> dict[str, int]:
        """Violations counted by kind (the OWL API's class name)."""
        counts: dict[str, int] = {}
        for kind, _ in self.violations:
            counts[kind] = counts.get(kind, 0) + 1
        return dict(sorted(counts.items()))


def java() -> str:
    found = shutil.which("java")
    if not found:
        raise ToolMissing("java not found: apt-get install default-jre-headless")
    return found


def owlapi_classpath() -> str:
    """The class path of Debian's OWL API (``OWLAPI_CLASSPATH`` overrides it)."""
    if os.environ.get("OWLAPI_CLASSPATH"):
        return os.environ["OWLAPI_CLASSPATH"]
    jars = [JAVA_DIR / f"{name}.jar" for name in OWLAPI_JARS]
    missing = [jar.name for jar in jars if not jar.is_file()]
    rdf4j = sorted(j for j in JAVA_DIR.glob("rdf4j-*.jar") if not re.search(r"-\d[\d.]*\.jar$", j.name))
    if missing or not rdf4j:
        raise ToolMissing(f"OWL API not found in {JAVA_DIR} (missing {', '.join(missing) or 'rdf4j'}): "
                          "apt-get install libowlapi-java")
    return os.pathsep.join(str(j) for j in jars + rdf4j)


def refuse_imports(path: Path) -> None:
    """Refuse a file that imports other ontologies: the checks never fetch anything."""
    text = Path(path).read_text(encoding="utf-8")
    if "owl#imports>" in text or "owl:imports" in text:
        raise ValueError(f"{path}: has owl:imports; the DL checks run offline and follow no import")


def profile_check(paths, profile: str = "DL", timeout: float = 600) -> list[ProfileReport]:
    """Run the OWL API's profile checker on each file (one Java process for all)."""
    paths = [Path(p) for p in paths]
    for path in paths:
        refuse_imports(path)
    command = [java(), *JVM_OPTIONS.split(), "-cp", owlapi_classpath(), str(PROFILE_CHECK),
               "--profile", profile, *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"OWL API profile check failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    return parse_profile_output(done.stdout)


def parse_profile_output(text: str) -> list[ProfileReport]:
    reports: list[ProfileReport] = []
    for line in text.splitlines():
        key, _, rest = line.partition(" ")
        if line.startswith("file: "):
            reports.append(ProfileReport(file=line[len("file: "):]))
        elif key == "VIOLATION":
            kind, _, message = rest.partition(": ")
            reports[-1].violations.append((kind, message))
        elif key == "UNPARSED":
            reports[-1].unparsed.append(rest)
        elif key == "GUESSED":
            reports[-1].guessed.append(rest)
        elif key == "IMPORT":
            reports[-1].imports.append(rest)
        elif line.startswith("profile: "):
            reports[-1].profile = line[len("profile: "):]
        elif line.startswith("axioms: "):
            reports[-1].axioms = int(line[len("axioms: "):])
    return reports


# -- the OWL 2 datatype map ---------------------------------------------------------------


def datatypes_outside_owl2_map(graph) -> dict[str, int]:
    """Datatype IRIs that ``graph`` (rdflib) uses but the OWL 2 datatype map lacks, with
    how often: in literals, and as the object of ``rdfs:range``, ``owl:onDatatype``,
    ``owl:someValuesFrom``, ``owl:allValuesFrom``, ``owl:onDataRange``,
    ``owl:equivalentClass`` or ``owl:datatypeComplementOf``, or typed ``rdfs:Datatype``."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import OWL, RDF, RDFS, XSD

    positions = (RDFS.range, OWL.onDatatype, OWL.someValuesFrom, OWL.allValuesFrom,
                 OWL.onDataRange, OWL.equivalentClass, OWL.datatypeComplementOf)
    found: dict[str, int] = {}

    def count(iri) -> None:
        if str(iri) not in OWL2_DATATYPE_MAP:
            found[str(iri)] = found.get(str(iri), 0) + 1

    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None:
            count(o.datatype)
        elif p in positions and isinstance(o, URIRef) and str(o).startswith(str(XSD)):
            count(o)
        elif p == RDF.type and o == RDFS.Datatype and isinstance(s, URIRef):
            count(s)
    return dict(sorted(found.items()))


# -- HermiT and Pellet ---------------------------------------------------------------------


@dataclass
class Verdict:
    """What a DL reasoner said about one file."""

    reasoner: str
    consistent: bool
    unsatisfiable: list[str]
    seconds: float
    error: str = ""


def dl_reason(path: Path, reasoner: str, ignore_unsupported_datatypes: bool = True) -> Verdict:
    """Load ``path`` (N-Triples or RDF/XML) into a new owlready2 world and run ``reasoner``
    (``hermit`` or ``pellet``): consistent or not, and the unsatisfiable classes.

    HermiT takes only the datatypes of the OWL 2 datatype map; ``ignore_unsupported_datatypes``
    passes its ``--ignoreUnsupportedDatatypes`` (it then leaves out the axioms that use
    others, such as the facts' xsd:date values). Pellet reads xsd:date, xsd:gYear,
    xsd:gYearMonth and xsd:duration itself and takes no such option. When HermiT refuses
    the file, the verdict is consistent=False with the error's first line in ``error``.
    """
    import owlready2

    refuse_imports(path)
    os.environ.setdefault("JDK_JAVA_OPTIONS", JVM_OPTIONS)
    world = owlready2.World()
    with contextlib.redirect_stderr(io.StringIO()):  # owlready2's warnings about the input
        world.get_ontology(Path(path).resolve().as_uri()).load()
    start = time.monotonic()
    try:
        if reasoner == "hermit":
            owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=ignore_unsupported_datatypes)
        elif reasoner == "pellet":
            owlready2.sync_reasoner_pellet(world, debug=0)
        else:
            raise ValueError(f"unknown reasoner {reasoner!r} (hermit or pellet)")
    except owlready2.OwlReadyInconsistentOntologyError:
        return Verdict(reasoner, False, [], round(time.monotonic() - start, 1))
    except owlready2.OwlReadyJavaError as exc:
        message = next((ln.strip() for ln in str(exc).splitlines() if "Exception" in ln), str(exc).strip())
        return Verdict(reasoner, False, [], round(time.monotonic() - start, 1), error=message)
    seconds = round(time.monotonic() - start, 1)
    nothing = "http://www.w3.org/2002/07/owl#Nothing"
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c.iri != nothing)
    world.close()
    return Verdict(reasoner, True, unsatisfiable, seconds)


def dl_reason_all(path: Path, reasoners=REASONERS) -> dict[str, Verdict]:
    """:func:`dl_reason` with each reasoner on ``path``, the Java processes side by side."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(reasoners)) as pool:
        futures = {name: pool.submit(dl_reason, path, name) for name in reasoners}
        return {name: future.result() for name, future in futures.items()}


# -- the whole check, for people -----------------------------------------------------------


def _kg() -> str:
    beside = Path(sys.executable).parent / "kg"
    found = str(beside) if beside.exists() else shutil.which("kg")
    if not found:
        raise ToolMissing("the kg command is not installed: pip install '.[test]'")
    return found


def export_ontology_and_facts(target: Path) -> Path:
    """The ontology with the shipped facts as N-Triples, as ``kg export`` writes them."""
    subprocess.run([_kg(), "export", "--format", "nt", "--ontology", "-o", str(target)], check=True)
    return target


def kg_reason_verdict() -> bool:
    """``kg reason``'s verdict on the shipped graph: True when it says consistent."""
    done = subprocess.run([_kg(), "reason", "--format", "json"], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"kg reason failed: {done.stderr.strip()}")
    import json

    return json.loads(done.stdout)["consistent"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classpath", action="store_true", help="print the OWL API class path and stop")
    args = parser.parse_args(argv)
    try:
        if args.classpath:
            print(owlapi_classpath())
            return 0
        with tempfile.TemporaryDirectory() as tmp:
            ontology = ROOT / "ontology" / "techauto.ttl"
            full = export_ontology_and_facts(Path(tmp) / "techauto-kg-with-ontology.nt")
            start = time.monotonic()
            alone, together = profile_check([ontology, full])
            print(f"OWL API OWL 2 DL profile ({time.monotonic() - start:.1f} s for both files)")
            ok = alone.clean
            for label, report in (("ontology", alone), ("ontology + facts", together)):
                print(f"  {label}: {len(report.violations)} violations {report.kinds()}, "
                      f"{len(report.unparsed)} unparsed triples, {len(report.guessed)} undeclared terms, "
                      f"{len(report.imports)} imports, {report.axioms} axioms")
            from rdflib import Graph

            outside = datatypes_outside_owl2_map(Graph().parse(full, format="nt"))
            print(f"  datatypes outside the OWL 2 datatype map (ontology + facts): {outside or 'none'}")
            print("DL reasoners on ontology + facts")
            verdicts = list(dl_reason_all(full).values())
            for v in verdicts:
                option = " (--ignoreUnsupportedDatatypes)" if v.reasoner == "hermit" else ""
                state = "consistent" if v.consistent else f"INCONSISTENT {v.error}".strip()
                print(f"  {v.reasoner}{option}: {state}, unsatisfiable classes: "
                      f"{v.unsatisfiable or 'none'} ({v.seconds:.1f} s)")
                ok &= v.consistent and not v.unsatisfiable
            owl_rl = kg_reason_verdict()
            agree = all(v.consistent == owl_rl for v in verdicts)
            print(f"kg reason (OWL RL): {'consistent' if owl_rl else 'INCONSISTENT'}; "
                  f"{'agrees' if agree else 'DISAGREES'} with HermiT and Pellet")
            return 0 if ok and agree else 1
    except (ToolMissing, ValueError, RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"dl_check: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
