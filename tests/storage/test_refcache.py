"""The reference-data cache (storage/refcache.py): a warm process reads no org, routing, SLA
or calendar rows; a change made by another process (the CLI) is seen by the next unit of work;
cached rows are frozen; every write path moves the stamp."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import seed_policies
from services import routing, sla
from services.accounts import Identity, ensure_account, grant, join_compound
from services.calendar import WorkingHours
from services.org_import import import_org, load_org_file
from services.sla_defaults import Span
from storage.clock import FrozenClock
from storage.db import create_engine, is_sqlite
from storage.models import Queue, RefVersion, Role, RoutingRule, TicketState
from storage.refcache import FrozenRefError
from storage.uow import UowFactory, make_uow_factory
from tests.flows.harness import Harness
from tests.sql_count import statements
from tests.storage.world import DEMO, World, make_world

REFERENCE = ("org_node", "routing_rule", "sla_policy", "escalation_policy", "calendar_policy", "role_grant")


def reference_reads(seen: list[str]) -> list[str]:
    return [
        s
        for s in seen
        if s.startswith("SELECT") and any(f"FROM {t}" in s or f"JOIN {t}" in s for t in REFERENCE)
    ]


def stamp_reads(seen: list[str]) -> list[str]:
    """The stamp read by a statement of its own in the dispatcher's transaction (up to the
    update's record; the outbox sender's work follows)."""
    end = next(i for i, s in enumerate(seen) if "INTO processed_update" in s)
    return [s for s in seen[:end] if s.startswith("SELECT ref_version")]


@asynccontextmanager
async def other_process(engine: AsyncEngine, clock: FrozenClock) -> AsyncIterator[UowFactory]:
    """Another engine (pool) and another cache on the same database, as the CLI would have."""
    url = engine.url.render_as_string(hide_password=False)
    search_path = None
    if not is_sqlite(url):
        async with engine.connect() as conn:
            search_path = (await conn.execute(text("SHOW search_path"))).scalar_one()
    other = create_engine(url, search_path=search_path)
    try:
        yield make_uow_factory(other, clock)
    finally:
        await other.dispose()


async def stamp(f: UowFactory) -> int:
    async with f() as uow:
        row = await uow.session.get(RefVersion, 1)
        assert row is not None
        return row.version


REPORT = [
    ("say", "/report"),
    ("press", "rp:c:leak"),
    ("say", "楼道灯坏了"),
    ("press", "rp:done"),
    ("press", "rp:noloc"),
]


async def demo_harness(engine: AsyncEngine, clock: FrozenClock) -> Harness:
    """The bot's dispatcher on the demo org, with its policies."""
    h = Harness(engine, clock)
    await seed_policies(h.core.uow_factory)
    async with h.core.uow_factory() as uow:
        await import_org(uow, load_org_file(DEMO))
        await uow.commit()
    return h


async def report_and_submit(h: Harness, engine: AsyncEngine, name: str) -> list[str]:
    """A report through the dialogue; the statements its submit ran."""
    for kind, arg in REPORT:
        await (h.say(name, arg) if kind == "say" else h.press(name, arg))
    with statements(engine) as seen:
        await h.press(name, "rp:submit")
    return list(seen)


async def test_a_second_submit_reads_no_reference_rows(engine: AsyncEngine) -> None:
    h = await demo_harness(engine, FrozenClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC)))
    submits = []
    for name in ("a", "b"):
        await h.say(name, "/start c_XGY")
        await h.press(name, "sk:join.unit")
        submits.append(await report_and_submit(h, engine, name))
    async with h.core.uow_factory() as uow:  # both reports went through
        assert len(await uow.tickets.in_states([TicketState.new])) == 2
    # the first submit loads each policy table once, whole (the steps before it loaded the org)
    assert sorted(s.split(" FROM ")[1].split()[0] for s in reference_reads(submits[0])) == [
        "calendar_policy",
        "role_grant",
        "routing_rule",
        "sla_policy",
    ]
    assert reference_reads(submits[1]) == []
    # … and the stamp comes along with the dispatcher's first read: no statement of its own
    assert "FROM ref_version" in submits[1][0], submits[1][0]
    assert not stamp_reads(submits[1]), submits[1]


async def test_the_stamp_read_with_an_update_shows_another_process_s_change(engine: AsyncEngine) -> None:
    """The stamp read with the update's view is the one the cache checks: a routing rule
    changed by another process routes the next report, and the one after reads nothing again."""
    clock = FrozenClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    h = await demo_harness(engine, clock)
    await h.say("a", "/start c_XGY")
    await h.press("a", "sk:join.unit")

    async def submit() -> tuple[Any, list[str]]:
        seen = await report_and_submit(h, engine, "a")
        async with h.core.uow_factory() as uow:
            ticket = max(await uow.tickets.in_states([TicketState.new]), key=lambda t: t.id or 0)
        return ticket, seen

    first, _ = await submit()
    moved = Queue.community if first.queue == Queue.property else Queue.property
    async with other_process(engine, clock) as cli, cli() as uow:
        uow.session.add(RoutingRule(compound_id=first.compound_id, category=first.category, queue=moved))
        await uow.commit()
    second, seen = await submit()
    assert second.queue == moved
    assert "routing_rule" in " ".join(reference_reads(seen))  # the cache was dropped
    third, seen = await submit()
    assert third.queue == moved and reference_reads(seen) == []
    assert not stamp_reads(seen), seen


async def test_changes_from_another_process_reach_the_next_unit_of_work(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    bot = make_uow_factory(engine, clock)
    await seed_policies(bot)
    world: World = await make_world(bot, clock)
    first = await world.ticket(await world.report())
    with statements(engine) as seen:
        await world.report()
    assert reference_reads(seen) == []  # warm
    moved = Queue.community if first.queue == Queue.property else Queue.property
    async with other_process(engine, clock) as cli:
        async with cli() as uow:  # `gongzhi sla set …`, a routing edit and an org edit
            await sla.set_policy(
                uow, first.category, first.priority, {"first_response": Span("24x7", time=timedelta(hours=5))}
            )
            uow.session.add(RoutingRule(compound_id=world.compound_id, category=first.category, queue=moved))
            compound = await uow.org.get(world.compound_id)
            assert compound is not None
            node = await uow.org.editable(compound.code)
            assert node is not None
            node.name = "新兴谷园"
            await uow.commit()
    t = await world.ticket(await world.report())
    assert t.queue == moved
    assert t.first_response_due == clock.now() + timedelta(hours=5)
    async with bot() as uow:
        renamed = await uow.org.get(world.compound_id)
        assert renamed is not None and renamed.name == "新兴谷园"
    with statements(engine) as seen:
        await world.report()
    assert reference_reads(seen) == []  # warm again


async def test_a_worker_granted_by_another_process_is_told_of_the_next_ticket(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    bot = make_uow_factory(engine, clock)
    await seed_policies(bot)
    world = await make_world(bot, clock)
    first = await world.ticket(await world.report())
    async with other_process(engine, clock) as cli, cli() as uow:  # an invite redeemed elsewhere
        queue = await uow.org.get(first.queue_org_id or 0)
        assert queue is not None
        worker = await ensure_account(uow, Identity("telegram", "900", "900", "新同事"))
        await grant(uow, worker, Role.staff if queue.kind == "company" else Role.community, queue)
        await uow.commit()
    second = await world.report()
    assert [n.ticket_id for n in await world.rows("ticket_card", worker)] == [second]


async def test_cached_rows_are_frozen_and_a_writer_reads_its_own_changes(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    f = make_uow_factory(engine, clock)
    await seed_policies(f)
    world = await make_world(f, clock)
    async with f() as uow:
        node = await uow.org.get(world.compound_id)
        assert node is not None
        with pytest.raises(FrozenRefError):
            node.name = "改名"
        with pytest.raises(FrozenRefError):
            uow.session.add(node)
        assert node.name != "改名"
        row = await uow.policy.sla_lookup("*", "normal")
        assert row is not None
        with pytest.raises(FrozenRefError):
            row.first_response_minutes = 1
        # the same unit of work edits, then reads its own edit (not the cache)
        await sla.set_policy(uow, None, "normal", {"first_response": Span("24x7", time=timedelta(hours=7))})
        target = await sla.target_for(uow, None, "normal")
        assert target.first_response.time == timedelta(hours=7)
        editable = await uow.org.editable(node.code)
        assert editable is not None
        editable.name = "改名"
        await uow.flush()
        again = await uow.org.get(world.compound_id)
        assert again is not None and again.name == "改名"
        await uow.rollback()
    async with f() as uow:  # rolled back: the cache still holds the stored name
        node = await uow.org.get(world.compound_id)
        assert node is not None and node.name != "改名"
        assert (await sla.target_for(uow, None, "normal")).first_response.time != timedelta(hours=7)


async def test_an_unflushed_change_is_read_back_and_its_rollback_leaves_the_cache_warm(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    f = make_uow_factory(engine, clock)
    await seed_policies(f)
    world = await make_world(f, clock)
    first = await world.ticket(await world.report())
    moved = Queue.community if first.queue == Queue.property else Queue.property
    async with f() as uow:
        compound = await uow.org.get(world.compound_id)
        assert compound is not None
        uow.session.add(RoutingRule(compound_id=world.compound_id, category=first.category, queue=moved))
        assert (await routing.route(uow, compound, first.category)).queue == moved
        await uow.rollback()
    with statements(engine) as seen:
        again = await world.ticket(await world.report())
    assert again.queue == first.queue
    assert reference_reads(seen) == []  # the stamp this process knows is still the stored one


async def _import_changed(uow: Any) -> None:
    doc = load_org_file(DEMO)
    doc["district"]["name"] = "平谷区（新）"
    await import_org(uow, doc)


async def _set_hours(uow: Any) -> None:
    await sla.set_working_hours(uow, "PG", WorkingHours())


async def _set_level(uow: Any) -> None:
    await sla.set_level(uow, 1, Span("business", business_days=2))


async def _seed(uow: Any) -> None:
    await uow.policy.seed_sla({"category": "leak", "priority": "normal", "first_response_minutes": 9})


@pytest.mark.parametrize("write", [_import_changed, _set_hours, _set_level, _seed])
async def test_every_write_path_moves_the_stamp(engine: AsyncEngine, clock: FrozenClock, write: Any) -> None:
    f = make_uow_factory(engine, clock)
    async with f() as uow:
        await import_org(uow, load_org_file(DEMO))
        await uow.commit()
    before = await stamp(f)
    async with f() as uow:
        await write(uow)
        await uow.rollback()
    assert await stamp(f) == before  # a rolled-back write leaves it
    async with f() as uow:
        await write(uow)
        await uow.commit()
    assert await stamp(f) > before


async def test_a_resident_joining_keeps_the_stamp(engine: AsyncEngine, clock: FrozenClock) -> None:
    f = make_uow_factory(engine, clock)
    world = await make_world(f, clock)
    before = await stamp(f)
    async with f() as uow:
        acc = await ensure_account(uow, Identity("telegram", "901", "901", "新住户"))
        await join_compound(uow, acc, "XGY")
        await uow.commit()
    async with f() as uow:  # … and the cache was not dropped for it
        assert [g.role for g in await uow.accounts.grants(acc.id or 0)] == [Role.resident]
    assert await stamp(f) == before
    assert world.compound_id


async def test_an_unchanged_import_keeps_the_stamp(engine: AsyncEngine, clock: FrozenClock) -> None:
    f = make_uow_factory(engine, clock)
    for _ in range(2):
        async with f() as uow:
            await import_org(uow, load_org_file(DEMO))
            await uow.commit()
    before = await stamp(f)
    async with f() as uow:
        report = await import_org(uow, load_org_file(DEMO))
        await uow.commit()
    assert not report.changed
    assert await stamp(f) == before
