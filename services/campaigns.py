"""六个一点 cost-sharing campaigns on the aggregate kit.

    open ─start_works─▶ works ─close (final cost)─▶ closed
    open: pledge (residents: 业主捐; organisers: any source), receive (organisers),
          post_ledger (organisers); works: receive, post_ledger

A campaign has a purpose, a target (fen), a quantity ("1798 m²") and an end date (the
compound's local date); pledges after it are refused. The ledger (services/campaign_ledger.py)
gives totals by source, received versus pledged, and the names of givers who agreed to be
named; it is posted to the compound's residents when opened, on request, and with the final
account (surplus or shortfall) at the close.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from services import aggregate as agg
from services import owners_roles, periods
from services.errors import DomainError, NotAllowed
from services.owners_roles import ADMIN, COMMITTEE, COMMUNITY, STREET
from storage.models import Account, AggregateEvent, Campaign, CampaignEntry, CampaignState
from storage.uow import UnitOfWork

NAME = "campaign"
RESIDENT = "resident"
ORGANISERS = frozenset({COMMITTEE, COMMUNITY})


class Source(StrEnum):
    government = "government"  # 政府补一点
    street = "street"  # 街道奖一点
    employer = "employer"  # 单位帮一点
    property = "property"  # 物业搭一点
    owners = "owners"  # 业主捐一点
    community = "community"  # 社区筹一点


SOURCE_WORDS = {s.value: s for s in Source} | {
    "政府补": Source.government,
    "街道奖": Source.street,
    "单位帮": Source.employer,
    "物业搭": Source.property,
    "业主捐": Source.owners,
    "社区筹": Source.community,
}

TRANSITIONS = {
    ("open", "pledge"): "open",
    ("open", "receive"): "open",
    ("works", "receive"): "works",
    ("open", "post_ledger"): "open",
    ("works", "post_ledger"): "works",
    ("open", "start_works"): "works",
    ("works", "close"): "closed",
}
ACTION_ROLES = {
    "pledge": ORGANISERS | {RESIDENT},
    "receive": ORGANISERS,
    "post_ledger": ORGANISERS,
    "start_works": ORGANISERS,
    "close": frozenset({COMMUNITY, STREET, ADMIN}),
}
EVENT_OF = {
    "pledge": "pledged",
    "receive": "received",
    "post_ledger": "ledger_posted",
    "start_works": "works_started",
    "close": "closed",
}
_POST = (agg.Tell("residents", "campaign_ledger"),)
POLICY = {
    "opened": agg.EventPolicy(tell=_POST),
    "pledged": agg.EventPolicy(tell=(agg.Tell("organisers", "campaign_pledge"),)),
    "ledger_posted": agg.EventPolicy(tell=_POST),
    "works_started": agg.EventPolicy(tell=_POST),
    "closed": agg.EventPolicy(tell=_POST, cancels_all=True),
}


async def roles_on(uow: UnitOfWork, actor: Account, compound_id: int) -> frozenset[str]:
    roles = set(await owners_roles.roles_on(uow, actor, compound_id))
    if actor.id is not None and await uow.accounts.residency(actor.id, compound_id) is not None:
        roles.add(RESIDENT)
    return frozenset(roles)


async def _roles(uow: UnitOfWork, actor: Account | None, row: Campaign) -> frozenset[str]:
    assert actor is not None
    return await roles_on(uow, actor, row.compound_id)


async def _audience(uow: UnitOfWork, row: Campaign, ev: AggregateEvent, name: str) -> Sequence[int]:
    if name == "residents":
        return await uow.owners.residents(row.compound_id)
    return await owners_roles.organisers(uow, row.compound_id)


async def local_today(uow: UnitOfWork, row: Campaign) -> date:
    from services import orgtime

    return periods.local_date(uow.clock.now(), await orgtime.org_zone(uow, row.compound_id))


def parse_source(word: str) -> Source:
    src = SOURCE_WORDS.get(word.strip().lower())
    if src is None:
        raise DomainError("campaign_bad_source", source=word.strip()[:20])
    return src


async def _entry(st: agg.Step[Campaign], kind: str) -> dict[str, Any]:
    assert st.row.id is not None and st.actor is not None
    source = Source(st.data["source"])
    amount = int(st.data["amount_fen"])
    if amount <= 0:
        raise agg.refuse("pledge_bad_amount", amount=str(amount))
    if kind == "pledge" and await local_today(st.uow, st.row) > st.row.end_date:
        raise agg.refuse("campaign_ended", end=st.row.end_date.isoformat())
    organiser = bool(ORGANISERS & st.roles)
    if not organiser and source != Source.owners:
        raise agg.refuse("not_allowed")
    giver = str(st.data.get("giver") or ("" if organiser else st.actor.display_name))[:100]
    entry = CampaignEntry(
        campaign_id=st.row.id,
        kind=kind,
        source=source.value,
        amount_fen=amount,
        giver=giver,
        public=bool(st.data.get("public")),
        account_id=None if organiser else st.actor.id,
        at=st.now,
    )
    st.uow.owners.add(entry)
    await st.uow.owners.flush()
    return {"entry": entry.id, "source": source.value, "amount_fen": amount}


async def _pledge(st: agg.Step[Campaign]) -> dict[str, Any]:
    return await _entry(st, "pledge")


async def _receive(st: agg.Step[Campaign]) -> dict[str, Any]:
    return await _entry(st, "receipt")


async def _close(st: agg.Step[Campaign]) -> dict[str, Any]:
    cost = int(st.data["final_cost_fen"])
    if cost <= 0:
        raise agg.refuse("bad_amount", amount=str(cost))
    st.row.final_cost_fen = cost
    return {"final_cost_fen": cost}


async def _plain(st: agg.Step[Campaign]) -> dict[str, Any]:
    return {}


SPEC: agg.AggregateSpec[Campaign] = agg.AggregateSpec(
    name=NAME,
    model=Campaign,
    transitions=TRANSITIONS,
    action_roles=ACTION_ROLES,
    event_of=EVENT_OF,
    steps={
        "pledge": _pledge,
        "receive": _receive,
        "post_ledger": _plain,
        "start_works": _plain,
        "close": _close,
    },
    policy=POLICY,
    roles_of=_roles,
    audience=_audience,
)


async def open_campaign(
    uow: UnitOfWork,
    actor: Account,
    compound_id: int,
    *,
    purpose: str,
    target_fen: int,
    quantity: str,
    end_date: date,
) -> Campaign:
    if not ORGANISERS & await owners_roles.roles_on(uow, actor, compound_id):
        raise NotAllowed()
    purpose, quantity = purpose.strip(), quantity.strip()
    if not purpose or len(purpose) > 300 or len(quantity) > 40:
        raise DomainError("campaign_bad_form")
    row = Campaign(
        compound_id=compound_id,
        purpose=purpose,
        target_fen=target_fen,
        quantity=quantity,
        end_date=end_date,
        state=CampaignState.open,
        created_by_id=actor.id,
        created_at=uow.clock.now(),
    )
    if await local_today(uow, row) > end_date:
        raise DomainError("campaign_ended", end=end_date.isoformat())
    return await agg.create(uow, SPEC, row, actor, "opened", purpose=purpose)


async def act(uow: UnitOfWork, campaign_id: int, actor: Account, action: str, **data: Any) -> Campaign:
    return await agg.apply(uow, SPEC, campaign_id, actor, action, **data)


async def get(uow: UnitOfWork, campaign_id: int) -> Campaign:
    row = await uow.aggregates.get(Campaign, campaign_id)
    if row is None:
        raise DomainError("campaign_not_found")
    return row
