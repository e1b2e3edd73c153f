"""services/tick.py over a real database (SQLite; PostgreSQL too when configured): reminders on
the right working day, pauses, the escalation ladder, auto-close, idempotent and concurrent
ticks. The clock is a FrozenClock moved by hand; nothing sleeps."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services import resident, tickets
from services.tick import run_tick
from storage.clock import FrozenClock
from storage.models import TicketState
from storage.uow import UnitOfWork, UowFactory, make_uow_factory
from tests.storage.world import STAFF_GROUP, World, make_world, sh


@pytest.fixture
async def world(uow_factory: UowFactory, clock: FrozenClock) -> World:
    return await make_world(uow_factory, clock)


async def test_friday_before_holiday_reminds_on_the_next_working_day(world: World) -> None:
    # Fri 3 Apr 2026 17:00; Sat-Mon 4-6 Apr is 清明 (Mon 6 Apr a holiday)
    world.clock.set(sh(2026, 4, 3, 17, 0))
    tid = await world.report("sanitation")  # normal: first response 1 business day (9 h)
    t = await world.ticket(tid)
    assert t.first_response_due == sh(2026, 4, 7, 17, 0)  # 0.5 h Friday + 8.5 h Tuesday
    assert t.next_check_at == sh(2026, 4, 7, 12, 30)  # 50 %: 0.5 h + 4 h
    for quiet in (sh(2026, 4, 4, 12), sh(2026, 4, 6, 12, 30), sh(2026, 4, 7, 12, 29)):
        await world.tick_at(quiet)
        assert await world.rows("reminder") == []
    report = await world.tick_at(sh(2026, 4, 7, 12, 30))
    sent = await world.rows("reminder")
    assert report.reminders == 1 and len(sent) == 2  # one reminder: the staff member and the staff forum
    assert {n.chat_id for n in sent} == {str(501), STAFF_GROUP}
    assert sent[0].payload == {
        "target": "first_response",
        "percent": 50,
        "due": sh(2026, 4, 7, 17, 0).astimezone(UTC).isoformat(),
        "at": sh(2026, 4, 7, 12, 30).astimezone(UTC).isoformat(),
    }
    assert (await world.ticket(tid)).next_check_at == sh(2026, 4, 7, 15, 12)  # 80 %: 0.5 h + 6.7 h


async def test_make_up_working_day_counts_for_resolution(world: World) -> None:
    world.clock.set(sh(2026, 5, 7, 17, 0))  # Thursday; Saturday 9 May is a make-up working day
    tid = await world.report("sanitation")  # resolution 3 business days = 27 h
    assert (await world.ticket(tid)).resolution_due == sh(2026, 5, 11, 17, 0)


async def test_pause_over_a_night_moves_the_deadline_and_reminds_the_assignee(world: World) -> None:
    tid = await world.report("sanitation")  # Wed 25 Nov 2026 10:00
    assert (await world.ticket(tid)).resolution_due == sh(2026, 11, 30, 10, 0)
    world.clock.set(sh(2026, 11, 25, 10, 30))
    async with world.f() as uow:
        await tickets.take(uow, world.staff, tid)
        await uow.commit()
    world.clock.set(sh(2026, 11, 25, 16, 0))
    async with world.f() as uow:
        await tickets.ask_resident(uow, world.staff, tid, "是几号楼？")
        await uow.commit()
    paused = await world.ticket(tid)
    assert paused.resolution_due is None and paused.next_check_at is None
    world.clock.set(sh(2026, 11, 26, 9, 0))  # answered next morning: 1.5 h + 0.5 h paused
    async with world.f() as uow:
        await resident.resident_message(uow, world.resident, tid, "3号楼")
        await uow.commit()
    t = await world.ticket(tid)
    assert t.resolution_due == sh(2026, 11, 30, 12, 0)
    # 50 % of 27 h = 13.5 h: Wed 10:00-16:00 (6 h), then from Thu 09:00 another 7.5 h
    assert t.next_check_at == sh(2026, 11, 26, 16, 30)
    await world.tick_at(sh(2026, 11, 26, 16, 30))
    sent = await world.rows("reminder")
    assert {n.account_id for n in sent} == {world.staff.id, None}  # assignee + staff forum
    assert {n.payload["target"] for n in sent} == {"resolution"}


async def test_breach_climbs_the_escalation_ladder(world: World) -> None:
    tid = await world.report("leak")  # urgent: first response 2 h, resolution 24 h (both 24x7)
    t = await world.ticket(tid)
    assert t.first_response_due == sh(2026, 11, 25, 12, 0)
    report = await world.tick_at(sh(2026, 11, 25, 12, 5))
    assert report.escalations == 1
    [ev] = await world.events(tid, "escalated")
    assert ev.data == {"from": 0, "to": 1, "reason": "first_response_overdue", "late_minutes": 5}
    [note] = await world.rows("escalation", world.community)
    assert note.payload["to"] == 1 and note.chat_id == str(502)
    t = await world.ticket(tid)
    assert t.escalation_level == 1 and t.level_due == sh(2026, 11, 26, 12, 5)  # 1 business day
    # resolution (24 h wall clock) breaches at Thu 10:00: already escalated, handlers told
    await world.tick_at(sh(2026, 11, 26, 10, 0))
    overdue = [n for n in await world.rows("reminder") if n.payload["percent"] == 100]
    assert {n.payload["target"] for n in overdue} == {"first_response", "resolution"}
    assert (await world.ticket(tid)).escalation_level == 1
    await world.tick_at(sh(2026, 11, 26, 12, 5))  # level-1 deadline
    assert (await world.ticket(tid)).escalation_level == 2
    assert [n.payload["to"] for n in await world.rows("escalation", world.street)] == [2]
    t = await world.ticket(tid)
    assert t.level_due == sh(2026, 11, 30, 12, 5)  # 2 business days: Fri, Mon
    await world.tick_at(sh(2026, 11, 30, 12, 5))
    assert [n.payload["to"] for n in await world.rows("escalation", world.admin)] == [3]
    t = await world.ticket(tid)
    assert t.escalation_level == 3 and t.next_check_at is None  # the top: nothing more to check
    await world.tick_at(sh(2026, 12, 31, 12, 0))
    assert [e.data["to"] for e in await world.events(tid, "escalated")] == [1, 2, 3]


async def test_tick_twice_and_two_ticks_at_once_write_nothing_twice(world: World) -> None:
    ids = [await world.report() for _ in range(4)]
    world.clock.set(sh(2026, 11, 25, 14, 30))  # 50 % of 1 business day
    first, second = await asyncio.gather(run_tick(world.f), run_tick(world.f))
    assert first.tickets + second.tickets == 4
    again = await run_tick(world.f)
    assert again.tickets == 0 and again.reminders == 0
    rows = await world.rows("reminder")
    assert len(rows) == 8  # 4 tickets x (staff member + staff forum)
    assert len({n.dedup_key for n in rows}) == 8
    assert sorted({n.ticket_id for n in rows}) == sorted(ids)


async def test_restart_after_downtime_loses_no_reminder_and_repeats_none(
    world: World, engine: AsyncEngine
) -> None:
    tid = await world.report()
    # no tick ran between creation and 80 % (the process was down)
    await world.tick_at(sh(2026, 11, 26, 9, 0))  # 7.5 h + 0.5 h = 8 h > 7.2 h (80 %)
    percents = sorted(n.payload["percent"] for n in await world.rows("reminder", world.staff))
    assert percents == [50, 80]
    restarted = make_uow_factory(engine, world.clock)  # a new process on the same database
    assert (await run_tick(restarted)).reminders == 0
    assert len(await world.rows("reminder", world.staff)) == 2
    assert (await world.ticket(tid)).next_check_at == sh(2026, 11, 26, 10, 0)  # the breach


async def test_second_reopen_and_dissatisfied_rating_escalate(world: World) -> None:
    tid = await world.report()
    for n in (1, 2):
        async with world.f() as uow:
            await tickets.resolve(uow, world.staff, tid, "已清理")
            await uow.commit()
        async with world.f() as uow:
            await resident.confirm(uow, world.resident, tid, fixed=False)
            await uow.commit()
        levels = [e.data for e in await world.events(tid, "escalated")]
        assert len(levels) == n - 1
    assert levels == [{"from": 0, "to": 1, "reason": "reopened", "late_minutes": 0}]
    assert (await world.ticket(tid)).level_due is not None
    async with world.f() as uow:
        await tickets.resolve(uow, world.staff, tid, "再次清理")
        await uow.commit()
    async with world.f() as uow:
        await resident.confirm(uow, world.resident, tid, fixed=True)
        await resident.rate(uow, world.resident, tid, 1)
        await uow.commit()
    async with world.f() as uow:
        await resident.comment_rating(uow, world.resident, tid, "还是很脏")
        await uow.commit()
    reasons = [e.data["reason"] for e in await world.events(tid, "escalated")]
    assert reasons == ["reopened", "dissatisfied"]
    assert [n.payload["reason"] for n in await world.rows("escalation", world.street)] == ["dissatisfied"]
    t = await world.ticket(tid)
    assert t.escalation_level == 2 and t.state == TicketState.closed and t.next_check_at is None


async def test_unconfirmed_resolved_ticket_closes_itself_with_a_notice(world: World) -> None:
    tid = await world.report()
    world.clock.set(sh(2026, 11, 25, 11, 0))
    async with world.f() as uow:
        await tickets.resolve(uow, world.staff, tid, "已清理")
        await uow.commit()
    assert (await world.ticket(tid)).next_check_at == sh(2026, 11, 28, 11, 0)
    await world.tick_at(sh(2026, 11, 28, 10, 59))
    assert (await world.ticket(tid)).state == TicketState.resolved
    report = await world.tick_at(sh(2026, 11, 28, 11, 0))
    assert report.auto_closed == 1
    t = await world.ticket(tid)
    assert t.state == TicketState.closed and t.closed_at == sh(2026, 11, 28, 11, 0)
    assert len(await world.events(tid, "auto_closed")) == 1
    [notice] = await world.rows("auto_closed", world.resident)
    assert notice.payload == {"days": 3.0}
    await world.tick_at(sh(2026, 12, 5, 11, 0))
    assert len(await world.rows("auto_closed")) == 1


async def test_tick_reads_only_tickets_with_something_due(world: World) -> None:
    quiet = [await world.report() for _ in range(3)]
    assert (await world.tick_at(sh(2026, 11, 25, 10, 1))).tickets == 0
    world.clock.set(sh(2026, 11, 25, 10, 0))
    urgent = await world.report("leak")  # 50 % of 2 h at 11:00, before the normal ones
    report = await world.tick_at(sh(2026, 11, 25, 11, 0))
    assert report.tickets == 1
    assert {n.ticket_id for n in await world.rows("reminder")} == {urgent}
    assert [(await world.ticket(q)).next_check_at for q in quiet] == [sh(2026, 11, 25, 14, 30)] * 3


async def test_closed_and_waiting_tickets_have_no_next_check(world: World) -> None:
    tid = await world.report()
    async with world.f() as uow:
        await tickets.reject(uow, world.staff, tid, "invalid")
        await uow.commit()
    t = await world.ticket(tid)
    assert t.state == TicketState.rejected and t.next_check_at is None
    assert (await world.tick_at(sh(2026, 12, 10, 10))).tickets == 0
    assert await world.rows("reminder") == []


async def test_sla_rows_seed_once_and_the_cli_edits_them(world: World) -> None:
    import argparse

    from bot.cli_sla import cmd_sla, register, run_sla
    from services.sla import seed_defaults

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    assert parser.parse_args(["sla", "list"]).func is cmd_sla
    out: list[str] = []

    async def cli(*argv: str) -> None:
        out.clear()
        assert await run_sla(parser.parse_args(["sla", *argv]), world.f, out=out.append) == 0

    await cli("seed")
    assert out[0] == "已补充 6 条默认规则。"
    await cli("list")  # 2026-11-25: the calendar has no 调休 for next year yet
    assert out[0].startswith("⚠️ 日历中没有 2027 年的调休上班日") and len(out) > 6
    async with world.f() as uow:
        assert await seed_defaults(uow) == 0  # idempotent
    await cli("set", "sanitation", "normal", "--first-response", "2h", "--resolution", "1bd")
    assert "sanitation · normal · 首次响应 2h (business) · 办结 1bd (business) · 到场 -" in out
    assert "* · urgent · 首次响应 2h (24x7) · 办结 24h (24x7) · 到场 -" in out
    await cli("level", "1", "--deadline", "30m", "--clock", "24x7")
    assert "第 1 级（community）· * · 30m (24x7)" in out
    tid = await world.report("sanitation")  # Wed 10:00
    t = await world.ticket(tid)
    assert (t.first_response_due, t.resolution_due) == (sh(2026, 11, 25, 12), sh(2026, 11, 26, 10))
    await world.tick_at(sh(2026, 11, 25, 12, 0))
    assert (await world.ticket(tid)).level_due == sh(2026, 11, 25, 12, 30)  # the edited level
    other = await world.report("greenery")  # still the any-category normal row
    assert (await world.ticket(other)).first_response_due == sh(2026, 11, 26, 12, 0)


async def test_district_calendar_hours_override_file_and_time_zone(world: World, tmp_path: Path) -> None:
    from datetime import time

    from services import sla
    from services.calendar import WorkingHours
    from storage.config import DomainConfig

    override = tmp_path / "holidays.yaml"
    override.write_text("holidays: ['2026-11-26']\n", encoding="utf-8")
    plain = world.f

    def configured() -> UnitOfWork:  # what the composition root does from GONGZHI_HOLIDAYS_FILE
        uow = plain()
        uow.config = DomainConfig(holidays_file=str(override))
        return uow

    world.f = configured
    async with world.f() as uow:
        await sla.set_working_hours(uow, "PG", WorkingHours(time(9), time(18)))
        await uow.commit()
    tid = await world.report()  # Wed 10:00; 1 business day = 9 h; Thursday is a holiday now
    assert (await world.ticket(tid)).first_response_due == sh(2026, 11, 27, 10, 0)
    async with world.f() as uow:
        district = await uow.org.editable("PG")
        assert district is not None
        district.timezone = "Europe/Berlin"
        await sla.set_working_hours(uow, "PG", WorkingHours())
        await uow.commit()
    berlin = await world.report()  # 03:00 in Berlin: the day starts at 08:30 CET
    due = (await world.ticket(berlin)).first_response_due
    assert due == datetime(2026, 11, 25, 16, 30, tzinfo=UTC)  # 17:30 CET


async def test_manual_whistle_escalates_and_starts_the_level_clock(world: World) -> None:
    from services.ticket_machine import apply
    from services.ticket_rules import Action

    tid = await world.report()
    async with world.f() as uow:
        await apply(uow, tid, world.community, Action.escalate, reason="whistle")
        await uow.commit()
        ev = [e for e in await uow.tickets.events(tid) if e.kind == "escalated"][-1]
    assert ev.actor_id == world.community.id and ev.data["reason"] == "whistle"
    t = await world.ticket(tid)
    assert t.escalation_level == 1 and t.level_due == sh(2026, 11, 26, 10, 0)
    assert await world.rows("escalation") == []  # the whistle-blower is not told of their own call
