"""Progress on standard error only on a terminal (and never with --quiet), and the ways to
ask a question: inline text, a plain .rq file, --describe, --list --format json."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess

from conftest import kg_executable, run_kg


def _on_a_terminal(*args: str, timeout: float = 120) -> str:
    """Run the installed kg with standard error on a pseudo-terminal; what it wrote there."""
    main, secondary = pty.openpty()
    process = subprocess.Popen([kg_executable(), *args], stdout=subprocess.DEVNULL, stderr=secondary,
                               stdin=subprocess.DEVNULL, env=dict(os.environ, COLUMNS="100", TERM="xterm"))
    os.close(secondary)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], timeout)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other side closed: the run is over
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_the_phases_on_a_terminal():
    text = _on_a_terminal("reason")
    assert "loading" in text and "reasoning (rules)" in text and "checking consistency" in text
    assert "files" in text  # the loading phase counts the files it read


def test_no_progress_when_standard_error_is_not_a_terminal_or_with_quiet():
    done = run_kg("reason")
    assert done.returncode == 0 and done.stderr == ""
    assert "loading" not in _on_a_terminal("reason", "--quiet")


def test_an_inline_query_runs():
    done = run_kg("query", "-e", "SELECT ?c WHERE { id:xiaomi-beijing-plant ta:plannedAnnualCapacity ?c }",
                  "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["c", "300000"]
    both = run_kg("query", "xiaomi-beijing-plant", "-e", "ASK {}")
    assert both.returncode == 2 and both.stderr.splitlines() == [
        "kg query: error: give a query NAME or FILE, or -e TEXT, not both"]
    refused = run_kg("query", "-e", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert refused.returncode == 2 and refused.stderr.startswith("kg query: error: -e:1: SERVICE <http://127.0.0.1:9/> refused")


def test_describe_shows_the_header_and_parameters():
    done = run_kg("query", "xiaomi-beijing-plant", "--describe")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "xiaomi-beijing-plant: Xiaomi's Beijing plant: capacity, start of production and funding"
    assert "  company (iri, default id:xiaomi): the company to start from" in lines
    described = json.loads(run_kg("query", "xiaomi-beijing-plant", "--describe", "--format", "json").stdout)
    assert described["parameters"] == [{"name": "company", "type": "iri", "default": "id:xiaomi", "optional": False,
                                        "description": "the company to start from"}]


def test_the_list_of_questions_as_json():
    done = run_kg("query", "--list", "--format", "json")
    assert done.returncode == 0, done.stderr
    listed = {q["name"]: q for q in json.loads(done.stdout)}
    assert "statement-without-source-violation" in listed and "who-works-with-whom" in listed
    timeline = listed["announcements-timeline"]
    assert timeline["title"] == "Timeline of dated events"
    assert [p["name"] for p in timeline["parameters"]] == ["since"] and timeline["parameters"][0]["optional"] is True
