"""Who is in the database: accounts with their ids, masked phones and role grants, for
operators who need an account id (e.g. `gongzhi export tickets --unmasked --as ID`)."""

from __future__ import annotations

from dataclasses import dataclass

from services.errors import DomainError
from services.export import mask_phone
from storage.models import Account, Role
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Grant:
    role: Role
    org_code: str
    org_name: str
    org_id: int


@dataclass(frozen=True)
class AccountEntry:
    id: int
    name: str
    phone: str | None  # masked: 138****1234
    grants: tuple[Grant, ...]


async def list_accounts(
    uow: UnitOfWork, *, role: Role | None = None, org_code: str | None = None
) -> list[AccountEntry]:
    """Every account in id order with all its grants. With `role` and/or `org_code`, only the
    accounts holding one grant that matches both (the org itself or any node under it)."""
    scope: set[int] | None = None
    if org_code is not None:
        node = await uow.org.by_code(org_code)
        if node is None or node.id is None:
            raise DomainError("org_not_found", org_code=org_code)
        scope = {node.id} | {n.id for n in await uow.org.descendants(node.id) if n.id is not None}
    accounts: dict[int, Account] = {}
    grants: dict[int, list[Grant]] = {}
    for account, grant, node in await uow.accounts.all_with_grants():
        assert account.id is not None
        accounts[account.id] = account
        held = grants.setdefault(account.id, [])
        if grant is not None and node is not None and node.id is not None:
            held.append(Grant(Role(grant.role), node.code, node.name, node.id))

    def matches(g: Grant) -> bool:
        return (role is None or g.role == role) and (scope is None or g.org_id in scope)

    filtering = role is not None or scope is not None
    return [
        AccountEntry(a.id, a.display_name, mask_phone(a.phone), tuple(grants[i]))
        for i, a in accounts.items()
        if a.id is not None and (not filtering or any(matches(g) for g in grants[i]))
    ]
