"""A council decision (议事 decision item) as a governance aggregate: who does what by when.

    open ──complete (responsible, organiser)──▶ done
    open ──remind / miss (system: the duty's 50 %/80 % or its deadline)──▶ open

Opening it makes the responsible party owe ``complete`` by the end of the deadline day (the
district's zone, 24×7); reminders and the miss are told to them, the miss to the organiser too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from services import aggregate as agg
from services import council_people, duties, orgtime
from services.sla_defaults import Span
from storage.models import Account, AggregateEvent, CouncilDecision, Duty, OrgKind
from storage.uow import UnitOfWork

TABLE = {
    ("open", "complete"): "done",
    ("open", "remind"): "open",
    ("open", "miss"): "open",
}
ROLES = {
    "complete": frozenset({"responsible", "organiser"}),
    "remind": frozenset({agg.SYSTEM}),
    "miss": frozenset({agg.SYSTEM}),
}
EVENTS = {"complete": "completed", "remind": "reminded", "miss": "missed"}
T = agg.Tell
POLICY = {
    "opened": agg.EventPolicy(tell=(T("responsible", "decision_assigned"),), opens=("complete",)),
    "completed": agg.EventPolicy(tell=(T("organiser", "decision_done"),), closes=("complete",)),
    "reminded": agg.EventPolicy(tell=(T("responsible", "decision_reminder"),)),
    "missed": agg.EventPolicy(
        tell=(T("responsible", "decision_overdue"), T("organiser", "decision_overdue"))
    ),
}


async def _roles(uow: UnitOfWork, actor: Account | None, d: CouncilDecision) -> frozenset[str]:
    if actor is None or actor.id is None:
        return frozenset({agg.SYSTEM})
    roles: set[str] = set()
    if actor.id in await council_people.responsible_people(uow, d):
        roles.add("responsible")
    council = await uow.councils.get(d.council_id)
    if council is not None and "organiser" in await council_people.roles_of(uow, actor, council):
        roles.add("organiser")
    return frozenset(roles)


async def _audience(uow: UnitOfWork, d: CouncilDecision, ev: AggregateEvent, name: str) -> Sequence[int]:
    if name == "responsible":
        return await council_people.responsible_people(uow, d)
    council = await uow.councils.get(d.council_id)
    return [council.organiser_id] if name == "organiser" and council is not None else []


async def _complete(st: agg.Step[CouncilDecision]) -> dict[str, Any]:
    st.row.done_at = st.now
    return {"note": str(st.data.get("note") or "")[:500]}


async def _clock(st: agg.Step[CouncilDecision]) -> dict[str, Any]:
    return {"percent": int(st.data.get("percent", 0))}


async def _plans(
    uow: UnitOfWork, d: CouncilDecision, ev: AggregateEvent, what: str
) -> Sequence[agg.DutyPlan]:
    council = await uow.councils.get(d.council_id)
    org = None if council is None else await uow.org.get(council.org_id)
    tz = uow.config.timezone if org is None else await orgtime.org_zone(uow, org.id or 0)
    due = orgtime.end_of_day(d.deadline, tz)
    district = None if org is None else await uow.org.ancestor_of_kind(org, OrgKind.district)
    span = Span("24x7", time=max(timedelta(minutes=1), due - ev.at))
    return [agg.DutyPlan(d.responsible_org_id, d.responsible_account_id, span, district)]


async def _on_duty(uow: UnitOfWork, duty: Duty, m: duties.Moment) -> None:
    await agg.apply(
        uow, SPEC, duty.aggregate_id, None, "remind" if m.kind == "remind" else "miss", percent=m.percent
    )


SPEC: agg.AggregateSpec[CouncilDecision] = agg.AggregateSpec(
    name="decision",
    model=CouncilDecision,
    transitions=TABLE,
    action_roles=ROLES,
    event_of=EVENTS,
    steps={"complete": _complete, "remind": _clock, "miss": _clock},
    policy=POLICY,
    roles_of=_roles,
    audience=_audience,
    duty_plans=_plans,
    on_duty=_on_duty,
)
