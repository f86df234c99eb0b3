"""Hostile input: the corpus of tests/hostile/ through the installed kg, a listener on
127.0.0.1 that must hear nothing, the guard, limits, and interrupted writes.

``tests/hostile/manifest.csv`` lists each case: the file, the kg command (``{file}``
stands for it; leading ``NAME=VALUE`` words set environment variables), the expected
exit code and a fragment of the expected message (on stderr for exit 2: one line, except
that ``kg import`` first names each bad row as FILE:LINE; in the SHACL report for exit 1).
``{PORT}`` in a corpus file is the listener's port. Files too big or too deep to keep are
written by :data:`GENERATED`; :data:`RENAMED` files are run under a name git should not
hold.
"""

from __future__ import annotations

import csv
import http.server
import re
import shlex
import signal
import subprocess
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import dropwhile
from pathlib import Path

import pytest

from conftest import TESTS_DIR, kg_executable, run_kg

HOSTILE = TESTS_DIR / "hostile"
RUN_TIMEOUT = 60
START_UP = 15
PREFIX_LINE = "@prefix : <http://example.org/> .\n"
QUERY_HEADER = "# title: Hostile query\n# question: Does kg stop it?\n# answer: an error\n# parameters: none\n"
GENERATED = {
    "deep-brackets.ttl": lambda: PREFIX_LINE + ":a :b " + "[ :p " * 5000 + ":c" + " ]" * 5000 + " .\n",
    "deep-collection.ttl": lambda: PREFIX_LINE + ":a :b " + "( " * 5000 + ":c" + " )" * 5000 + " .\n",
    "deep-arrays.jsonld": lambda: '{"@id": "http://example.org/a", "http://example.org/p": '
    + "[" * 5000 + "1" + "]" * 5000 + "}",
    "huge-literal-unterminated.ttl": lambda: '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
    '<http://example.org/a> rdfs:label "' + "A" * 8_000_000 + "\n",
    "over-size-limit.nt": None,  # a sparse file of 513 MB: see _materialize
    "fmt-deep-blank-nodes.ttl": lambda: PREFIX_LINE + ":a :b " + "[ :p " * 1100 + ":c" + " ]" * 1100 + " .\n",
    "fmt-deep-rdfxml.rdf": lambda: '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    'syntax-ns#" xmlns:ex="http://example.org/">\n' + "<rdf:Description><ex:p>" * 1200 + "<rdf:Description/>"
    + "</ex:p></rdf:Description>" * 1200 + "\n</rdf:RDF>\n",
    "number-integer-5000-digits.ttl": lambda: PREFIX_LINE + ':a :p "x" .\n:a :p ' + "9" * 5000 + " .\n",
    "number-jsonld-4300-digits.jsonld": lambda: '{"@id": "http://example.org/a",\n "http://example.org/p": '
    + "9" * 4300 + "}\n",
    **{f"query-filters-{n}.rq": (lambda n=n: QUERY_HEADER + "SELECT ?s WHERE { ?s ?p ?o "
                                 + " ".join(f"FILTER(?o != {i})" for i in range(n)) + " }\n")
       for n in (6000, 15000, 40000)},
}
RENAMED = {"name-with-newline.ttl": "name-with\nnewline.ttl"}
"""Corpus files run under another name: a newline in a file name must not break the one line."""


@dataclass(frozen=True)
class Case:
    """One row of the manifest."""

    file: str
    command: str
    expected_exit: int
    fragment: str
    note: str

    @property
    def env(self) -> dict[str, str]:
        """The environment variables the command's leading ``NAME=VALUE`` words set."""
        words = shlex.split(self.command)
        return dict(w.split("=", 1) for w in words[: len(words) - len(self.words)])

    @property
    def words(self) -> list[str]:
        """The command's words after the environment variables: the kg sub-command first."""
        words = shlex.split(self.command)
        return list(dropwhile(lambda w: re.fullmatch(r"[A-Z_]+=.*", w), words))

    @property
    def subcommand(self) -> str:
        return self.words[0]

    @property
    def timeout(self) -> float | None:
        """The --timeout the command gives, if any."""
        words = self.words
        return float(words[words.index("--timeout") + 1]) if "--timeout" in words else None

    @property
    def id(self) -> str:
        env = "".join(f"{k}={v}:" for k, v in self.env.items())
        options = " ".join(w for w in self.words[1:] if w != "{file}")
        return f"{env}{self.words[0]}:{self.file}" + (f":{options}" if options else "")


def _manifest() -> list[Case]:
    with open(HOSTILE / "manifest.csv", newline="", encoding="utf-8") as handle:
        return [Case(r["file"], r["command"], int(r["expected_exit"]), r["expected_message_fragment"], r["note"])
                for r in csv.DictReader(handle)]


CASES = _manifest()


# -- the listener ------------------------------------------------------------------------


class Listener:
    """An HTTP server on 127.0.0.1 that records every connection it accepts."""

    def __init__(self, answer: bytes = b"", content_type: str = "text/plain"):
        heard = self.heard = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle(self):
                heard.append(self.client_address)
                super().handle()

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_POST = do_HEAD = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


# -- running the corpus ------------------------------------------------------------------


def _materialize(case: Case, folder: Path, port: int) -> Path:
    """Write the case's file into ``folder`` with ``{PORT}`` filled in; return its path."""
    target = folder / RENAMED.get(case.file, case.file)
    if case.file == "over-size-limit.nt":
        with open(target, "wb") as handle:
            handle.truncate(513 * 2**20)
    elif case.file in GENERATED:
        target.write_text(GENERATED[case.file](), encoding="utf-8")
    else:
        target.write_bytes((HOSTILE / case.file).read_bytes().replace(b"{PORT}", str(port).encode()))
    return target


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _run_case(case: Case, folder: Path, port: int):
    folder.mkdir()
    path = _materialize(case, folder, port)
    before = _snapshot(folder)
    args = [a.replace("{file}", str(path)) for a in case.words]
    started = time.monotonic()
    done = run_kg(*args, cwd=folder, timeout=RUN_TIMEOUT, env=case.env)
    return done, time.monotonic() - started, before, _snapshot(folder)


@pytest.fixture(scope="module")
def corpus_runs(listener, tmp_path_factory):
    """Every case run once through the installed kg, eight at a time."""
    base = tmp_path_factory.mktemp("hostile")
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {c.id: pool.submit(_run_case, c, base / f"{i:02d}", listener.port) for i, c in enumerate(CASES)}
        return {key: future.result() for key, future in futures.items()}


def test_the_corpus_is_large_varied_and_complete():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    used = {c.file for c in CASES} | {p.name for p in HOSTILE.glob("shapes-*.ttl")}
    kept = {p.name for p in HOSTILE.iterdir()} - {"manifest.csv"}
    assert kept - used == set(), "corpus files not in the manifest"
    assert {c.file for c in CASES} - kept == set(GENERATED)
    assert {c.words[0] for c in CASES} >= {"validate", "query", "fmt", "analyze", "import"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile_input_is_refused_in_one_line(case, corpus_runs):
    done, elapsed, before, after = corpus_runs[case.id]
    assert done.returncode == case.expected_exit, (done.stdout[-500:], done.stderr[-500:])
    assert "Traceback" not in done.stderr
    if case.expected_exit == 2:
        assert done.stdout == ""
        *rows, last = done.stderr.splitlines()
        assert last.startswith(f"kg {case.words[0]}: error: ")
        assert case.fragment in done.stderr
        if case.words[0] == "import":  # kg import names each bad row before its verdict
            assert all(re.match(rf".*{re.escape(case.file)}:\d+: ", row) for row in rows), rows
        else:
            assert rows == []
    else:
        assert done.stderr == ""
        assert case.fragment in done.stdout
    assert elapsed < RUN_TIMEOUT
    if case.timeout is not None:  # the limit holds: start-up and loading the graph, eight runs at a time, are the rest
        assert elapsed < case.timeout + START_UP, f"{elapsed:.1f} s under --timeout {case.timeout:g}"
    assert after == before, "the run left or changed a file"


def test_the_listener_heard_nothing_from_the_corpus(corpus_runs, listener):
    assert listener.heard == []
    urllib.request.urlopen(f"http://127.0.0.1:{listener.port}/alive", timeout=5).read()
    assert len(listener.heard) == 1  # it was listening all along


def test_allow_network_lets_service_through(tmp_path):
    empty = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
    server = Listener(empty, "application/sparql-results+json")
    try:
        query = tmp_path / "service.rq"
        query.write_bytes((HOSTILE / "query-service.rq").read_bytes().replace(b"{PORT}", str(server.port).encode()))
        done = run_kg("query", query, "--allow-network", timeout=RUN_TIMEOUT)
    finally:
        server.close()
    assert done.returncode == 0, done.stderr
    assert len(server.heard) == 1


# -- limits ------------------------------------------------------------------------------

HEADER = "# title: t\n# question: q\n# answer: a\n# parameters: none\n"


@pytest.fixture
def many_rows(tmp_path) -> Path:
    path = tmp_path / "many.rq"
    path.write_text(HEADER + "SELECT ?s ?o WHERE { ?s rdfs:label ?o }\n", encoding="utf-8")
    return path


def test_the_result_cap_is_stated_in_each_format(many_rows):
    table = run_kg("query", many_rows, "--limit", "3")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert len(lines) == 2 + 3 + 1 and lines[-1] == "(result capped at 3 rows)"
    csv_run = run_kg("query", many_rows, "--limit", "2", "--format", "csv")
    assert len(csv_run.stdout.splitlines()) == 3 and csv_run.stderr == "(result capped at 2 rows)\n"
    import json

    document = json.loads(run_kg("query", many_rows, "--limit", "1", "--format", "json").stdout)
    assert document["capped_at"] == 1 and len(document["results"]["bindings"]) == 1
    uncapped = run_kg("query", many_rows, "--limit", "100000")
    assert "capped" not in uncapped.stdout + uncapped.stderr


@pytest.mark.parametrize("option", ["--timeout=0", "--timeout=soon", "--limit=-1", "--limit=lots"])
def test_bad_limits_are_refused(option, many_rows):
    done = run_kg("query", many_rows, option)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "expected a positive number" in done.stderr


def test_a_time_limit_leaves_the_process_healthy(shipped_kg):
    from kg.checks import safety

    previous = signal.getsignal(signal.SIGALRM)
    with pytest.raises(safety.Timeout):
        with safety.time_limit(0.2):
            while True:
                try:
                    time.sleep(0.01)
                except Exception:  # a library that swallows errors cannot swallow the timeout
                    pass
    assert signal.getsignal(signal.SIGALRM) is previous
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert len(list(shipped_kg.query("SELECT * WHERE { ?s ?p ?o } LIMIT 3"))) == 3


# -- the guard ---------------------------------------------------------------------------


def test_the_guard_refuses_network_files_writes_and_programs(tmp_path, listener):
    from kg.checks import safety

    heard = len(listener.heard)
    allowed = tmp_path / "allowed.txt"
    allowed.write_text("ok")
    with safety.guard(readable=[allowed], writable=[tmp_path / "out"]):
        assert allowed.read_text() == "ok"
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "written.txt").write_text("ok")
        for attempt in (
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{listener.port}/", timeout=5),
            lambda: Path("/etc/passwd").read_text(),
            lambda: (tmp_path / "elsewhere.txt").write_text("no"),
            lambda: subprocess.run(["true"]),
        ):
            with pytest.raises(safety.Refused):
                attempt()
    assert len(listener.heard) == heard
    assert not (tmp_path / "elsewhere.txt").exists()
    assert Path("/etc/passwd").read_text()  # the guard is off again


def test_the_guard_stops_rdflib_fetching_a_context(listener):
    from rdflib import Graph

    from kg.checks import safety

    heard = len(listener.heard)
    document = f'{{"@context": "http://127.0.0.1:{listener.port}/c.jsonld", "@id": "http://example.org/a"}}'
    with pytest.raises(Exception) as caught:
        with safety.guard():
            Graph().parse(data=document, format="json-ld")
    assert safety.refusal(caught.value) is not None
    assert len(listener.heard) == heard


# -- shapes with SPARQL ------------------------------------------------------------------


def _shapes(name: str, port: int):
    from rdflib import Graph

    text = (HOSTILE / name).read_text(encoding="utf-8").replace("{PORT}", str(port))
    return Graph().parse(data=text, format="turtle")


@pytest.mark.parametrize("name, fragment", [
    ("shapes-service.ttl", "SERVICE <http://127.0.0.1:"),
    ("shapes-ask-service.ttl", "sh:ask:1: SERVICE <http://127.0.0.1:"),
    ("shapes-from.ttl", "FROM <http://127.0.0.1:"),
    ("shapes-update.ttl", "LOAD refused"),
])
def test_user_shapes_get_the_query_checks(name, fragment, listener):
    from kg.checks import sparql
    from kg.errors import InputError

    with pytest.raises(InputError, match="refused") as caught:
        sparql.check_shapes(_shapes(name, listener.port))
    assert fragment in str(caught.value) and "\n" not in str(caught.value)


def test_clean_user_shapes_pass_the_checks(listener):
    from kg.checks import sparql

    shapes = _shapes("shapes-clean.ttl", listener.port)
    sparql.check_shapes(shapes)
    assert len(shapes) > 3


def test_pyshacl_under_the_guard_does_not_reach_the_listener(listener, shipped_kg):
    import pyshacl

    from kg.checks import safety
    from kg.terms import ONTOLOGY_GRAPH

    heard = len(listener.heard)
    with safety.guard():
        try:
            pyshacl.validate(shipped_kg.rdflib_graph(graph=ONTOLOGY_GRAPH), shacl_graph=_shapes("shapes-service.ttl", listener.port),
                             advanced=True, allow_warnings=True)
        except Exception as exc:  # pySHACL may report the refusal as its own error
            assert "refused" in str(exc) or safety.refusal(exc) is not None
    assert len(listener.heard) == heard


# -- interrupted writes ------------------------------------------------------------------


@pytest.fixture(scope="module")
def new_export() -> bytes:
    done = subprocess.run([kg_executable(), "export", "--inferred"], capture_output=True, timeout=RUN_TIMEOUT)
    assert done.returncode == 0
    return done.stdout


@pytest.mark.parametrize("sig, delays", [(signal.SIGINT, (0.6, 2.2, 3.4)), (signal.SIGKILL, (2.8,))],
                         ids=["SIGINT", "SIGKILL"])
def test_an_interrupted_export_leaves_the_old_file_or_the_new_one(sig, delays, tmp_path, new_export):
    old = b"# the previous export\n"
    target = tmp_path / "graph.ttl"
    for delay in delays:
        target.write_bytes(old)
        process = subprocess.Popen([kg_executable(), "export", "--inferred", "-o", str(target)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=RUN_TIMEOUT)
        assert target.read_bytes() in (old, new_export), f"partial file after {delay} s"
        if sig == signal.SIGINT:
            # 130: kg caught the interrupt; -SIGINT: it came before Python's own handler was
            # installed (a loaded machine starts slowly); 0: the export had finished
            assert process.returncode in (0, 130, -signal.SIGINT), stderr
            assert b"Traceback" not in stderr
            assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"], "temporary file left behind"
        for stray in tmp_path.glob(".graph.ttl.*.tmp"):
            stray.unlink()
