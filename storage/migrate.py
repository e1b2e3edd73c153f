"""Schema migrations (Alembic) driven from code: upgrade, check, autogenerate."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    def _get(conn: Connection) -> str | None:
        return MigrationContext.configure(conn).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_get)


async def is_up_to_date(engine: AsyncEngine) -> bool:
    return await current_revision(engine) == head_revision()


def next_revision_id() -> str:
    """The number after the highest numbered revision: 0001 → "0002"."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    numbers = [int(r.revision) for r in script.walk_revisions() if r.revision.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


async def autogenerate(engine: AsyncEngine, message: str, rev_id: str | None = None) -> Path:
    """Write a new revision file (versions/<rev_id>_<message>.py) with what the models have and
    the database at `engine` has not; the database must be at the head revision. Returns its path."""

    def _revision(conn: Connection) -> Path:
        cfg = alembic_config(str(engine.url))
        cfg.attributes["connection"] = conn
        cfg.cmd_opts = Namespace(quiet=True)  # the caller reports the new file in its own words
        script = command.revision(
            cfg, message=message, autogenerate=True, rev_id=rev_id or next_revision_id()
        )
        assert isinstance(script, Script)  # one revision, not a list per branch
        _tidy(Path(script.path))
        return Path(script.path)

    async with engine.connect() as conn:
        return await conn.run_sync(_revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    def _up(conn: Connection) -> None:
        cfg = alembic_config(str(engine.url))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_up)


def _tidy(path: Path) -> None:
    """Leave a generated revision as the tree's style wants it (ruff fix + format), when ruff
    is installed; the file is fine without, only the lint test would ask for it."""
    if importlib.util.find_spec("ruff") is None:
        return
    for args in (["check", "--fix", "--quiet", "--exit-zero"], ["format", "--quiet"]):
        subprocess.run([sys.executable, "-m", "ruff", *args, str(path)], check=False, capture_output=True)
