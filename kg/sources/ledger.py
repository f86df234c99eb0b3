"""What ``kg import`` remembers from row to row, kept in SQLite rather than in Python.

An import must remember, across a million rows, each claim's description (to check
that its rows agree and to describe it at the end), the entities the graph does not
know (each needs a type row), the types the CSV gives, and the links whose class is
checked once every type is known. Kept as Python objects, that grows by a kilobyte or
so per claim and entity; here it is a SQLite database (Python's own ``sqlite3``) in
memory for a small CSV, or a file in the import's temporary folder for a large one,
whose page cache is bounded, so the import's memory does not grow with the rows.
Recently used claims are also kept in a small cache in front of the database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

_SCHEMA = """
CREATE TABLE claims (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, iri TEXT NOT NULL, line INTEGER NOT NULL,
                     kind TEXT, confidence TEXT, stated TEXT, locator TEXT, sources TEXT, notes TEXT);
CREATE INDEX claims_by_iri ON claims (iri);
CREATE TABLE unknown (id INTEGER PRIMARY KEY, term TEXT UNIQUE NOT NULL, col TEXT NOT NULL, line INTEGER NOT NULL);
CREATE TABLE typed (local TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE types (subject TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (subject, type)) WITHOUT ROWID;
CREATE TABLE links (id INTEGER PRIMARY KEY, line INTEGER NOT NULL, prop TEXT NOT NULL, value TEXT NOT NULL);
"""
_CACHED_CLAIMS = 4096
_SEPARATOR = "\x1f"  # in no cell: the CSV reader keeps it, but a key joined with it stays one key


@dataclass(slots=True)
class Claim:
    """One claim as its first row described it, and the sources and notes of all its rows."""

    key: str
    iri: str
    line: int
    values: tuple[str, str, str, str]  # claim_kind, confidence, stated_on, locator
    sources: list[str]
    notes: list[str]


VALUE_COLUMNS = ("claim_kind", "confidence", "stated_on", "locator")


class Ledger:
    """The import's memory of rows: claims, unknown entities, type rows and links."""

    def __init__(self, path: str | None = None):
        self.db = sqlite3.connect(path or ":memory:", isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE", "cache_size=-16384"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(_SCHEMA)
        self.db.execute("BEGIN")
        self._claims: dict[str, Claim] = {}

    @staticmethod
    def key(*parts: str) -> str:
        """One text key for a claim's key parts."""
        return _SEPARATOR.join(parts)

    # -- claims --------------------------------------------------------------------------

    def claim(self, key: str) -> Claim | None:
        """The claim of ``key`` so far, or None."""
        found = self._claims.get(key)
        if found is None:
            row = self.db.execute("SELECT iri, line, kind, confidence, stated, locator, sources, notes "
                                  "FROM claims WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            found = Claim(key, row[0], row[1], tuple(row[2:6]), _split(row[6]), _split(row[7]))
            self._remember(found)
        return found

    def new_claim(self, key: str, iri: str, line: int, values: tuple[str, str, str, str]) -> Claim:
        claim = Claim(key, iri, line, values, [], [])
        self.db.execute("INSERT INTO claims (key, iri, line, kind, confidence, stated, locator, sources, notes) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, '', '')", (key, iri, line, *values))
        self._remember(claim)
        return claim

    def add_to_claim(self, claim: Claim, source: str, note: str) -> None:
        """Add a row's source and note (if new) to its claim."""
        changed = False
        if source not in claim.sources:
            claim.sources.append(source)
            changed = True
        if note and note not in claim.notes:
            claim.notes.append(note)
            changed = True
        if changed:
            self.db.execute("UPDATE claims SET sources = ?, notes = ? WHERE key = ?",
                            (_SEPARATOR.join(claim.sources), _SEPARATOR.join(claim.notes), claim.key))

    def _remember(self, claim: Claim) -> None:
        if len(self._claims) >= _CACHED_CLAIMS:
            self._claims.clear()
        self._claims[claim.key] = claim

    def claims(self) -> Iterator[Claim]:
        """Every claim, in the order of their first rows."""
        for row in self.db.execute("SELECT key, iri, line, kind, confidence, stated, locator, sources, notes "
                                   "FROM claims ORDER BY id"):
            yield Claim(row[0], row[1], row[2], tuple(row[3:7]), _split(row[7]), _split(row[8]))

    def is_claim(self, iri: str) -> bool:
        """True when ``iri`` names one of the import's claims."""
        return self.db.execute("SELECT 1 FROM claims WHERE iri = ?", (iri,)).fetchone() is not None

    def claim_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]

    # -- entities ------------------------------------------------------------------------

    def unknown(self, term: str, column: str, line: int) -> None:
        """Note the first row naming an entity the graph does not know."""
        self.db.execute("INSERT OR IGNORE INTO unknown (term, col, line) VALUES (?, ?, ?)", (term, column, line))

    def typed(self, local: str) -> None:
        """A type row for ``local`` (an ``id:`` name), even a bad one."""
        self.db.execute("INSERT OR IGNORE INTO typed (local) VALUES (?)", (local,))

    def type(self, subject: str, cls: str) -> None:
        """A good type row: ``subject`` is a ``cls``."""
        self.db.execute("INSERT OR IGNORE INTO types (subject, type) VALUES (?, ?)", (subject, cls))

    def types(self, subject: str) -> set[str]:
        """The classes the CSV gives ``subject``."""
        return {row[0] for row in self.db.execute("SELECT type FROM types WHERE subject = ?", (subject,))}

    def untyped(self, namespace: str) -> Iterator[tuple[str, str, int]]:
        """(term, column, line) of each unknown entity that has no type row (good or bad),
        in the order they were first named; ``namespace`` is what a term's ``id:`` name follows."""
        yield from self.db.execute(
            "SELECT term, col, line FROM unknown u WHERE NOT EXISTS (SELECT 1 FROM types t WHERE t.subject = u.term) "
            "AND NOT EXISTS (SELECT 1 FROM typed WHERE local = substr(u.term, ?)) ORDER BY id", (len(namespace) + 1,))

    def unknown_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM unknown").fetchone()[0]

    # -- links ---------------------------------------------------------------------------

    def link(self, line: int, prop: str, value: str) -> None:
        """A row linking to ``value`` through ``prop``, whose class is checked at the end."""
        self.db.execute("INSERT INTO links (line, prop, value) VALUES (?, ?, ?)", (line, prop, value))

    def links(self) -> Iterator[tuple[int, str, str]]:
        """Every link, in row order."""
        yield from self.db.execute("SELECT line, prop, value FROM links ORDER BY id")

    def close(self) -> None:
        self.db.close()


def _split(text: str) -> list[str]:
    return text.split(_SEPARATOR) if text else []
