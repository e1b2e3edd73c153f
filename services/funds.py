"""维修资金: maintenance-fund applications on the aggregate kit.

    draft ─submit─▶ notice ─(notice days pass: system)─▶ deciding ─approve─▶ approved
          ─start_works─▶ works ─accept─▶ accepted ─settle (actual cost)─▶ settled
    draft / notice / deciding ─refuse─▶ refused

Who: the committee, the compound's property manager or the community draft, submit and start
the works; the linked owners' matter (``link``) must have passed before an ordinary
application is approved (community, street, district admin); the committee or community
accept the works; the street or the district admin settle. Every step is announced to the
compound's owners. The public notice lasts ``fund_notice_days``; emergency use (roof leak,
exterior insulation, elevator) ``fund_emergency_notice_days`` and needs no owners' decision.
A compound without a fund of its own applies to the district emergency fund: an application
over its balance is refused, and settling takes the actual cost off the balance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from services import aggregate as agg
from services import emergency, matters, owners_roles
from services.duties import Moment
from services.errors import DomainError, NotAllowed
from services.money import yuan
from services.owners_roles import ADMIN, COMMITTEE, COMMUNITY, STREET
from services.sla_defaults import Span
from storage.models import (
    Account,
    AggregateEvent,
    Duty,
    FundApplication,
    FundState,
    Role,
)
from storage.uow import UnitOfWork

NAME = "fund"
MANAGER = "manager"
APPLICANTS = frozenset({COMMITTEE, MANAGER, COMMUNITY})
APPROVERS = frozenset({COMMUNITY, STREET, ADMIN})
SETTLERS = frozenset({STREET, ADMIN})

TRANSITIONS = {
    ("draft", "submit"): "notice",
    ("notice", "end_notice"): "deciding",
    ("deciding", "link"): "deciding",
    ("deciding", "approve"): "approved",
    ("approved", "start_works"): "works",
    ("works", "accept"): "accepted",
    ("accepted", "settle"): "settled",
    ("draft", "refuse"): "refused",
    ("notice", "refuse"): "refused",
    ("deciding", "refuse"): "refused",
}
ACTION_ROLES = {
    "submit": APPLICANTS,
    "end_notice": frozenset({agg.SYSTEM}),
    "link": frozenset({COMMITTEE, COMMUNITY}),
    "approve": APPROVERS,
    "start_works": frozenset({COMMITTEE, MANAGER}),
    "accept": frozenset({COMMITTEE, COMMUNITY}),
    "settle": SETTLERS,
    "refuse": APPROVERS,
}
EVENT_OF = {
    "submit": "submitted",
    "link": "linked",
    "approve": "approved",
    "end_notice": "notice_ended",
    "start_works": "works_started",
    "accept": "accepted",
    "settle": "settled",
    "refuse": "refused",
}
_TELL = (agg.Tell("owners", "fund_step"), agg.Tell("organisers", "fund_step"))
POLICY = {
    "drafted": agg.EventPolicy(tell=(agg.Tell("organisers", "fund_step"),)),
    "submitted": agg.EventPolicy(tell=_TELL, opens=("notice",)),
    "notice_ended": agg.EventPolicy(tell=_TELL, closes=("notice",)),
    "linked": agg.EventPolicy(tell=_TELL),
    "approved": agg.EventPolicy(tell=_TELL),
    "works_started": agg.EventPolicy(tell=_TELL),
    "accepted": agg.EventPolicy(tell=_TELL),
    "settled": agg.EventPolicy(tell=_TELL, cancels_all=True),
    "refused": agg.EventPolicy(tell=_TELL, cancels_all=True),
}


async def roles_on(uow: UnitOfWork, actor: Account, compound_id: int) -> frozenset[str]:
    roles = set(await owners_roles.roles_on(uow, actor, compound_id))
    node = await owners_roles.compound(uow, compound_id)
    if node.company_id is not None and actor.id is not None:
        if await uow.accounts.has_grant(actor.id, Role.manager, node.company_id):
            roles.add(MANAGER)
    return frozenset(roles)


async def _roles(uow: UnitOfWork, actor: Account | None, row: FundApplication) -> frozenset[str]:
    assert actor is not None
    return await roles_on(uow, actor, row.compound_id)


async def _audience(uow: UnitOfWork, row: FundApplication, ev: AggregateEvent, name: str) -> Sequence[int]:
    if name == "owners":
        return await owners_roles.owner_accounts(uow, row.compound_id)
    return await owners_roles.organisers(uow, row.compound_id, above=True)


async def _plans(
    uow: UnitOfWork, row: FundApplication, ev: AggregateEvent, what: str
) -> Sequence[agg.DutyPlan]:
    days = uow.config.fund_emergency_notice_days if row.emergency else uow.config.fund_notice_days
    return [agg.DutyPlan(None, None, Span("24x7", time=timedelta(days=days)))]


async def _on_duty(uow: UnitOfWork, duty: Duty, m: Moment) -> None:
    if m.kind == "missed":  # the notice has run its days
        await agg.apply(uow, SPEC, duty.aggregate_id, None, "end_notice")


async def _check_balance(uow: UnitOfWork, row: FundApplication, amount: int) -> None:
    if not row.district_fund:
        return
    fund = await emergency.fund_of(uow, row.compound_id)
    balance = fund.balance_fen if fund else 0
    if amount > balance:
        raise agg.refuse("fund_over_balance", amount=yuan(amount), balance=yuan(balance))


async def _submit(st: agg.Step[FundApplication]) -> dict[str, Any]:
    await _check_balance(st.uow, st.row, st.row.amount_fen)
    st.row.notice_at = st.now
    return {"amount_fen": st.row.amount_fen}


async def _link(st: agg.Step[FundApplication]) -> dict[str, Any]:
    m = await matters.get(st.uow, int(st.data["matter_id"]))
    if m.compound_id != st.row.compound_id:
        raise agg.refuse("fund_matter_elsewhere")
    st.row.matter_id = m.id
    return {"matter_id": m.id, "title": m.title}


async def _approve(st: agg.Step[FundApplication]) -> dict[str, Any]:
    if not st.row.emergency:
        m = await matters.get(st.uow, st.row.matter_id) if st.row.matter_id else None
        passed = m is not None and (
            m.official_passed
            if m.official_passed is not None
            else m.state != "closed" and bool(m.result.get("passed"))
        )
        if m is None or m.state in ("notice", "voting") or not passed:
            raise agg.refuse("fund_needs_decision")
    await _check_balance(st.uow, st.row, st.row.amount_fen)
    st.row.approved_at = st.now
    return {}


async def _settle(st: agg.Step[FundApplication]) -> dict[str, Any]:
    actual = int(st.data["actual_fen"])
    if actual <= 0:
        raise agg.refuse("bad_amount", amount=str(actual))
    if st.row.district_fund:
        fund = await emergency.fund_of(st.uow, st.row.compound_id, lock=True)
        balance = fund.balance_fen if fund else 0
        if fund is None or actual > balance:
            raise agg.refuse("fund_over_balance", amount=yuan(actual), balance=yuan(balance))
        fund.balance_fen, fund.updated_at = balance - actual, st.now
    st.row.actual_fen, st.row.settled_at = actual, st.now
    return {"actual_fen": actual}


async def _plain(st: agg.Step[FundApplication]) -> dict[str, Any]:
    return {k: v for k, v in st.data.items() if k != "kind"}


SPEC: agg.AggregateSpec[FundApplication] = agg.AggregateSpec(
    name=NAME,
    model=FundApplication,
    transitions=TRANSITIONS,
    action_roles=ACTION_ROLES,
    event_of=EVENT_OF,
    steps={
        "submit": _submit,
        "end_notice": _plain,
        "link": _link,
        "approve": _approve,
        "start_works": _plain,
        "accept": _plain,
        "settle": _settle,
        "refuse": _plain,
    },
    policy=POLICY,
    roles_of=_roles,
    audience=_audience,
    duty_plans=_plans,
    on_duty=_on_duty,
)


async def draft(
    uow: UnitOfWork,
    actor: Account,
    compound_id: int,
    *,
    works: str,
    amount_fen: int,
    emergency: bool,
    district_fund: bool,
    quotes: Sequence[str] = (),
) -> FundApplication:
    if not APPLICANTS & await roles_on(uow, actor, compound_id):
        raise NotAllowed()
    works = works.strip()
    if not works or len(works) > 300:
        raise DomainError("fund_bad_form")
    row = FundApplication(
        compound_id=compound_id,
        works=works,
        amount_fen=amount_fen,
        emergency=emergency or district_fund,
        district_fund=district_fund,
        state=FundState.draft,
        quotes=list(quotes),
        created_by_id=actor.id,
        created_at=uow.clock.now(),
    )
    await _check_balance(uow, row, amount_fen)
    return await agg.create(uow, SPEC, row, actor, "drafted", works=works, amount_fen=amount_fen)


async def act(
    uow: UnitOfWork, app_id: int, actor: Account | None, action: str, **data: Any
) -> FundApplication:
    return await agg.apply(uow, SPEC, app_id, actor, action, **data)


async def get(uow: UnitOfWork, app_id: int) -> FundApplication:
    row = await uow.aggregates.get(FundApplication, app_id)
    if row is None:
        raise DomainError("fund_not_found")
    return row
