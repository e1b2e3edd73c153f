"""吹哨报到 on the aggregate kit: the level rule, report-in and on-site duties per whistle
type, reminders, a miss escalating above the caller, closing, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services import whistle
from services.duty_tick import run as run_duties
from services.errors import DomainError
from storage.clock import FrozenClock
from storage.models import AggregateEvent, Duty, DutyState, Notification, WhistleCall
from storage.uow import UowFactory
from tests.storage.whistle_world import WhistleWorld, build


@pytest.fixture
async def w(uow_factory: UowFactory, clock: FrozenClock) -> WhistleWorld:
    return await build(uow_factory, clock)


async def _blow(
    w: WhistleWorld, kind: str = "emergency", depts: tuple[str, ...] = ("BH-CG", "BH-WYB")
) -> int:
    async with w.f() as uow:
        row = await whistle.blow(
            uow,
            w.community,
            w.target,
            kind=kind,
            department_ids=[w.dept[d] for d in depts],
            problem="消防通道被私家车堵死",
            place="兴谷园1号楼北侧",
            meet_at=w.clock.now() + timedelta(minutes=30),
        )
        await uow.commit()
    assert row.id is not None
    return row.id


async def _kinds(w: WhistleWorld, account_id: int | None) -> list[str]:
    return [n.kind for n in await w.rows(Notification) if n.account_id == account_id]


async def test_emergency_whistle_one_department_arrives_the_other_misses_and_escalates(
    w: WhistleWorld,
) -> None:
    wid = await _blow(w)
    duties = await w.rows(Duty)
    assert sorted((d.what, d.holder_org_id, d.due_at - d.started_at) for d in duties) == sorted(
        [
            ("report_in", w.dept["BH-CG"], timedelta(minutes=15)),
            ("report_in", w.dept["BH-WYB"], timedelta(minutes=15)),
            ("on_site", w.dept["BH-CG"], timedelta(minutes=30)),
            ("on_site", w.dept["BH-WYB"], timedelta(minutes=30)),
        ]
    )
    assert await _kinds(w, w.cg.id) == ["whistle_called"] and await _kinds(w, w.wyb.id) == ["whistle_called"]
    assert await _kinds(w, w.resident.id) == ["whistle_resident_called"]
    w.later(5)
    async with w.f() as uow:
        await whistle.report_in(uow, w.cg, wid, w.dept["BH-CG"])
        await uow.commit()
    w.later(3)  # 8 min: 50 % of the 15-minute report-in → a reminder to 物业办 only
    assert (await run_duties(w.f)).reminders == 1  # report-in 50 % of 物业办 (城管 has reported in)
    assert await _kinds(w, w.wyb.id) == ["whistle_called", "whistle_reminder"]
    w.later(12)  # 20 min: 物业办 missed its report-in; 城管 arrives
    report = await run_duties(w.f)
    assert report.missed == 1 and report.errors == 0
    async with w.f() as uow:
        await whistle.arrive(uow, w.cg, wid, w.dept["BH-CG"])
        await uow.commit()
    w.later(15)  # 35 min: 物业办 missed its on-site deadline too
    assert (await run_duties(w.f)).missed == 1
    calls = {c.department_id: c for c in await w.rows(WhistleCall)}
    cg, wyb = calls[w.dept["BH-CG"]], calls[w.dept["BH-WYB"]]
    assert (cg.state, cg.missed_report_in, cg.missed_on_site) == ("on_site", False, False)
    assert cg.reported_in_at is not None and cg.arrived_at is not None
    assert (wyb.state, wyb.missed_report_in, wyb.missed_on_site) == ("called", True, True)
    # the level above the caller (the street officer) is told of both misses; 城管 never is
    assert (await _kinds(w, w.street.id)).count("whistle_escalated") == 2
    assert "whistle_missed" not in await _kinds(w, w.cg.id)
    assert (await _kinds(w, w.community.id)).count("whistle_missed") == 2
    misses = [e for e in await w.rows(AggregateEvent) if e.kind == "missed"]
    assert [(e.data["what"], e.data["level"]) for e in misses] == [("report_in", 2), ("on_site", 2)]
    # the caller closes: nothing is owed any more; the resident hears the outcome
    async with w.f() as uow:
        await whistle.close(uow, w.community, wid, "partly", "车已挪走，划线待办", ["photo-1"])
        await uow.commit()
    assert {d.state for d in await w.rows(Duty) if d.holder_org_id == w.dept["BH-WYB"]} == {
        DutyState.cancelled
    }
    assert await _kinds(w, w.resident.id) == ["whistle_resident_called", "whistle_resident_closed"]
    async with w.f() as uow:
        rec = await whistle.record(uow, w.resident, wid)
    assert not rec.full and rec.whistle.outcome == "partly"


async def test_routine_and_hard_whistles_use_working_time_from_policy_rows(w: WhistleWorld) -> None:
    from services import whistle_policy
    from services.sla import parse_span

    async with w.f() as uow:
        await whistle_policy.set_policy(uow, "hard", {"report_in": parse_span("2h")})
        await uow.commit()
    await _blow(w, "routine", ("BH-CG",))
    await _blow(w, "hard", ("BH-CG",))
    got = [(d.what, d.due_at - d.started_at) for d in await w.rows(Duty)]
    # Wednesday 10:00: 4 working hours → 14:00; 2 working days → Friday 10:00; edited 2 h → 12:00
    assert got == [
        ("report_in", timedelta(hours=4)),
        ("on_site", timedelta(days=2)),
        ("report_in", timedelta(hours=2)),
        ("on_site", timedelta(days=5)),  # 3 working days from Wednesday: Monday 10:00
    ]


REFUSED_CALLS = [
    ("resident", "routine", ("BH-CG",), "whistle_not_allowed"),
    ("cg", "routine", ("BH-CG",), "whistle_not_allowed"),
    ("community", "routine", ("XG-CG",), "whistle_bad_departments"),  # another street's
    ("community", "routine", ("PG-ZJW",), "whistle_bad_departments"),  # district level: the street's call
    ("street", "routine", ("BH-CG",), "whistle_bad_departments"),
    ("community", "loud", ("BH-CG",), "unknown_whistle_kind"),
    ("community", "routine", (), "whistle_bad_departments"),
]


async def test_who_may_call_whom(w: WhistleWorld) -> None:
    """One world for every refused call (each leaves nothing stored)."""
    for who, kind, depts, code in REFUSED_CALLS:
        async with w.f() as uow:
            with pytest.raises(DomainError) as err:
                await whistle.blow(
                    uow,
                    getattr(w, who),
                    w.target,
                    kind=kind,
                    department_ids=[w.dept[d] for d in depts],
                    problem="p",
                    place="q",
                    meet_at=w.clock.now(),
                )
        assert err.value.code == code, (who, kind, depts)
    assert await w.rows(AggregateEvent) == [] and await w.rows(Duty) == []


async def test_street_calls_district_departments(w: WhistleWorld) -> None:
    async with w.f() as uow:
        row = await whistle.blow(
            uow,
            w.street,
            w.target,
            kind="hard",
            department_ids=[w.dept["PG-ZJW"]],
            problem="p",
            place="q",
            meet_at=w.clock.now(),
        )
        await uow.commit()
    assert await _kinds(w, w.zjw.id) == ["whistle_called"] and row.caller_org_id != w.dept["PG-ZJW"]


async def test_departments_act_only_for_themselves_and_stale_buttons_are_refused(w: WhistleWorld) -> None:
    wid = await _blow(w)
    refusals = [
        (w.cg, "report_in", "BH-WYB", "not_allowed"),  # another department's report-in
        (w.zjw, "report_in", "PG-ZJW", "not_allowed"),  # not called at all
        (w.resident, "report_in", "BH-CG", "not_allowed"),
        (w.cg, "arrive", "BH-CG", "invalid_state"),  # on site before reporting in
    ]
    for actor, action, dept, code in refusals:
        async with w.f() as uow:
            with pytest.raises(DomainError) as err:
                await getattr(whistle, action)(uow, actor, wid, w.dept[dept])
        assert err.value.code == code, (action, dept)
    async with w.f() as uow:
        await whistle.report_in(uow, w.cg, wid, w.dept["BH-CG"])
        await uow.commit()
    before = len(await w.rows(AggregateEvent))
    async with w.f() as uow:
        with pytest.raises(DomainError) as err:
            await whistle.report_in(uow, w.cg, wid, w.dept["BH-CG"])  # the stale button again
    assert err.value.code == "invalid_state"
    for actor in (w.resident, w.cg):  # only the caller's side closes
        async with w.f() as uow:
            with pytest.raises(DomainError) as err:
                await whistle.close(uow, actor, wid, "resolved")
        assert err.value.code == "not_allowed"
    async with w.f() as uow:
        with pytest.raises(DomainError) as err:
            await whistle.close(uow, w.community, wid, "maybe")
    assert err.value.code == "whistle_bad_outcome"
    assert len(await w.rows(AggregateEvent)) == before
    async with w.f() as uow:
        await whistle.close(uow, w.community, wid, "resolved")
        await uow.commit()
    async with w.f() as uow:
        with pytest.raises(DomainError) as err:
            await whistle.arrive(uow, w.cg, wid, w.dept["BH-CG"])  # the whistle is over
    assert err.value.code == "invalid_state"
