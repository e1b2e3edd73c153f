"""Report services compute from what storage/queries returns: they build no SQL and import no
private storage helper (issue 9: one queries module for read-only report SQL)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORT_SERVICES = (
    "metrics",
    "digest",
    "ranking",
    "export",
    "charts",
    "periods",
    "org_rollup",
    "rectification_queries",
)
SQL_PACKAGES = ("sqlalchemy", "sqlmodel")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


@pytest.mark.parametrize("name", REPORT_SERVICES)
def test_report_service_builds_no_sql(name: str) -> None:
    mods = imported_modules(ROOT / "services" / f"{name}.py")
    assert sorted(m for m in mods if m.split(".")[0] in SQL_PACKAGES) == []
    private = [m for m in mods if m.startswith("storage.") and any(p.startswith("_") for p in m.split("."))]
    assert private == []


def test_report_queries_are_read_only() -> None:
    for path in (ROOT / "storage" / "queries").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for write in (".add(", "insert(", "update(", "delete(", ".commit(", ".flush("):
            assert write not in text, f"{path.name} writes ({write})"
