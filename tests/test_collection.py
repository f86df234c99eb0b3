"""Guard against a suite that silently shrinks: count what pytest collected."""

from __future__ import annotations

from pathlib import Path

MINIMUM_WHEN_WHOLE_SUITE = 320
TESTS_DIR = Path(__file__).resolve().parent


def test_every_requested_test_file_contributed_tests(request):
    from conftest import DESELECTED

    items = list(request.session.items) + DESELECTED
    by_file = {Path(str(item.fspath)).name for item in items}
    requested = [Path(arg.split("::")[0]).resolve() for arg in request.config.args] or [TESTS_DIR]
    whole_suite = any(path == TESTS_DIR or path == TESTS_DIR.parent for path in requested)
    files = sorted(p.name for p in TESTS_DIR.glob("test_*.py")) if whole_suite else [
        p.name for p in requested if p.suffix == ".py"
    ]
    assert [name for name in files if name not in by_file] == []
    if whole_suite:
        assert len(items) >= MINIMUM_WHEN_WHOLE_SUITE, f"only {len(items)} tests collected"
