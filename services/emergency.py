"""The district emergency repair fund (区应急维修资金): its balance, set by the district admin
and taken down as applications paid from it settle (services/funds.py)."""

from __future__ import annotations

from services import owners_roles
from services.errors import DomainError, NotAllowed
from storage.models import Account, EmergencyFund, OrgKind, Role
from storage.uow import UnitOfWork


async def fund_of(uow: UnitOfWork, compound_id: int, *, lock: bool = False) -> EmergencyFund | None:
    district = await owners_roles.district_of(uow, await owners_roles.compound(uow, compound_id))
    assert district.id is not None
    return await uow.owners.emergency_fund(district.id, lock=lock)


async def set_balance(uow: UnitOfWork, actor: Account, district_code: str, balance_fen: int) -> EmergencyFund:
    """The district admin sets the emergency fund's balance."""
    node = await uow.org.by_code(district_code.strip())
    if node is None or node.id is None or node.kind != OrgKind.district:
        raise DomainError("org_not_found", org_code=district_code.strip()[:20])
    if actor.id is None or not await uow.accounts.has_grant(actor.id, Role.admin, node.id):
        raise NotAllowed()
    fund = await uow.owners.emergency_fund(node.id, lock=True)
    if fund is None:
        fund = EmergencyFund(district_id=node.id)
        uow.owners.add(fund)
    fund.balance_fen, fund.updated_at = balance_fen, uow.clock.now()
    await uow.owners.flush()
    return fund
