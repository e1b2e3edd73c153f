"""The whistle (吹哨报到) as a governance aggregate: its one transition table, who may take
each action, the steps, and the event policy (who is told, which duties open and close).

    called ──report_in / arrive (department)──▶ called ──close (caller)──▶ closed
           ──remind / miss (system: a duty's 50 %/80 % or deadline)──▶ called

Each called department has a ``WhistleCall``: called → reported_in → on_site. On the call,
every department owes two duties, ``report_in`` and ``on_site``, with the whistle type's
spans (services/whistle_policy.py); a miss tells the department, the caller and the level
above the caller. Closing cancels what is still owed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services import aggregate as agg
from services import duties, whistle_people, whistle_policy
from services.errors import InvalidState, NotAllowed
from storage.models import AggregateEvent, CallState, Duty, OrgKind, Outcome, Role, Whistle, WhistleState
from storage.uow import UnitOfWork

C, X = WhistleState.called.value, WhistleState.closed.value
TABLE = {
    (C, "report_in"): C,
    (C, "arrive"): C,
    (C, "remind"): C,
    (C, "miss"): C,
    (C, "close"): X,
}
ROLES = {
    "report_in": frozenset({"department"}),
    "arrive": frozenset({"department"}),
    "remind": frozenset({agg.SYSTEM}),
    "miss": frozenset({agg.SYSTEM}),
    "close": frozenset({"caller"}),
}
EVENTS = {
    "report_in": "reported_in",
    "arrive": "arrived",
    "remind": "reminded",
    "miss": "missed",
    "close": "closed",
}
T = agg.Tell
POLICY = {
    "called": agg.EventPolicy(
        tell=(T("departments", "whistle_called"), T("resident", "whistle_resident_called")),
        opens=("report_in", "on_site"),
    ),
    "reported_in": agg.EventPolicy(tell=(T("caller", "whistle_progress"),), closes=("report_in",)),
    "arrived": agg.EventPolicy(tell=(T("caller", "whistle_progress"),), closes=("on_site",)),
    "reminded": agg.EventPolicy(tell=(T("holder", "whistle_reminder"),)),
    "missed": agg.EventPolicy(
        tell=(T("holder", "whistle_missed"), T("caller", "whistle_missed"), T("above", "whistle_escalated"))
    ),
    "closed": agg.EventPolicy(
        tell=(T("departments", "whistle_closed"), T("resident", "whistle_resident_closed")),
        cancels_all=True,
    ),
}


async def _own_call(st: agg.Step[Whistle], expected: CallState) -> tuple[Any, str]:
    """The actor's department's call, in ``expected`` state (a stale button is refused)."""
    assert st.actor is not None and st.actor.id is not None
    dept_id = int(st.data.get("department_id", 0))
    if not await st.uow.accounts.has_grant(st.actor.id, Role.department, dept_id):
        raise NotAllowed(number=str(st.row.id))  # someone else's department
    call = await st.uow.whistles.call(st.row.id or 0, dept_id)
    if call is None:
        raise NotAllowed(number=str(st.row.id))
    if call.state != expected:
        raise InvalidState(str(call.state), number=str(st.row.id))
    dept = await st.uow.org.get(dept_id)
    return call, dept.name if dept else "?"


async def _report_in(st: agg.Step[Whistle]) -> dict[str, Any]:
    call, name = await _own_call(st, CallState.called)
    call.state, call.reported_in_at, call.reported_in_by = (
        CallState.reported_in,
        st.now,
        st.actor.id if st.actor else None,
    )
    return {"holder_org_id": call.department_id, "department": name}


async def _arrive(st: agg.Step[Whistle]) -> dict[str, Any]:
    call, name = await _own_call(st, CallState.reported_in)
    call.state, call.arrived_at, call.arrived_by = (
        CallState.on_site,
        st.now,
        st.actor.id if st.actor else None,
    )
    return {"holder_org_id": call.department_id, "department": name}


async def _clock(st: agg.Step[Whistle]) -> dict[str, Any]:
    dept_id = int(st.data["holder_org_id"])
    dept = await st.uow.org.get(dept_id)
    out = {"what": st.data["what"], "percent": int(st.data.get("percent", 0)), "holder_org_id": dept_id}
    out["department"] = dept.name if dept else "?"
    return out


async def _miss(st: agg.Step[Whistle]) -> dict[str, Any]:
    out = await _clock(st)
    call = await st.uow.whistles.call(st.row.id or 0, out["holder_org_id"])
    if call is not None:
        if out["what"] == "report_in":
            call.missed_report_in = True
        else:
            call.missed_on_site = True
    caller = await st.uow.org.get(st.row.caller_org_id)
    out["level"] = whistle_people.above_level(caller) if caller else 3
    return out


async def _close(st: agg.Step[Whistle]) -> dict[str, Any]:
    try:
        outcome = Outcome(str(st.data.get("outcome")))
    except ValueError:
        raise agg.refuse("whistle_bad_outcome") from None
    note = str(st.data.get("note") or "").strip()
    if len(note) > 2000:
        raise agg.refuse("text_too_long", length=len(note), max=2000)
    photos = [str(p) for p in st.data.get("photos") or []][: st.uow.config.max_photos]
    st.row.outcome, st.row.outcome_note, st.row.outcome_photos = outcome, note or None, photos
    st.row.closed_at = st.now
    return {"outcome": outcome.value, "note": note, "photos": photos}


async def _plans(uow: UnitOfWork, row: Whistle, ev: AggregateEvent, what: str) -> Sequence[agg.DutyPlan]:
    span = await whistle_policy.span_for(uow, row.kind, what)
    caller = await uow.org.get(row.caller_org_id)
    district = None if caller is None else await uow.org.ancestor_of_kind(caller, OrgKind.district)
    calls = await uow.whistles.calls(row.id or 0)
    return [agg.DutyPlan(c.department_id, None, span, district) for c in calls]


async def _on_duty(uow: UnitOfWork, duty: Duty, m: duties.Moment) -> None:
    action = "remind" if m.kind == "remind" else "miss"
    await agg.apply(
        uow,
        SPEC,
        duty.aggregate_id,
        None,
        action,
        what=duty.what,
        percent=m.percent,
        holder_org_id=duty.holder_org_id,
    )


SPEC: agg.AggregateSpec[Whistle] = agg.AggregateSpec(
    name="whistle",
    model=Whistle,
    transitions=TABLE,
    action_roles=ROLES,
    event_of=EVENTS,
    steps={"report_in": _report_in, "arrive": _arrive, "remind": _clock, "miss": _miss, "close": _close},
    policy=POLICY,
    roles_of=whistle_people.roles_of,
    audience=whistle_people.audience,
    duty_plans=_plans,
    on_duty=_on_duty,
    ticket_of=lambda row: row.ticket_id,
)
