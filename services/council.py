"""议事 councils, the service calls: schedule, propose (free text or a ticket), accept / merge /
decline, post the agenda, decide (a decision with its responsible party, deadline and link),
complete a decision, post the minutes, cancel. Every change goes through the council's or the
decision's spec; nothing here tells anyone or opens a deadline by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services import aggregate as agg
from services import council_people
from services.council_spec import SPEC
from services.decision_spec import SPEC as DECISION
from services.errors import DomainError, NotAllowed, NotFound
from storage.models import (
    Account,
    Council,
    CouncilDecision,
    CouncilItem,
    CouncilKind,
    CouncilState,
    DecisionState,
    Matter,
    OrgKind,
)
from storage.uow import UnitOfWork

LINK_KINDS = ("ticket", "rx_item", "matter")


async def schedule(
    uow: UnitOfWork,
    actor: Account,
    *,
    kind: str,
    org_code: str,
    title: str,
    place: str,
    meet_at: datetime,
    invite_residents: bool = True,
    invite_property: bool = True,
    department_codes: list[str] | None = None,
    agenda_days: int | None = None,
) -> Council:
    assert actor.id is not None
    try:
        ckind = CouncilKind(kind)
    except ValueError:
        raise DomainError("council_bad_kind", kind=kind) from None
    org = await uow.org.by_code(org_code)
    if org is None or org.kind not in (OrgKind.compound, OrgKind.community):
        raise DomainError("council_bad_org", org=org_code)
    if not await council_people.may_organise(uow, actor, org):
        raise DomainError("council_not_allowed")
    title, place = title.strip(), place.strip()
    if not title or not place or len(title) > 200 or len(place) > 200:
        raise DomainError("council_bad_fields")
    now = uow.clock.now()
    if meet_at.tzinfo is None or meet_at <= now:
        raise DomainError("council_bad_time")
    depts = []
    for code in department_codes or []:
        node = await uow.org.by_code(code)
        if node is None or node.kind != OrgKind.department:
            raise DomainError("council_bad_department", org=code)
        depts.append(node.id or 0)
    row = Council(
        kind=ckind,
        state=CouncilState.scheduled,
        org_id=org.id or 0,
        organiser_id=actor.id,
        title=title,
        place=place,
        meet_at=meet_at,
        invite_residents=invite_residents,
        invite_property=invite_property,
        invite_departments=depts,
        agenda_days=uow.config.council_agenda_days if agenda_days is None else agenda_days,
        created_at=now,
    )
    return await agg.create(uow, SPEC, row, actor, "scheduled", title=title, type=ckind.value)


async def propose(
    uow: UnitOfWork, actor: Account, council_id: int, text: str, ticket_id: int | None = None
) -> Council:
    if ticket_id is not None:
        ticket = await uow.tickets.get(ticket_id)
        if ticket is None or ticket.reporter_id != actor.id:
            raise NotFound("ticket")
        text = text or f"{ticket.number} {ticket.description[:200]}"
    return await agg.apply(uow, SPEC, council_id, actor, "propose", text=text, ticket_id=ticket_id)


async def judge(
    uow: UnitOfWork, actor: Account, council_id: int, action: str, item_id: int, into_id: int | None = None
) -> Council:
    if action not in ("accept", "merge", "decline"):
        raise DomainError("unknown_button")
    return await agg.apply(uow, SPEC, council_id, actor, action, item_id=item_id, into_id=into_id)


async def post_agenda(uow: UnitOfWork, actor: Account, council_id: int) -> Council:
    return await agg.apply(uow, SPEC, council_id, actor, "post_agenda")


async def post_minutes(uow: UnitOfWork, actor: Account, council_id: int, text: str) -> Council:
    return await agg.apply(uow, SPEC, council_id, actor, "post_minutes", text=text)


async def cancel(uow: UnitOfWork, actor: Account, council_id: int) -> Council:
    return await agg.apply(uow, SPEC, council_id, actor, "cancel")


async def resolve_responsible(uow: UnitOfWork, text: str) -> tuple[int | None, int | None]:
    """An org code (company, community, street, department, compound committee) or an account id."""
    text = text.strip()
    node = await uow.org.by_code(text)
    if node is not None and OrgKind(node.kind) in council_people.RESPONSIBLE_ROLES:
        return node.id, None
    if text.isdigit() and await uow.accounts.get(int(text)) is not None:
        return None, int(text)
    raise DomainError("council_bad_responsible", who=text[:40])


async def _check_link(uow: UnitOfWork, kind: str | None, ref: str | None) -> int | None:
    if kind is None:
        return None
    if kind not in LINK_KINDS or not ref:
        raise DomainError("council_bad_link")
    if kind == "ticket":
        ticket = (
            await uow.tickets.by_number(ref.upper()) if not ref.isdigit() else await uow.tickets.get(int(ref))
        )
        if ticket is None:
            raise DomainError("council_bad_link")
        return ticket.id
    if not ref.isdigit():
        raise DomainError("council_bad_link")
    found = (
        await uow.rectification.item(int(ref))
        if kind == "rx_item"
        else await uow.aggregates.get(Matter, int(ref))  # an owners' matter (共议)
    )
    if found is None:
        raise DomainError("council_bad_link")
    return int(ref)


async def decide(
    uow: UnitOfWork,
    actor: Account,
    council_id: int,
    item_id: int,
    *,
    text: str,
    responsible: str,
    deadline: date,
    link_kind: str | None = None,
    link_ref: str | None = None,
) -> CouncilDecision:
    text = text.strip()
    if not text or len(text) > 1000:
        raise DomainError("council_bad_fields")
    org_id, account_id = await resolve_responsible(uow, responsible)
    link_id = await _check_link(uow, link_kind, link_ref)
    if deadline < uow.clock.now().date():
        raise DomainError("council_bad_deadline", deadline=deadline.isoformat())
    council = await agg.apply(uow, SPEC, council_id, actor, "decide", item_id=item_id, text=text)
    row = CouncilDecision(
        council_id=council.id or 0,
        item_id=item_id,
        text=text,
        state=DecisionState.open,
        responsible_org_id=org_id,
        responsible_account_id=account_id,
        deadline=deadline,
        link_kind=link_kind,
        link_id=link_id,
        created_at=uow.clock.now(),
    )
    return await agg.create(uow, DECISION, row, actor, "opened", text=text, deadline=deadline.isoformat())


async def complete_decision(
    uow: UnitOfWork, actor: Account, decision_id: int, note: str = ""
) -> CouncilDecision:
    return await agg.apply(uow, DECISION, decision_id, actor, "complete", note=note)


@dataclass(frozen=True)
class View:
    council: Council
    roles: frozenset[str]
    items: list[CouncilItem]
    decisions: list[CouncilDecision]
    org_name: str


async def view(uow: UnitOfWork, viewer: Account, council_id: int) -> View:
    row = await uow.councils.get(council_id)
    if row is None:
        raise NotFound("council")
    roles = await council_people.roles_of(uow, viewer, row)
    if not roles:
        raise NotAllowed(number=str(council_id))
    org = await uow.org.get(row.org_id)
    return View(
        row,
        roles,
        list(await uow.councils.items(council_id)),
        list(await uow.councils.decisions(council_id)),
        org.name if org else "?",
    )


async def visible(
    uow: UnitOfWork, viewer: Account, *, upcoming_only: bool = False, limit: int = 10
) -> list[Council]:
    """Councils of the viewer's compounds (and their communities) or the communities they work."""
    assert viewer.id is not None
    orgs: list[int] = []
    for r in await uow.accounts.residencies(viewer.id):
        compound = await uow.org.get(r.compound_id)
        if compound is not None:
            community = await uow.org.ancestor_of_kind(compound, OrgKind.community)
            orgs += [compound.id or 0] + ([community.id or 0] if community else [])
    for g in await uow.accounts.grants(viewer.id):
        node = await uow.org.get(g.org_id)
        if node is not None and node.kind in (OrgKind.community, OrgKind.compound):
            orgs += [node.id or 0] + [n.id or 0 for n in await uow.org.descendants(node.id or 0)]
    after = uow.clock.now() if upcoming_only else None
    return list(await uow.councils.for_orgs(list(dict.fromkeys(orgs)), limit, upcoming_after=after))
