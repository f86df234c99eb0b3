"""``kg fmt`` on a user's files: each keeps its format and every statement, its mode and
owner; a symbolic link is written through; leftovers of killed runs are cleaned up."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from conftest import run_kg

TURTLE = """@prefix : <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:b :p "1.5E3"^^xsd:double , "89900"^^xsd:decimal , 007 , "1"^^xsd:boolean .
:a :p [ :q "x" ] .
"""
CANONICAL_TURTLE = """PREFIX ns1: <http://example.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

ns1:a
    ns1:p
        [
            ns1:q "x" ;
        ] ;
.

ns1:b
    ns1:p
        "1"^^xsd:boolean ,
        007 ,
        "1.5E3"^^xsd:double ,
        "89900"^^xsd:decimal ;
.
"""


def _quads(path: Path, fmt: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(path, format=fmt)
    return dataset


def test_n_quads_stay_n_quads_with_every_graph(tmp_path):
    path = tmp_path / "data.nq"
    path.write_text(
        "# three statements, two named graphs\n"
        '<http://example.org/a>   <http://example.org/p> "x" <http://example.org/g2> .\n'
        '<http://example.org/a> <http://example.org/p> "x" <http://example.org/g1> .\n'
        '_:n <http://example.org/p> "\\u00e9" .\n', encoding="utf-8")
    done = run_kg("fmt", path)
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == (
        '<http://example.org/a> <http://example.org/p> "x" <http://example.org/g1> .\n'
        '<http://example.org/a> <http://example.org/p> "x" <http://example.org/g2> .\n'
        '_:c14n0 <http://example.org/p> "é" .\n')
    graphs = {str(g.identifier): len(g) for g in _quads(path, "nquads").graphs() if len(g)}
    assert graphs == {"http://example.org/g1": 1, "http://example.org/g2": 1, "urn:x-rdflib:default": 1}
    assert run_kg("fmt", "--check", path).returncode == 0


def test_n_triples_stay_sorted_n_triples(tmp_path):
    path = tmp_path / "data.nt"
    original = ('<http://example.org/b> <http://example.org/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
                "<http://example.org/a>\t<http://example.org/p>   <http://example.org/c> .\n")
    path.write_text(original, encoding="utf-8")
    assert run_kg("fmt", path).returncode == 0
    assert path.read_text(encoding="utf-8") == (
        "<http://example.org/a> <http://example.org/p> <http://example.org/c> .\n"
        '<http://example.org/b> <http://example.org/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    assert isomorphic(Graph().parse(path, format="nt"), Graph().parse(data=original, format="nt"))


def test_turtle_keeps_every_literal_as_written(tmp_path):
    path = tmp_path / "data.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    assert run_kg("fmt", path).returncode == 0
    assert path.read_text(encoding="utf-8") == CANONICAL_TURTLE
    import pyoxigraph

    def lexical_forms(text):
        return sorted(q.object.value for q in pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.TURTLE)
                      if isinstance(q.object, pyoxigraph.Literal))

    assert lexical_forms(CANONICAL_TURTLE) == lexical_forms(TURTLE) == ["007", "1", "1.5E3", "89900", "x"]


def test_mode_and_owner_are_kept(tmp_path):
    path = tmp_path / "private.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    path.chmod(0o600)
    if os.geteuid() == 0:
        os.chown(path, 4321, 4321)
    before = path.stat()
    assert run_kg("fmt", path).returncode == 0
    after = path.stat()
    assert path.read_text(encoding="utf-8") == CANONICAL_TURTLE
    assert stat.S_IMODE(after.st_mode) == 0o600
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert after.st_ino != before.st_ino  # replaced atomically, not rewritten in place


def test_a_symbolic_link_is_written_through(tmp_path):
    target = tmp_path / "real" / "data.ttl"
    target.parent.mkdir()
    target.write_text(TURTLE, encoding="utf-8")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    done = run_kg("fmt", link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == CANONICAL_TURTLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.ttl", "real"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["data.ttl"]


def test_a_lossy_rewrite_is_refused_and_the_file_kept(tmp_path, monkeypatch):
    from kg.errors import InputError
    from kg.sources import canonical, datafiles

    path = tmp_path / "data.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    monkeypatch.setattr(canonical, "turtle", lambda graph: CANONICAL_TURTLE.replace("007", "7"))
    with pytest.raises(InputError, match="kg fmt would change the data") as caught:
        datafiles.canonicalize(path)
    assert str(path) in str(caught.value)
    assert path.read_text(encoding="utf-8") == TURTLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.ttl"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_dead_writers_are_removed_and_live_ones_kept(tmp_path):
    import fcntl

    path = tmp_path / "data.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    dead = tmp_path / f".data.ttl.{_dead_pid()}-0123abcd.tmp"
    old_style = tmp_path / ".data.ttl.k3j_x9q2.tmp"  # the name an older kg gave it
    young_old_style = tmp_path / ".data.ttl.abcdefgh.tmp"
    live = tmp_path / f".data.ttl.{os.getpid()}-89abcdef.tmp"
    other = tmp_path / f".other.ttl.{_dead_pid()}-0123abcd.tmp"
    for leftover in (dead, old_style, young_old_style, live, other):
        leftover.write_bytes(b"half a file")
    two_hours_ago = time.time() - 7200
    os.utime(old_style, (two_hours_ago, two_hours_ago))
    with open(live, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a writer holds its temporary file
        done = run_kg("fmt", path)
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == CANONICAL_TURTLE
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [path.name, young_old_style.name, live.name, other.name])
