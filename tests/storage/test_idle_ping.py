"""A pooled PostgreSQL connection is pinged only after sitting idle (storage/db.py): one lost
meanwhile (the server restarted, a middlebox dropped it) is replaced before use, and one in
steady use costs no extra round trip."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

import storage.db
from storage.db import create_engine
from tests.conftest import PG_URL

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="GONGZHI_TEST_DATABASE_URL not set (PostgreSQL tier)"),
]


async def _pid(engine: storage.db.AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_an_idle_connection_lost_meanwhile_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    assert PG_URL
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE", 0.0)
    engine, admin = create_engine(PG_URL), create_engine(PG_URL)
    try:
        before = await _pid(engine)
        async with admin.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
        assert await _pid(engine) != before  # no error: the ping found it gone
    finally:
        await engine.dispose()
        await admin.dispose()


async def test_a_connection_in_steady_use_is_not_pinged() -> None:
    assert PG_URL
    engine = create_engine(PG_URL)
    pings: list[object] = []
    orig = engine.dialect.do_ping
    engine.dialect.do_ping = lambda c: pings.append(c) or orig(c)  # type: ignore[method-assign]
    seen: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    try:
        for _ in range(3):
            await _pid(engine)
        assert pings == [] and len(seen) == 3
    finally:
        await engine.dispose()
