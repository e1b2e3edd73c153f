"""共议: a matter the owners of a compound decide (民法典 Art. 278), on the aggregate kit.

    notice ──start_vote──▶ voting ──vote (owner, repeatable)──▶ voting
           ──close_vote──▶ closed ──publish──▶ published ──record_official──▶ recorded

The committee or a community worker opens it (announced to the owners at once, with the
notice start, default ``matter_notice_days`` before the vote). The system opens the vote at
``vote_from`` and closes it at ``vote_until`` (duties "start" and "close", missed on purpose);
the final tally is stored on close. The result is owed within ``matter_results_days``
(duty "publish": reminders to the organisers, and if missed the system publishes it).
Every matter states that a formal vote goes through the city's e-voting system; that
system's result can be recorded against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from services import aggregate as agg
from services import ballots, owners_roles
from services import tally as tl
from services.duties import Moment
from services.errors import DomainError, NotAllowed
from services.owners_roles import COMMITTEE, COMMUNITY, OWNER
from services.sla_defaults import Span
from storage.models import Account, AggregateEvent, Duty, Matter, MatterState
from storage.uow import UnitOfWork

NAME = "matter"
ORGANISERS = frozenset({COMMITTEE, COMMUNITY})
RUN = ORGANISERS | {agg.SYSTEM}

TRANSITIONS = {
    ("notice", "start_vote"): "voting",
    ("voting", "vote"): "voting",
    ("voting", "close_vote"): "closed",
    ("closed", "publish"): "published",
    ("published", "record_official"): "recorded",
    ("closed", "remind"): "closed",
    ("closed", "miss"): "closed",
}
ACTION_ROLES = {
    "start_vote": RUN,
    "vote": frozenset({OWNER}),
    "close_vote": RUN,
    "publish": RUN,
    "record_official": ORGANISERS,
    "remind": frozenset({agg.SYSTEM}),
    "miss": frozenset({agg.SYSTEM}),
}
EVENT_OF = {
    "start_vote": "vote_opened",
    "vote": "voted",
    "close_vote": "vote_closed",
    "publish": "published",
    "record_official": "official_recorded",
    "remind": "reminded",
    "miss": "missed",
}
POLICY = {
    "opened": agg.EventPolicy(tell=(agg.Tell("owners", "matter_notice"),), opens=("start",)),
    "vote_opened": agg.EventPolicy(
        tell=(agg.Tell("owners", "matter_vote_open"),), closes=("start",), opens=("close",)
    ),
    "vote_closed": agg.EventPolicy(
        tell=(agg.Tell("organisers", "matter_closed"),), closes=("close",), opens=("publish",)
    ),
    "published": agg.EventPolicy(
        tell=(agg.Tell("owners", "matter_result"), agg.Tell("organisers", "matter_result")),
        closes=("publish",),
    ),
    "official_recorded": agg.EventPolicy(tell=(agg.Tell("owners", "matter_official"),), cancels_all=True),
    "reminded": agg.EventPolicy(tell=(agg.Tell("organisers", "matter_publish_due"),)),
}


async def _roles(uow: UnitOfWork, actor: Account | None, row: Matter) -> frozenset[str]:
    assert actor is not None
    return await owners_roles.roles_on(uow, actor, row.compound_id)


async def _audience(uow: UnitOfWork, row: Matter, ev: AggregateEvent, name: str) -> Sequence[int]:
    if name == "owners":
        return await owners_roles.owner_accounts(uow, row.compound_id)
    return await owners_roles.organisers(uow, row.compound_id)


async def _plans(uow: UnitOfWork, row: Matter, ev: AggregateEvent, what: str) -> Sequence[agg.DutyPlan]:
    if what == "publish":
        return [
            agg.DutyPlan(
                row.compound_id, None, Span("24x7", time=timedelta(days=uow.config.matter_results_days))
            )
        ]
    at = row.vote_from if what == "start" else row.vote_until  # (a span must be positive)
    return [agg.DutyPlan(None, None, Span("24x7", time=max(at - ev.at, timedelta(seconds=1))))]


async def _on_duty(uow: UnitOfWork, duty: Duty, m: Moment) -> None:
    if duty.what == "publish":
        action = "remind" if m.kind == "remind" else "publish"
        await agg.apply(uow, SPEC, duty.aggregate_id, None, action, percent=m.percent)
    elif m.kind == "missed":  # the window's edges: the system opens and closes the vote
        await agg.apply(
            uow, SPEC, duty.aggregate_id, None, "start_vote" if duty.what == "start" else "close_vote"
        )


async def _start_vote(st: agg.Step[Matter]) -> dict[str, Any]:
    if st.now < st.row.vote_from:
        raise agg.refuse("matter_not_yet", at=st.row.vote_from.isoformat())
    return {}


async def _vote(st: agg.Step[Matter]) -> dict[str, Any]:
    assert st.actor is not None and st.actor.id is not None and st.row.id is not None
    if st.now >= st.row.vote_until:
        raise agg.refuse("matter_vote_over")
    choice = tl.Choice(st.data["choice"])
    units = await owners_roles.owner_units(st.uow, st.actor.id, st.row.compound_id)
    changed = False
    for u in units:
        assert u.id is not None
        changed |= await st.uow.owners.put_ballot(st.row.id, u.id, st.actor.id, choice.value, st.now)
    return {"choice": choice.value, "units": [u.code for u in units], "changed": changed}


async def _close_vote(st: agg.Step[Matter]) -> dict[str, Any]:
    if st.now < st.row.vote_until:
        raise agg.refuse("matter_not_over", at=st.row.vote_until.isoformat())
    result = await live_tally(st.uow, st.row)
    st.row.result = result.as_json() | {"no_area": str(result.no_area), "no_owners": result.no_owners}
    return {"tally": dict(st.row.result)}  # (an event's data may not use the key "kind")


async def _publish(st: agg.Step[Matter]) -> dict[str, Any]:
    return {"auto": st.actor is None}


async def _record_official(st: agg.Step[Matter]) -> dict[str, Any]:
    st.row.official_passed = bool(st.data["passed"])
    return {"passed": st.row.official_passed}


async def _data(st: agg.Step[Matter]) -> dict[str, Any]:
    return dict(st.data)


SPEC: agg.AggregateSpec[Matter] = agg.AggregateSpec(
    name=NAME,
    model=Matter,
    transitions=TRANSITIONS,
    action_roles=ACTION_ROLES,
    event_of=EVENT_OF,
    steps={
        "start_vote": _start_vote,
        "vote": _vote,
        "close_vote": _close_vote,
        "publish": _publish,
        "record_official": _record_official,
        "remind": _data,
        "miss": _data,
    },
    policy=POLICY,
    roles_of=_roles,
    audience=_audience,
    duty_plans=_plans,
    on_duty=_on_duty,
)


async def open_matter(
    uow: UnitOfWork,
    actor: Account,
    compound_id: int,
    *,
    title: str,
    description: str,
    kind: tl.Kind,
    vote_from: datetime,
    vote_until: datetime,
    notice_at: datetime | None = None,
) -> Matter:
    """A committee member or a community worker opens a matter; the owners are told."""
    if not ORGANISERS & await owners_roles.roles_on(uow, actor, compound_id):
        raise NotAllowed()
    title, description = title.strip(), description.strip()
    if not title or len(title) > 200 or len(description) > 2000:
        raise DomainError("matter_bad_text")
    now = uow.clock.now()
    notice = notice_at or vote_from - timedelta(days=uow.config.matter_notice_days)
    if not (notice <= vote_from < vote_until) or vote_until <= now:
        raise DomainError("matter_bad_window")
    row = Matter(
        compound_id=compound_id,
        title=title,
        description=description,
        kind=kind.value,
        state=MatterState.notice,
        notice_at=notice,
        vote_from=vote_from,
        vote_until=vote_until,
        opened_by_id=actor.id,
        created_at=now,
    )
    return await agg.create(uow, SPEC, row, actor, "opened", title=title, matter_kind=kind.value)


async def get(uow: UnitOfWork, matter_id: int) -> Matter:
    row = await uow.aggregates.get(Matter, matter_id)
    if row is None:
        raise DomainError("matter_not_found")
    return row


async def live_tally(uow: UnitOfWork, row: Matter) -> tl.Tally:
    assert row.id is not None
    register = await ballots.register(uow, row.compound_id)
    by_unit = {u.code: tl.Choice(b.choice) for b, u in await uow.owners.ballots(row.id)}
    return tl.tally(register, by_unit, tl.Kind(row.kind), tl.thresholds_of(uow.config))


async def my_choice(uow: UnitOfWork, row: Matter, account_id: int) -> str | None:
    assert row.id is not None
    units = {u.id for u in await owners_roles.owner_units(uow, account_id, row.compound_id)}
    return next((b.choice for b, u in await uow.owners.ballots(row.id) if u.id in units), None)


async def matters_for(uow: UnitOfWork, actor: Account) -> list[tuple[Matter, frozenset[str]]]:
    """Matters of the compounds where this person is an owner, or organises."""
    out = []
    for m in await uow.owners.matters(await owners_roles.compounds_of(uow, actor)):
        roles = await owners_roles.roles_on(uow, actor, m.compound_id)
        if roles:
            out.append((m, roles))
    return out


async def act(uow: UnitOfWork, matter_id: int, actor: Account | None, action: str, **data: Any) -> Matter:
    """One action on a matter (the table, the roles and the policy decide the rest)."""
    return await agg.apply(uow, SPEC, matter_id, actor, action, **data)
