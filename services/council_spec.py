"""The 议事 council as a governance aggregate: one transition table, the steps, the policy.

    scheduled ──propose (resident, organiser) / accept · merge · decline (organiser)──▶ scheduled
    scheduled ──post_agenda (organiser; or the system N days before)──▶ agenda_posted
    agenda_posted ──accept · merge · decline · decide (organiser)──▶ agenda_posted
    agenda_posted ──post_minutes (organiser)──▶ minutes_posted
    scheduled / agenda_posted ──cancel (organiser)──▶ cancelled

Scheduling opens the organiser's ``post_agenda`` duty, due ``agenda_days`` before the
meeting; when it passes the system posts the accepted items itself. A decision (``decide``)
is its own aggregate with the responsible party's deadline (services/decision_spec.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from services import aggregate as agg
from services import council_people, duties
from services.errors import InvalidState
from services.sla_defaults import Span
from storage.models import AggregateEvent, Council, CouncilItem, Duty, ItemState, OrgKind
from storage.uow import UnitOfWork

S, A, M, X = "scheduled", "agenda_posted", "minutes_posted", "cancelled"
TABLE = {
    (S, "propose"): S,
    (S, "accept"): S,
    (S, "merge"): S,
    (S, "decline"): S,
    (S, "post_agenda"): A,
    (S, "cancel"): X,
    (A, "accept"): A,
    (A, "merge"): A,
    (A, "decline"): A,
    (A, "decide"): A,
    (A, "post_minutes"): M,
    (A, "cancel"): X,
}
ORG = frozenset({"organiser"})
ROLES = {
    "propose": frozenset({"resident", "organiser"}),
    "accept": ORG,
    "merge": ORG,
    "decline": ORG,
    "decide": ORG,
    "post_agenda": frozenset({"organiser", agg.SYSTEM}),
    "post_minutes": ORG,
    "cancel": ORG,
}
EVENTS = {
    "propose": "proposed",
    "accept": "item_accepted",
    "merge": "item_merged",
    "decline": "item_declined",
    "decide": "decided",
    "post_agenda": "agenda_posted",
    "post_minutes": "minutes_posted",
    "cancel": "cancelled",
}
T = agg.Tell
POLICY = {
    "scheduled": agg.EventPolicy(tell=(T("invitees", "council_scheduled"),), opens=("post_agenda",)),
    "proposed": agg.EventPolicy(tell=(T("organiser", "council_proposed"),)),
    "item_accepted": agg.EventPolicy(tell=(T("proposer", "council_item_decided"),)),
    "item_merged": agg.EventPolicy(tell=(T("proposer", "council_item_decided"),)),
    "item_declined": agg.EventPolicy(tell=(T("proposer", "council_item_decided"),)),
    "agenda_posted": agg.EventPolicy(tell=(T("invitees", "council_agenda"),), closes=("post_agenda",)),
    "minutes_posted": agg.EventPolicy(tell=(T("invitees", "council_minutes"),)),
    "cancelled": agg.EventPolicy(tell=(T("invitees", "council_cancelled"),), cancels_all=True),
}
MAX_TEXT = 1000


async def _propose(st: agg.Step[Council]) -> dict[str, Any]:
    text = str(st.data.get("text") or "").strip()
    if not text:
        raise agg.refuse("council_empty_item")
    if len(text) > MAX_TEXT:
        raise agg.refuse("text_too_long", length=len(text), max=MAX_TEXT)
    ticket_id = st.data.get("ticket_id")
    assert st.actor is not None
    item = CouncilItem(
        council_id=st.row.id or 0,
        proposer_id=st.actor.id,
        text=text,
        ticket_id=int(ticket_id) if ticket_id else None,
        created_at=st.now,
    )
    st.uow.councils.add(item)
    await st.uow.councils.flush()
    return {"item_id": item.id, "text": text, "proposer_id": st.actor.id}


async def _item(st: agg.Step[Council], key: str = "item_id") -> CouncilItem:
    item = await st.uow.councils.item(int(st.data.get(key) or 0))
    if item is None or item.council_id != st.row.id:
        raise agg.refuse("council_item_not_found")
    return item


async def _judge(st: agg.Step[Council], to: ItemState) -> dict[str, Any]:
    item = await _item(st)
    if item.state != ItemState.proposed and not (to == ItemState.merged and item.state == ItemState.accepted):
        raise InvalidState(str(item.state), number=str(item.id))
    out: dict[str, Any] = {
        "item_id": item.id,
        "text": item.text,
        "proposer_id": item.proposer_id,
        "to": to.value,
    }
    if to == ItemState.merged:
        into = await _item(st, "into_id")
        if into.id == item.id or into.state != ItemState.accepted:
            raise agg.refuse("council_bad_merge")
        item.merged_into, out["into_id"] = into.id, into.id
    item.state = to
    return out


async def _accept(st: agg.Step[Council]) -> dict[str, Any]:
    return await _judge(st, ItemState.accepted)


async def _merge(st: agg.Step[Council]) -> dict[str, Any]:
    return await _judge(st, ItemState.merged)


async def _decline(st: agg.Step[Council]) -> dict[str, Any]:
    return await _judge(st, ItemState.declined)


async def _decide(st: agg.Step[Council]) -> dict[str, Any]:
    item = await _item(st)
    if item.state != ItemState.accepted:
        raise agg.refuse("council_item_not_accepted")
    return {"item_id": item.id, "text": str(st.data.get("text") or "")}


async def _post_agenda(st: agg.Step[Council]) -> dict[str, Any]:
    items = [i for i in await st.uow.councils.items(st.row.id or 0) if i.state == ItemState.accepted]
    st.row.agenda_posted_at = st.now
    return {"items": [i.id for i in items], "auto": st.actor is None}


async def _post_minutes(st: agg.Step[Council]) -> dict[str, Any]:
    text = str(st.data.get("text") or "").strip()
    if not text:
        raise agg.refuse("council_empty_minutes")
    if len(text) > 4000:
        raise agg.refuse("text_too_long", length=len(text), max=4000)
    st.row.minutes, st.row.minutes_posted_at = text, st.now
    return {"chars": len(text)}


async def _cancel(st: agg.Step[Council]) -> dict[str, Any]:
    return {}


async def _plans(uow: UnitOfWork, row: Council, ev: AggregateEvent, what: str) -> Sequence[agg.DutyPlan]:
    post_by = row.meet_at - timedelta(days=row.agenda_days)
    span = Span("24x7", time=max(timedelta(minutes=1), post_by - ev.at))  # past already: at once
    org = await uow.org.get(row.org_id)
    district = None if org is None else await uow.org.ancestor_of_kind(org, OrgKind.district)
    return [agg.DutyPlan(None, row.organiser_id, span, district)]


async def _on_duty(uow: UnitOfWork, duty: Duty, m: duties.Moment) -> None:
    """The agenda's moment came: the system posts it (its reminders need no message)."""
    if m.kind == "missed" and duty.what == "post_agenda":
        await agg.apply(uow, SPEC, duty.aggregate_id, None, "post_agenda")


SPEC: agg.AggregateSpec[Council] = agg.AggregateSpec(
    name="council",
    model=Council,
    transitions=TABLE,
    action_roles=ROLES,
    event_of=EVENTS,
    steps={
        "propose": _propose,
        "accept": _accept,
        "merge": _merge,
        "decline": _decline,
        "decide": _decide,
        "post_agenda": _post_agenda,
        "post_minutes": _post_minutes,
        "cancel": _cancel,
    },
    policy=POLICY,
    roles_of=council_people.roles_of,
    audience=council_people.council_audience,
    duty_plans=_plans,
    on_duty=_on_duty,
)
