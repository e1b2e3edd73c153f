"""吹哨报到, the service calls: blow a whistle on a ticket or a rectification item, report in,
arrive, close with an outcome, and read the record. Every change goes through the whistle's
spec (services/whistle_spec.py); nothing here tells anyone or touches a deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services import aggregate as agg
from services import whistle_people
from services.errors import DomainError, NotAllowed, NotFound
from services.whistle_spec import SPEC
from storage.models import (
    OPEN_STATES,
    Account,
    OrgNode,
    Role,
    Whistle,
    WhistleCall,
    WhistleKind,
    WhistleState,
)
from storage.uow import UnitOfWork

MAX_PROBLEM = 300
MAX_PLACE = 200


@dataclass(frozen=True)
class Target:
    """What a whistle is called on: a ticket or a rectification item, in a compound."""

    compound_id: int
    ticket_id: int | None = None
    rx_item_id: int | None = None


async def target_of_ticket(uow: UnitOfWork, ticket_id: int) -> Target:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        raise NotFound("ticket")
    if ticket.state not in OPEN_STATES:
        raise DomainError("whistle_ticket_closed", number=ticket.number)
    return Target(ticket.compound_id, ticket_id=ticket_id)


async def target_of_item(uow: UnitOfWork, item_id: int) -> Target:
    item = await uow.rectification.item(item_id)
    plan = None if item is None else await uow.rectification.plan(item.plan_id)
    if item is None or plan is None:
        raise NotFound("rx_item")
    return Target(plan.compound_id, rx_item_id=item_id)


async def options(uow: UnitOfWork, actor: Account, target: Target) -> tuple[OrgNode, list[OrgNode]]:
    """The caller's node and the departments the actor may call on ``target`` (level rule);
    refused for anyone who may not whistle there."""
    caller = await whistle_people.caller_org(uow, actor, target.compound_id)
    if caller is None:
        raise DomainError("whistle_not_allowed")
    departments = await whistle_people.callable_departments(uow, caller)
    if not departments:
        raise DomainError("whistle_no_departments")
    return caller, departments


async def blow(
    uow: UnitOfWork,
    actor: Account,
    target: Target,
    *,
    kind: str,
    department_ids: list[int],
    problem: str,
    place: str,
    meet_at: datetime,
) -> Whistle:
    assert actor.id is not None
    caller, allowed = await options(uow, actor, target)
    try:
        wkind = WhistleKind(kind)
    except ValueError:
        raise DomainError("unknown_whistle_kind", kind=kind) from None
    chosen = list(dict.fromkeys(department_ids))
    by_id = {d.id: d for d in allowed}
    if not chosen or any(d not in by_id for d in chosen):
        raise DomainError("whistle_bad_departments")
    problem, place = problem.strip(), place.strip()
    if not problem or not place:
        raise DomainError("whistle_missing_text")
    for text, most in ((problem, MAX_PROBLEM), (place, MAX_PLACE)):
        if len(text) > most:
            raise DomainError("text_too_long", length=len(text), max=most)
    if meet_at.tzinfo is None:
        raise DomainError("whistle_bad_time", text=str(meet_at))
    now = uow.clock.now()
    row = Whistle(
        kind=wkind,
        state=WhistleState.called,
        ticket_id=target.ticket_id,
        rx_item_id=target.rx_item_id,
        compound_id=target.compound_id,
        caller_id=actor.id,
        caller_org_id=caller.id or 0,
        problem=problem,
        place=place,
        meet_at=meet_at,
        called_at=now,
    )
    uow.aggregates.add(row)
    await uow.aggregates.flush()
    for dept_id in chosen:
        uow.whistles.add_call(WhistleCall(whistle_id=row.id or 0, department_id=dept_id))
    await uow.aggregates.flush()
    names = [by_id[d].name for d in chosen]
    await agg.record(uow, SPEC, row, actor, "called", type=wkind.value, departments=names, problem=problem)
    return row


async def report_in(uow: UnitOfWork, actor: Account, whistle_id: int, department_id: int) -> Whistle:
    return await agg.apply(uow, SPEC, whistle_id, actor, "report_in", department_id=department_id)


async def arrive(uow: UnitOfWork, actor: Account, whistle_id: int, department_id: int) -> Whistle:
    return await agg.apply(uow, SPEC, whistle_id, actor, "arrive", department_id=department_id)


async def close(
    uow: UnitOfWork,
    actor: Account,
    whistle_id: int,
    outcome: str,
    note: str = "",
    photos: list[str] | None = None,
) -> Whistle:
    return await agg.apply(
        uow, SPEC, whistle_id, actor, "close", outcome=outcome, note=note, photos=photos or []
    )


@dataclass(frozen=True)
class CallLine:
    department: str
    department_id: int
    state: str
    reported_in_at: datetime | None
    arrived_at: datetime | None
    missed_report_in: bool
    missed_on_site: bool


@dataclass(frozen=True)
class Record:
    whistle: Whistle
    roles: frozenset[str]
    calls: list[CallLine]
    ticket_number: str | None

    @property
    def full(self) -> bool:
        """Who did what is shown to the caller, departments and supervisors, not to residents."""
        return bool(self.roles & {"caller", "department", "supervisor"})


async def record(uow: UnitOfWork, viewer: Account | None, whistle_id: int) -> Record:
    """The whistle record for ``viewer`` (None: an operator's report); refused to strangers."""
    row = await uow.whistles.get(whistle_id)
    if row is None:
        raise NotFound("whistle")
    roles = frozenset({"supervisor"}) if viewer is None else await SPEC.roles_of(uow, viewer, row)
    if not roles:
        raise NotAllowed(number=str(whistle_id))
    lines = []
    for c in await uow.whistles.calls(whistle_id):
        dept = await uow.org.get(c.department_id)
        lines.append(
            CallLine(
                dept.name if dept else "?",
                c.department_id,
                str(c.state),
                c.reported_in_at,
                c.arrived_at,
                c.missed_report_in,
                c.missed_on_site,
            )
        )
    ticket = None if row.ticket_id is None else await uow.tickets.get(row.ticket_id)
    return Record(row, roles, lines, ticket.number if ticket else None)


async def actions_for(uow: UnitOfWork, viewer: Account, row: Whistle) -> list[tuple[str, int]]:
    """(action, department id) buttons the viewer may press now (department 0: the whistle's)."""
    assert viewer.id is not None
    roles = await SPEC.roles_of(uow, viewer, row)
    out: list[tuple[str, int]] = []
    allowed = SPEC.allowed_actions(str(row.state), roles)
    if "report_in" in allowed or "arrive" in allowed:
        for c in await uow.whistles.calls(row.id or 0):
            if not await uow.accounts.has_grant(viewer.id, Role.department, c.department_id):
                continue
            if c.state == "called":
                out.append(("report_in", c.department_id))
            elif c.state == "reported_in":
                out.append(("arrive", c.department_id))
    if "close" in allowed:
        out.append(("close", 0))
    return out


async def visible(uow: UnitOfWork, viewer: Account, limit: int = 10) -> list[Whistle]:
    """Recent whistles the viewer called (or colleagues did) or whose department was called."""
    assert viewer.id is not None
    grants = await uow.accounts.grants(viewer.id)
    orgs = [g.org_id for g in grants if g.role in whistle_people.CALLER_ROLES.values()]
    depts = [g.org_id for g in grants if g.role == Role.department]
    return list(await uow.whistles.recent_for(orgs, depts, limit))
