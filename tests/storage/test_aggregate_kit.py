"""The governance aggregate kit (services/aggregate.py, services/duties.py) on a toy
aggregate, an "errand": a worker of an org must accept it within an hour (24×7) and finish
it within a business day. Its table, steps, policy and duty handling are the whole of it;
the kit locks, checks, records, notifies and keeps the deadlines."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import pytest
from sqlalchemy import String, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlmodel import col, select

from services import aggregate as agg
from services.accounts import Identity, ensure_account, grant
from services.duties import Moment, run_duties
from services.errors import DomainError
from services.org_import import import_org, load_org_file
from services.sla_defaults import Span
from storage.clock import FrozenClock
from storage.models import Account, AggregateEvent, Duty, DutyState, Notification, Role
from storage.uow import UnitOfWork, UowFactory, make_uow_factory
from tests.storage.world import DEMO, sh


class ToyBase(DeclarativeBase):
    pass


class ErrandState(StrEnum):
    open = "open"
    accepted = "accepted"
    done = "done"


class Errand(ToyBase):  # a table of the test only (its own metadata, not the app's)
    __tablename__ = "toy_errand"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))


TABLE = {
    ("open", "accept"): "accepted",
    ("accepted", "finish"): "done",
    ("open", "remind"): "open",
    ("accepted", "remind"): "accepted",
    ("open", "miss"): "open",
    ("accepted", "miss"): "accepted",
}
ROLES = {
    "accept": frozenset({"worker"}),
    "finish": frozenset({"worker"}),
    "remind": frozenset({agg.SYSTEM}),
    "miss": frozenset({agg.SYSTEM}),
}
EVENTS = {"accept": "accepted", "finish": "finished", "remind": "reminded", "miss": "missed"}
POLICY = {
    "created": agg.EventPolicy(tell=(agg.Tell("workers", "errand_new"),), opens=("accept",)),
    "accepted": agg.EventPolicy(closes=("accept",), opens=("finish",)),
    "finished": agg.EventPolicy(
        tell=(agg.Tell("workers", "errand_done"),), closes=("finish",), cancels_all=True
    ),
    "reminded": agg.EventPolicy(tell=(agg.Tell("workers", "errand_reminder"),)),
    "missed": agg.EventPolicy(tell=(agg.Tell("workers", "errand_missed"),)),
}


async def _roles(uow: UnitOfWork, actor: Account | None, row: Errand) -> frozenset[str]:
    assert actor is not None and actor.id is not None
    return (
        frozenset({"worker"})
        if await uow.accounts.has_grant(actor.id, Role.staff, row.org_id)
        else frozenset()
    )


async def _audience(uow: UnitOfWork, row: Errand, ev: AggregateEvent, name: str) -> Sequence[int]:
    assert name == "workers"
    return [a.id for a in await uow.accounts.holders([Role.staff], [row.org_id]) if a.id is not None]


async def _plans(uow: UnitOfWork, row: Errand, ev: AggregateEvent, what: str) -> Sequence[agg.DutyPlan]:
    span = Span("24x7", time=timedelta(hours=1)) if what == "accept" else Span("business", business_days=1)
    return [agg.DutyPlan(row.org_id, None, span)]


async def _on_duty(uow: UnitOfWork, duty: Duty, m: Moment) -> None:
    await agg.apply(
        uow,
        SPEC,
        duty.aggregate_id,
        None,
        "remind" if m.kind == "remind" else "miss",
        what=duty.what,
        percent=m.percent,
    )


async def _step(st: agg.Step[Any]) -> dict[str, Any]:
    return {k: v for k, v in st.data.items()}


SPEC: agg.AggregateSpec[Any] = agg.AggregateSpec(
    name="errand",
    model=Errand,
    transitions=TABLE,
    action_roles=ROLES,
    event_of=EVENTS,
    steps={a: _step for a in ROLES},
    policy=POLICY,
    roles_of=_roles,
    audience=_audience,
    duty_plans=_plans,
    on_duty=_on_duty,
)


@pytest.fixture
async def f(engine: AsyncEngine, clock: FrozenClock) -> AsyncIterator[UowFactory]:
    async with engine.begin() as conn:
        await conn.run_sync(ToyBase.metadata.create_all)
    factory = make_uow_factory(engine, clock)
    async with factory() as uow:
        await import_org(uow, load_org_file(DEMO))
        await uow.commit()
    yield factory


async def _people(f: UowFactory) -> tuple[int, Account, Account]:
    async with f() as uow:
        org = await uow.org.by_code("YJWY")
        assert org is not None and org.id is not None
        worker = await ensure_account(uow, Identity("telegram", "701", "701", "worker"))
        outsider = await ensure_account(uow, Identity("telegram", "702", "702", "outsider"))
        await grant(uow, worker, Role.staff, org)
        await uow.commit()
        return org.id, worker, outsider


async def _rows(f: UowFactory, model: Any) -> list[Any]:
    async with f() as uow:
        rows = list((await uow.session.execute(select(model).order_by(col(model.id)))).scalars().all())
        uow.session.expunge_all()
        return rows


async def test_an_errand_through_its_table_duties_and_notifications(
    f: UowFactory, clock: FrozenClock
) -> None:
    org_id, worker, outsider = await _people(f)
    async with f() as uow:
        row = await agg.create(uow, SPEC, Errand(org_id=org_id, state="open"), None, "created")
        await uow.commit()
        errand_id = row.id
    [duty] = await _rows(f, Duty)
    assert (duty.what, duty.holder_org_id, duty.due_at) == (
        "accept",
        org_id,
        clock.now() + timedelta(hours=1),
    )
    assert [n.kind for n in await _rows(f, Notification)] == ["errand_new"]
    # someone outside the org may not accept: refused, nothing stored
    async with f() as uow:
        with pytest.raises(DomainError) as err:
            await agg.apply(uow, SPEC, errand_id, outsider, "accept")
    assert err.value.code == "not_allowed" and len(await _rows(f, AggregateEvent)) == 1
    # the clock: 50 % and 80 % reminders, then the miss, each an event with its notification
    for minutes, kinds in ((31, ["reminded"]), (49, ["reminded"]), (61, ["missed"])):
        clock.set(sh(2026, 11, 25, 10, 0) + timedelta(minutes=minutes))
        report = await run_duties(f, {"errand": _on_duty})
        assert report.errors == 0
        assert [e.kind for e in await _rows(f, AggregateEvent)][-1:] == kinds
    assert [n.kind for n in await _rows(f, Notification)][-3:] == [
        "errand_reminder",
        "errand_reminder",
        "errand_missed",
    ]
    assert (await _rows(f, Duty))[0].state == DutyState.missed
    assert (await run_duties(f, {"errand": _on_duty})).duties == 0  # nothing more to look at
    # accepting late still fulfils the duty and opens the next one (a business day)
    async with f() as uow:
        await agg.apply(uow, SPEC, errand_id, worker, "accept")
        await uow.commit()
    accept, finish = await _rows(f, Duty)
    assert accept.state == DutyState.done and accept.done_by_id == worker.id
    assert finish.what == "finish" and finish.due_at == datetime(
        2026, 11, 26, 3, 1, tzinfo=finish.due_at.tzinfo
    )
    # a double tap is refused by the table
    async with f() as uow:
        with pytest.raises(DomainError) as err:
            await agg.apply(uow, SPEC, errand_id, worker, "accept")
    assert err.value.code == "invalid_state"
    async with f() as uow:
        await agg.apply(uow, SPEC, errand_id, worker, "finish")
        await uow.commit()
    assert {d.state for d in await _rows(f, Duty)} == {DutyState.done}
    assert SPEC.allowed_actions("accepted", {"worker"}) == ("finish",)
    # the worker is not told of their own "finished"
    assert "errand_done" not in [n.kind for n in await _rows(f, Notification)]


async def test_aggregate_events_are_append_only(f: UowFactory) -> None:
    org_id, _, _ = await _people(f)
    async with f() as uow:
        await agg.create(uow, SPEC, Errand(org_id=org_id, state="open"), None, "created")
        await uow.commit()
    for statement in ("UPDATE aggregate_event SET kind = 'x'", "DELETE FROM aggregate_event"):
        async with f() as uow:
            with pytest.raises(Exception, match="append-only"):
                await uow.session.execute(text(statement))
    assert [e.kind for e in await _rows(f, AggregateEvent)] == ["created"]


async def test_event_data_may_use_any_name(f: UowFactory) -> None:
    """The kit's own parameters are positional-only: data named kind, action or actor is data."""
    org_id, worker, _ = await _people(f)
    async with f() as uow:
        row = await agg.create(
            uow, SPEC, Errand(org_id=org_id, state="open"), None, "created", kind="special", actor="x"
        )
        await agg.apply(uow, SPEC, row.id or 0, worker, "accept", action="late", spec="s")
        await uow.commit()
    created, accepted = await _rows(f, AggregateEvent)
    assert (created.kind, created.data) == ("created", {"kind": "special", "actor": "x"})
    assert (accepted.kind, accepted.data) == ("accepted", {"action": "late", "spec": "s"})
