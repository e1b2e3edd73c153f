"""Every statement that writes a cached reference table moves the stamp (storage/refcache.py).

Changes the session flushes are stamped by its ``before_flush`` hook; INSERT/UPDATE/DELETE
statements are not, so a function that builds one on a cached model must call
``stamp_written`` too. Checked on the source of storage/ and services/."""

from __future__ import annotations

import ast
from pathlib import Path

from storage.refcache import CACHED

ROOT = Path(__file__).resolve().parents[2]
CACHED_NAMES = {m.__name__ for m in CACHED} | {"RoleGrant"}
DML = {"insert", "update", "delete", "insert_ignore"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def unstamped_writes(source: str) -> list[str]:
    """The functions of ``source`` with a DML statement on a cached model and no stamp."""
    out = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        calls = [c for c in ast.walk(fn) if isinstance(c, ast.Call)]
        writes = any(
            _name(c.func) in DML
            and any(_name(a) in CACHED_NAMES for a in ast.walk(c) if isinstance(a, ast.expr))
            for c in calls
        )
        if writes and not any(_name(c.func) == "stamp_written" for c in calls):
            out.append(fn.name)
    return out


def test_the_check_sees_an_unstamped_write() -> None:
    src = (
        "async def seed(s, v):\n    return await insert_ignore(s, SlaPolicy, v)\n"
        "async def rename(s):\n    await s.execute(update(OrgNode).values(name='x'))\n"
        "async def ok(s, v):\n    await insert_ignore(s, SlaPolicy, v)\n    await stamp_written(s)\n"
        "async def other(s, v):\n    await insert_ignore(s, Notification, v)\n"
    )
    assert unstamped_writes(src) == ["seed", "rename"]


def test_every_statement_on_a_cached_table_moves_the_stamp() -> None:
    offenders = {
        str(p.relative_to(ROOT)): found
        for pkg in ("storage", "services")
        for p in (ROOT / pkg).rglob("*.py")
        if "migrations" not in p.parts and (found := unstamped_writes(p.read_text(encoding="utf-8")))
    }
    assert offenders == {}
