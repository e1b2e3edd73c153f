"""Shared fixtures: a fresh database per test (SQLite file; PostgreSQL too when
GONGZHI_TEST_DATABASE_URL is set), a controllable clock, a unit-of-work factory."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import bot.adapters.aiogram_models  # noqa: F401  # isort: skip (aiogram's models built when used, as in the bot)
from hypothesis import HealthCheck, settings
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.clock import FrozenClock
from storage.db import create_engine
from storage.migrate import upgrade
from storage.uow import UowFactory, make_uow_factory

PG_URL = os.environ.get("GONGZHI_TEST_DATABASE_URL")

# property tests: the same examples on every run (CI is reproducible and its time bounded);
# HYPOTHESIS_PROFILE=explore searches afresh with more examples
# (the flow tests share one harness across a test's examples, deliberately)
SHARED_FIXTURE = [HealthCheck.function_scoped_fixture]
settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=SHARED_FIXTURE)
settings.register_profile("explore", max_examples=500, deadline=None, suppress_health_check=SHARED_FIXTURE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _backends() -> list[object]:
    marks = [pytest.param("sqlite", id="sqlite")]
    marks.append(
        pytest.param(
            "postgres",
            id="postgres",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not PG_URL, reason="GONGZHI_TEST_DATABASE_URL not set (PostgreSQL tier)"),
            ],
        )
    )
    return marks


@pytest.fixture
def clock() -> FrozenClock:
    # a Wednesday, 10:00 in Beijing
    return FrozenClock(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))


async def _pg_engine() -> AsyncIterator[AsyncEngine]:
    """A fresh schema on the PostgreSQL server, dropped afterwards."""
    assert PG_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(PG_URL, search_path=schema)
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture(params=_backends())
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database on each backend."""
    if request.param == "postgres":
        async for e in _pg_engine():
            await upgrade(e)
            yield e
        return
    e = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    await upgrade(e)
    yield e
    await e.dispose()


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    e = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    await upgrade(e)
    yield e
    await e.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine, clock: FrozenClock) -> UowFactory:
    return make_uow_factory(engine, clock)
