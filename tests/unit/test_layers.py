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


# Dev tooling (the fake Bot API and the sandbox web chat) lives in sandbox/, beside the runtime.
# Rule: services/, storage/, handlers/, locales/ and every runtime module of bot/ never import
# sandbox; the one exception is the CLI entry point that starts the sandbox (`gongzhi run` with
# no token, `gongzhi sandbox`, `--sandbox`), bot/cli.py. sandbox/ may import the runtime.
SANDBOX_IMPORT_ALLOWED = {"bot/cli.py"}


def test_only_the_cli_entry_imports_the_sandbox() -> None:
    offenders = sorted(
        str(p.relative_to(ROOT))
        for pkg in ("services", "storage", "handlers", "locales", "bot")
        for p in (ROOT / pkg).rglob("*.py")
        if "sandbox" in _imports(p) and str(p.relative_to(ROOT)) not in SANDBOX_IMPORT_ALLOWED
    )
    assert offenders == []
    assert "sandbox" in _imports(ROOT / "bot" / "cli.py")  # the exception is still needed


def test_each_adapter_has_one_runtime_beside_it() -> None:
    adapters = ROOT / "bot" / "adapters"
    libraries = sorted(p.stem.removesuffix("_adapter") for p in adapters.glob("*_adapter.py"))
    runtimes = sorted(p.stem.removesuffix("_runtime") for p in adapters.glob("*_runtime.py"))
    assert libraries == runtimes == ["aiogram", "ptb"]
    # one shared background module, and no look-alike runtime modules elsewhere in bot/
    assert sorted(p.name for p in (ROOT / "bot").glob("runtime*.py")) == []
    assert (ROOT / "bot" / "background.py").is_file()


def test_every_shipped_package_is_installed_with_its_files() -> None:
    import fnmatch
    import tomllib

    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    include = tool["packages"]["find"]["include"]
    packages = sorted(
        p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in ("tests", "bench")
    )
    assert "sandbox" in packages
    assert [p for p in packages if not any(fnmatch.fnmatch(p, pat) for pat in include)] == []
    data = tool["package-data"]["*"]
    static = {p.name for p in (ROOT / "sandbox" / "webchat" / "static").iterdir()}
    assert {"index.html", "app.js", "style.css"} <= static
    assert [n for n in static if not any(fnmatch.fnmatch(n, pat) for pat in data)] == []


def test_bot_loads_no_module_by_name() -> None:
    """Explicit wiring: no __import__ / importlib in the runtime (CLI commands included)."""
    offenders = sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "bot").rglob("*.py")
        if "importlib" in _imports(p) or "__import__(" in p.read_text(encoding="utf-8")
    )
    assert offenders == []


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


def _module_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{a.name}" for a in node.names)
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "module", ["tickets", "resident", "ticket_machine", "ticket_rules", "escalation", "tick"]
)
def test_transitions_leave_side_effects_to_the_event_policy(module: str) -> None:
    """Notifications and deadline changes follow recorded events (services/ticket_effects.py
    reading services/ticket_policy.py); no transition writes them by hand. The tick may read
    the deadlines (it is the clock) but tells nobody itself."""
    names = _module_imports(ROOT / "services" / f"{module}.py")
    assert not {"services.notify", "services.notify.to_account"} & names
    if module != "tick":
        assert not any(n.startswith("services.deadlines") for n in names)


def test_services_build_no_sql() -> None:
    """SQL lives in storage/ (repositories and storage/queries); services call them. A service
    may catch the driver's errors (sqlalchemy.exc), nothing else of SQLAlchemy or SQLModel."""
    offenders: dict[str, list[str]] = {}
    for p in (ROOT / "services").rglob("*.py"):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                mod = node.module
                if (mod.split(".")[0] in {"sqlmodel", "sqlalchemy"} and mod != "sqlalchemy.exc") or (
                    mod.startswith("storage.repos.")
                ):
                    offenders.setdefault(str(p.relative_to(ROOT)), []).append(mod)
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.split(".")[0] in {"sqlmodel", "sqlalchemy"}]
                if names:
                    offenders.setdefault(str(p.relative_to(ROOT)), []).extend(names)
    assert offenders == {}
