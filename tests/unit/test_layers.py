"""The layering rules of design.md, checked on the source."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import locales

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IN_CORE = ("aiogram", "telegram", "apscheduler", "handlers", "bot")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["services", "storage"])
def test_core_imports_no_framework(package: str) -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & set(FORBIDDEN_IN_CORE))
        for p in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_handlers_import_no_chat_framework() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & {"aiogram", "telegram", "apscheduler", "bot"})
        for p in (ROOT / "handlers").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_catalogues_have_the_same_keys() -> None:
    zh, en = locales.keys("zh_CN"), locales.keys("en")
    assert zh - en == set() and en - zh == set()


KEY_LITERAL = re.compile(r"""msg\(\s*["']([a-z0-9-]+)["']""")


def test_every_literal_message_key_exists() -> None:
    zh = locales.keys("zh_CN")
    missing = {}
    for pkg in ("handlers", "bot"):
        for p in (ROOT / pkg).rglob("*.py"):
            for key in KEY_LITERAL.findall(p.read_text(encoding="utf-8")):
                if key not in zh:
                    missing.setdefault(str(p.relative_to(ROOT)), []).append(key)
    assert missing == {}


def test_every_category_state_and_priority_has_a_name() -> None:
    from services.categories import CATEGORIES
    from storage.models import Priority, TicketState

    zh = locales.keys("zh_CN")
    wanted = {f"category-{c.key}" for c in CATEGORIES} | {f"state-{s.value}" for s in TicketState}
    wanted |= {f"priority-{p.value}" for p in Priority}
    assert wanted - zh == set()


def test_every_domain_error_code_has_a_message() -> None:
    codes = set()
    pattern = re.compile(r"""DomainError\(\s*["']([a-z_]+)["']""")
    for pkg in ("services", "handlers"):
        for p in (ROOT / pkg).rglob("*.py"):
            codes.update(pattern.findall(p.read_text(encoding="utf-8")))
    zh = locales.keys("zh_CN")
    assert {c for c in codes if f"error-{c.replace('_', '-')}" not in zh} == set()
