"""A knowledge graph kept on disk (``--store DIR``): loaded once, queried many times.

``DIR`` holds ``kg-store.json`` (what was loaded, by which kg version, with how many
quads, and whether inferences are kept), ``asserted/`` (an Oxigraph store: ontology,
facts and provenance) and, once reasoned, ``reasoned/`` (the same plus ``kgg:inferred``,
which ``--inferred`` queries read). A new graph is written beside the old one and
swapped in when complete, so an interrupted load leaves the previous store intact.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from kg import __version__
from kg.errors import InputError

MANIFEST = "kg-store.json"
FORMAT = 2
ASSERTED, REASONED = "asserted", "reasoned"


def is_store(folder: Path) -> bool:
    """True when ``folder`` holds a kg store."""
    return (Path(folder) / MANIFEST).is_file()


def check_folder(folder: Path) -> None:
    """``--store DIR`` must be a kg store, a new path or an empty folder."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--store {folder}: is a file, not a folder")
    if folder.is_dir() and not is_store(folder) and any(folder.iterdir()):
        raise InputError(f"--store {folder}: not a kg store (no {MANIFEST}) and not empty; "
                         "give a new or empty folder")


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"--store {folder}: cannot read {MANIFEST}: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"--store {folder}: {MANIFEST} is not a kg store manifest of format {FORMAT}")
    return manifest


def write_manifest(folder: Path, manifest: dict) -> None:
    from kg.files import atomic_write

    manifest = {"format": FORMAT, "kg_version": __version__, **manifest}
    atomic_write(Path(folder) / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def open_store(folder: Path, part: str, read_only: bool):
    """The Oxigraph store ``folder/part``; one line if it is missing or in use."""
    import pyoxigraph

    path = Path(folder) / part
    if not path.is_dir():
        raise InputError(f"--store {folder}: has no {part} graph")
    try:
        return pyoxigraph.Store.read_only(str(path)) if read_only else pyoxigraph.Store(str(path))
    except OSError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "lock" in reason.lower():
            reason = "in use by another kg process"
        raise InputError(f"--store {folder}: cannot open {part}: {reason}") from None


def new_store(folder: Path, part: str):
    """A fresh Oxigraph store beside ``folder/part``, to be swapped in by :func:`swap`."""
    import pyoxigraph

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(f".{part}-new-*"):  # from a run that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    path = folder / f".{part}-new-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    return pyoxigraph.Store(str(path)), path


def swap(folder: Path, part: str, built: Path) -> None:
    """Put the store at ``built`` in place of ``folder/part``."""
    target = Path(folder) / part
    old = Path(folder) / f".{part}-old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(built, target)
    shutil.rmtree(old, ignore_errors=True)


def drop(folder: Path, part: str) -> None:
    shutil.rmtree(Path(folder) / part, ignore_errors=True)
