"""The sandbox's demo people (from the demo org file's `demo_people`) and staff groups:
accounts, roles, residency and unit in the database, stable fake Telegram user ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.accounts import Identity, ensure_account, grant, join_compound, set_unit
from storage.models import OrgKind, OrgNode, Role
from storage.uow import UnitOfWork

SANDBOX_BOT_USERNAME = "gongzhi_sandbox_bot"
DEMO_ORG_FILE = Path(__file__).resolve().parents[1] / "examples" / "pinggu-demo.yaml"
FIRST_USER_ID = 7_000_001  # demo person n (in file order) is Telegram user 7000001 + n
CHANNEL = "telegram"
STAFF_GROUP_ROLES = {OrgKind.company: (Role.staff, Role.manager), OrgKind.community: (Role.community,)}


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    role: Role
    org_code: str
    org_name: str
    user_id: int
    unit: str | None = None
    # a point to send as "my location": the compound the person lives in or serves
    location: tuple[float, float] | None = None


@dataclass(frozen=True)
class StaffGroup:
    chat_id: int
    org_name: str
    members: tuple[int, ...] = field(default_factory=tuple)


def demo_entries(doc: dict[str, Any]) -> list[dict[str, Any]]:
    entries = doc.get("demo_people") or []
    if not isinstance(entries, list):
        raise ValueError("demo_people must be a list")
    keys = [str(e.get("key", "")) for e in entries if isinstance(e, dict)]
    if len(keys) != len(entries) or len(set(keys)) != len(keys) or not all(keys):
        raise ValueError("every demo person needs a unique key")
    return entries


async def _point(uow: UnitOfWork, org: OrgNode) -> tuple[float, float] | None:
    """The org's own location, else that of the first compound it serves or contains."""
    if org.latitude is not None and org.longitude is not None:
        return org.latitude, org.longitude
    assert org.id is not None
    if org.kind == OrgKind.company:
        candidates = list(await uow.org.compounds_of_company(org.id))
    else:
        candidates = [n for n in await uow.org.descendants(org.id) if n.kind == OrgKind.compound]
    for c in sorted(candidates, key=lambda n: n.id or 0):
        if c.latitude is not None and c.longitude is not None:
            return c.latitude, c.longitude
    return None


async def seed_people(uow: UnitOfWork, doc: dict[str, Any]) -> list[Person]:
    """Create (or find) each demo person's account with its role; idempotent. The caller commits."""
    people: list[Person] = []
    for n, e in enumerate(demo_entries(doc)):
        uid = FIRST_USER_ID + n
        role, code = Role(str(e["role"])), str(e["org"])
        org = await uow.org.by_code(code)
        if org is None:
            raise ValueError(f"demo person {e['key']}: unknown org {code}")
        account = await ensure_account(uow, Identity(CHANNEL, str(uid), str(uid), str(e["name"])))
        unit = str(e["unit"]) if e.get("unit") else None
        if role == Role.resident:
            compound = await join_compound(uow, account, code)
            assert compound.id is not None and account.id is not None
            if unit is not None:
                await set_unit(uow, account, compound.id, unit)
                residency = await uow.accounts.residency(account.id, compound.id)
                if residency is not None:
                    residency.unit_confirmed = True  # demo residents are already verified
        else:
            await grant(uow, account, role, org)
        people.append(
            Person(str(e["key"]), str(e["name"]), role, code, org.name, uid, unit, await _point(uow, org))
        )
    await uow.flush()
    return people


async def staff_groups(uow: UnitOfWork, people: list[Person]) -> list[StaffGroup]:
    """Every company or community with a staff group, with the demo people working there."""
    groups = []
    for node in await uow.org.all():
        roles = STAFF_GROUP_ROLES.get(node.kind)
        if roles is None or not node.staff_chat_id:
            continue
        members = tuple(p.user_id for p in people if p.org_code == node.code and p.role in roles)
        groups.append(StaffGroup(int(node.staff_chat_id), node.name, members))
    return groups
