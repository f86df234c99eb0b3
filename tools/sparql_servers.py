"""Start real SPARQL servers on 127.0.0.1 for kg's tests and for trying kg push by hand:
the Oxigraph server (``oxigraph`` on PyPI, in the test extra) and Virtuoso Open Source 7
(Debian's ``virtuoso-opensource``: ``apt-get install virtuoso-opensource``).

Each server gets a folder of its own and free ports, and is stopped (its process ended,
by its id) when the ``with`` block ends::

    with sparql_servers.oxigraph(folder) as server:
        print(server.query, server.update, server.graph_store)

By hand: ``python3 tools/sparql_servers.py oxigraph|virtuoso DIR`` starts one, prints its
URLs and runs until Ctrl-C. ``--load FILE`` first loads a TriG or N-Quads file as a user would
(``oxigraph load``; Virtuoso's bulk loader ``ld_dir`` with the file's default graph into
``kgg:merged``).

Virtuoso is started from a ``virtuoso.ini`` written here (database, HTTP and SQL ports on
127.0.0.1 only, the folder as the only one its SQL may read). A new database's ``dba``
password is ``dba``; SPARQL Update and the Graph Store Protocol need a login, at
``/sparql-auth`` and ``/sparql-graph-crud-auth`` (HTTP digest), as Virtuoso's
documentation says.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MERGED_GRAPH = "https://w3id.org/techauto/graph/merged"
VIRTUOSO_USER = VIRTUOSO_PASSWORD = "dba"


@dataclass
class Server:
    """A running server: its URLs, the credentials it wants (or None), its process."""

    name: str
    query: str
    update: str
    graph_store: str
    user: str | None
    password: str | None
    process: subprocess.Popen
    folder: Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_binary() -> str:
    """The ``oxigraph`` command: beside this Python (a virtual environment), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server is not installed (pip install '.[test]' brings it)")
    return found


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    ask = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}): {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(ask, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {seconds:g} s: {log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load_oxigraph(folder: Path, trig: Path) -> None:
    """Load a TriG file into the Oxigraph database in ``folder``, as a user would."""
    subprocess.run([oxigraph_binary(), "load", "--location", str(folder / "db"), "--file", str(trig)],
                   check=True, capture_output=True, timeout=300)


@contextlib.contextmanager
def oxigraph(folder: Path) -> Iterator[Server]:
    """The Oxigraph server on a database in ``folder`` (its default graph is its own, not
    the union of the graphs)."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(folder / "db"),
                                    "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/query", process, log)
        yield Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", None, None, process, folder)
    finally:
        _stop(process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/vsp
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if not found:
        raise RuntimeError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    return found


@contextlib.contextmanager
def virtuoso(folder: Path, load: Path | None = None) -> Iterator[Server]:
    """Virtuoso Open Source on a new database in ``folder``; with ``load``, that TriG or N-Quads file
    loaded first by Virtuoso's bulk loader (its default graph into ``kgg:merged``)."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso-t.out"
    with open(log, "wb") as out:
        process = subprocess.Popen([virtuoso_binary(), "+configfile", str(ini), "+foreground"],
                                   cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait_until_up(f"{base}/sparql", process, log)
        if load is not None:
            _bulk_load(folder, sql_port, load)
        yield Server("virtuoso", f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
                     VIRTUOSO_USER, VIRTUOSO_PASSWORD, process, folder)
    finally:
        _stop(process)


def _bulk_load(folder: Path, sql_port: int, trig: Path) -> None:
    """Virtuoso's bulk loader (``ld_dir``, ``rdf_loader_run``) on a copy of ``trig`` in
    ``folder`` (the one folder its SQL may read)."""
    inbox = folder / "load"
    inbox.mkdir(exist_ok=True)
    shutil.copy(trig, inbox / trig.name)
    script = (f"ld_dir('{inbox}', '{trig.name}', '{MERGED_GRAPH}');\n"
              "rdf_loader_run();\ncheckpoint;\n"
              "SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list;\n")
    isql = shutil.which("isql-vt") or "isql-vt"
    done = subprocess.run([isql, str(sql_port), VIRTUOSO_USER, VIRTUOSO_PASSWORD],
                          input=script, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or "Error" in done.stdout:
        raise RuntimeError(f"Virtuoso's bulk load failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("server", choices=("oxigraph", "virtuoso"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--load", type=Path, metavar="FILE", help="load this TriG or N-Quads file first")
    args = parser.parse_args()
    if args.server == "oxigraph":
        if args.load:
            load_oxigraph(args.folder, args.load)
        context = oxigraph(args.folder)
    else:
        context = virtuoso(args.folder, args.load)
    with context as server:
        print(f"{server.name} (pid {server.process.pid}) on 127.0.0.1")
        print(f"  query:       {server.query}")
        print(f"  update:      {server.update}")
        print(f"  graph store: {server.graph_store}")
        if server.user:
            print(f"  login:       {server.user} / {server.password}")
        try:
            server.process.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
