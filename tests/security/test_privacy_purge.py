"""Item 8 of issue 10 (PIPL retention): the personal fields of tickets closed longer than the
retention period (default 3 years) are erased by `gongzhi privacy purge` and the scheduled
jobs; a ticket closed a day later keeps them; every count and rate is the same afterwards;
each purge is audited; `--dry-run` changes nothing."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.background import run_scheduled_jobs
from bot.cli import main
from services import privacy
from services.accounts import Identity, ensure_account
from services.metrics import metrics_by_level
from services.periods import parse_period
from storage.clock import FrozenClock
from storage.config import DomainConfig
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import MessageLink, Notification, Source, TicketState
from storage.uow import UowFactory, make_uow_factory
from tests.storage.ticket_seed import add_event, add_ticket, demo_org

NOW = datetime(2029, 12, 1, 2, 0, tzinfo=UTC)
RETENTION = DomainConfig().retention
PHONE, OTHER = "13912345678", "13800001111"


async def _seed(f: UowFactory) -> dict[str, int]:
    """Three 2026 tickets: closed a day beyond retention, a day within it, and still open."""
    await demo_org(f)
    ids = {}
    async with f() as uow:
        who = await ensure_account(uow, Identity("telegram", "900", "900", "王秀兰"))
        unit = await uow.org.unit((await uow.org.by_code("XGY")).id or 0, "1-1-101")  # type: ignore[union-attr]
        for name, closed_ago in (
            ("old", RETENTION + timedelta(days=1)),
            ("recent", RETENTION - timedelta(days=1)),
        ):
            closed = NOW - closed_ago
            created = closed - timedelta(days=2)
            t = await add_ticket(
                uow,
                "XGY",
                created,
                state=TicketState.closed,
                ack=timedelta(hours=1),
                resolved=timedelta(days=1),
                closed=timedelta(days=2),
                rating=4,
                reporter_id=who.id,
                unit_id=unit.id if unit else None,
                photos=["AgAC-photo"],
                latitude=40.1,
                longitude=117.1,
                rating_comment="修得好，王师傅电话 13700001234",
                description=f"漏水，请打 {PHONE}",
                resolution_note=f"已修，联系 {OTHER}",
            )
            await add_event(
                uow,
                t,
                "resident_message",
                created + timedelta(hours=2),
                text="在家",
                photos=["p"],
                answered=True,
            )
            await add_event(uow, t, "acknowledged", created + timedelta(hours=1))
            uow.session.add(
                Notification(
                    dedup_key=f"relay:{t.id}",
                    kind="relay_to_staff",
                    ticket_id=t.id,
                    channel="telegram",
                    chat_id="900",
                    account_id=who.id,
                    due_at=created,
                    payload={"text": "在家", "photos": ["p"], "answered": True},
                    next_attempt_at=created,
                    created_at=created,
                )
            )
            uow.session.add(
                MessageLink(
                    channel="telegram",
                    chat_id="900",
                    message_id=t.id or 0,
                    ticket_id=t.id or 0,
                    account_id=who.id,
                )
            )
            ids[name] = t.id or 0
        hotline = await add_ticket(
            uow,
            "XGY",
            NOW - RETENTION - timedelta(days=9),
            state=TicketState.rejected,
            closed=timedelta(days=1),
            reject_reason="invalid",
            source=Source.hotline,
            caller_phone=PHONE,
        )
        ids["hotline"] = hotline.id or 0
        ids["open"] = (await add_ticket(uow, "XGY", NOW - timedelta(days=1), reporter_id=who.id)).id or 0
        await uow.commit()
    return ids


async def _metrics(f: UowFactory) -> list[dict[str, Any]]:
    async with f() as uow:
        rows = []
        for level in ("compound", "district"):
            for period in ("2026Q4", "2026-01-01..2029-12-31"):
                rows += [asdict(g) for g in await metrics_by_level(uow, parse_period(period), level)]
        return rows


async def _ticket(f: UowFactory, tid: int) -> Any:
    async with f() as uow:
        t = await uow.tickets.get(tid)
        events = [dict(e.data) for e in await uow.tickets.events(tid)]
        notes = [(dict(n.payload), n.account_id, n.chat_id) for n in await uow.outbox.of_ticket(tid)]
        link = await uow.outbox.link("telegram", "900", tid)
        return t, events, notes, link is not None


async def test_purge_erases_past_retention_only_and_keeps_statistics(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    clock.set(NOW)
    f = uow_factory
    ids = await _seed(f)
    before = await _metrics(f)
    recent_before = await _ticket(f, ids["recent"])
    async with f() as uow:
        dry = await privacy.purge(uow, dry_run=True)
        await uow.commit()
    assert sorted(dry.numbers) == sorted([(await _ticket(f, ids[k]))[0].number for k in ("old", "hotline")])
    assert (await _ticket(f, ids["old"]))[0].erased_at is None  # a dry run changes nothing
    await run_scheduled_jobs(f)  # the scheduled job
    old, events, notes, linked = await _ticket(f, ids["old"])
    assert (old.reporter_id, old.unit_id, old.photos, old.latitude, old.longitude) == (
        None,
        None,
        [],
        None,
        None,
    )
    assert old.rating_comment is None and old.erased_at == NOW
    assert PHONE not in old.description and "漏水" in old.description
    assert OTHER not in (old.resolution_note or "")
    assert {"erased": True, "answered": True} in events and not any(
        "text" in e or "photos" in e for e in events
    )
    assert notes == [({"answered": True}, None, "")] and not linked  # nothing ties the reporter to it
    assert (old.state, old.rating, old.closed_at, old.category) == (
        "closed",
        4,
        NOW - RETENTION - timedelta(days=1),
        "leak",
    )
    hotline = (await _ticket(f, ids["hotline"]))[0]
    assert hotline.caller_phone is None and hotline.source == "hotline"
    # a day within retention, and open tickets, keep everything
    recent = await _ticket(f, ids["recent"])
    assert recent[3] and recent[2][0][1] is not None
    assert recent[0].model_dump() == recent_before[0].model_dump() and recent[1:] == recent_before[1:]
    assert (await _ticket(f, ids["open"]))[0].reporter_id is not None
    assert await _metrics(f) == before
    async with f() as uow:
        log = [(a.action, a.params) for a in await _audit(uow)]
    assert len(log) == 1 and log[0][0] == privacy.AUDIT_ACTION and len(log[0][1]["tickets"]) == 2
    # once erased is done: the next run erases nothing and writes no audit row; a day later
    # the other ticket passes the boundary
    await run_scheduled_jobs(f)
    clock.set(NOW + timedelta(days=2))
    async with f() as uow:
        second = await privacy.purge(uow)
        await uow.commit()
    assert second.numbers == [recent_before[0].number]
    async with f() as uow:
        assert [a.action for a in await _audit(uow)] == [privacy.AUDIT_ACTION] * 2


async def _audit(uow: Any) -> list[Any]:
    from sqlmodel import col, select

    from storage.models import AuditLog

    return list((await uow.session.execute(select(AuditLog).order_by(col(AuditLog.id)))).scalars().all())


def test_privacy_purge_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    db = tmp_path / "cli.db"
    monkeypatch.setenv("GONGZHI_DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    monkeypatch.delenv("GONGZHI_BOT_TOKEN", raising=False)
    monkeypatch.setenv("GONGZHI_RETENTION_DAYS", "30")
    monkeypatch.chdir(tmp_path)

    async def seed() -> None:
        engine: AsyncEngine = create_engine(f"sqlite+aiosqlite:///{db}")
        await upgrade(engine)
        f = make_uow_factory(engine)
        await demo_org(f)
        async with f() as uow:
            now = datetime.now(UTC)
            await add_ticket(
                uow,
                "XGY",
                now - timedelta(days=40),
                state=TicketState.closed,
                closed=timedelta(days=5),
                caller_phone=PHONE,
            )
            await add_ticket(
                uow,
                "XGY",
                now - timedelta(days=20),
                state=TicketState.closed,
                closed=timedelta(days=5),
                caller_phone=PHONE,
            )
            await uow.commit()
        await engine.dispose()

    asyncio.run(seed())
    assert main(["privacy", "purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.count("T-") == 1 and "试运行：1 张工单" in out
    assert main(["privacy", "purge"]) == 0
    assert "已清除 1 张工单" in capsys.readouterr().out
    assert main(["privacy", "purge"]) == 0
    assert "已清除 0 张工单" in capsys.readouterr().out
