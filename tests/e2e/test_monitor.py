"""/healthz and /metrics: on GONGZHI_METRICS_PORT in polling mode (the real aiogram runtime
against the fake Bot API), and what /healthz says when the database or the tick is gone."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import aiohttp

from bot.adapters.choice import make_runtime
from bot.monitor import Monitor
from sandbox.fakeapi import FakeBotApi
from storage.db import create_engine
from storage.uow import make_uow_factory
from tests.e2e.bot_driver import RESIDENT, prepare_db, settings_for
from tests.e2e.scale_support import free_port, until_true
from tests.waiting import until


async def fetch(port: int, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as s:
        async with s.get(f"http://127.0.0.1:{port}{path}") as r:
            return r.status, await r.text()


def value(text: str, sample: str) -> float:
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {sample} in /metrics")


async def test_metrics_and_health_on_their_own_port_in_polling_mode(
    cast_api: FakeBotApi, tmp_path: Path
) -> None:
    api = cast_api
    db = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await prepare_db(db)
    port = free_port()
    settings = settings_for(api, db).model_copy(update={"metrics_port": port})
    runtime = make_runtime(settings)
    await runtime.start()
    try:
        api.send_text(RESIDENT, "/start c_XGY")
        await api.wait_for(lambda c: c.ok and c.method == "sendMessage", timeout=20)
        api.fail_next("sendMessage", 429, retry_after=1)
        api.send_text(RESIDENT, "/help")
        await api.wait_for(lambda c: c.ok and c.method == "sendMessage", timeout=20)

        async def both_counted() -> bool:
            status, text = await fetch(port, "/metrics")
            return status == 200 and 'gongzhi_updates_total{kind="command"} 2.0' in text

        await until_true(both_counted, 20, "both updates counted")
        _, text = await fetch(port, "/metrics")
        assert value(text, 'gongzhi_updates_total{kind="command"}') == 2
        assert value(text, "gongzhi_update_seconds_count") == 2
        assert value(text, "gongzhi_telegram_429_total") == 1
        assert value(text, "gongzhi_handler_errors_total") == 0
        assert value(text, "gongzhi_outbox_pending") == 0
        assert "gongzhi_outbox_oldest_pending_seconds" in text and "gongzhi_open_tickets" in text
        assert await fetch(port, "/healthz") == (200, "ok")
    finally:
        await runtime.stop()


async def test_health_says_what_is_wrong(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await prepare_db(db)
    engine = create_engine(db)
    monitor = Monitor(make_uow_factory(engine), tick_seconds=20)
    monitor.ticked()
    assert await monitor.health() == (True, "ok")
    monitor.last_tick = time.monotonic() - 61  # three tick periods without a tick
    ok, reason = await monitor.health()
    assert not ok and reason.startswith("tick")
    monitor.ticked()
    await engine.dispose()
    threads = set(threading.enumerate())
    gone = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'x.db'}")
    assert await Monitor(make_uow_factory(gone), tick_seconds=20).health() == (
        False,
        "database: OperationalError",
    )
    await gone.dispose()
    # aiosqlite stops the failed connection's worker thread with a future of this loop: let it
    # finish while the loop runs (else it reports "Event loop is closed" into the next test)
    await until(lambda: set(threading.enumerate()) <= threads, what="aiosqlite's worker thread stopped")
    monitor.stopping = True
    assert await monitor.health() == (False, "stopping")
