"""``ticket_machine.apply`` for every (state, action, role), on a real database.

One ticket per state (escalated to level 2, so the community and the street handle it too);
every action is tried by a person of every role in its own transaction, which is then rolled
back. It must succeed exactly where the hand-written lifecycle (tests/unit/test_ticket_rules)
allows it (tests/unit/lifecycle_spec.py), land in the expected state and record the action's
event; everywhere else it is
refused with a DomainError.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from services.accounts import Identity, ensure_account, grant
from services.errors import DomainError
from services.ticket_machine import apply
from services.ticket_rules import EVENT_OF, Action, TicketRole
from storage.clock import FrozenClock
from storage.models import Account, Role, Ticket, TicketState
from storage.uow import make_uow_factory
from tests.storage.world import World, make_world
from tests.unit.lifecycle_spec import SPEC, expected

DATA: dict[Action, dict[str, Any]] = {
    Action.ask: {"text": "几号楼？"},
    Action.message: {"text": "明天上门"},
    Action.resolve: {"note": "已修好"},
    Action.reject: {"reason": "invalid"},
    Action.answer: {"text": "3号楼"},
    Action.add_info: {"text": "补充"},
    Action.rate: {"stars": 4},
    Action.comment: {"text": "很好"},
    Action.remind: {"target": "resolution", "percent": 50, "due": None},
    Action.mark_overdue: {"target": "resolution", "percent": 100, "due": None},
    Action.escalate: {"reason": "whistle"},
}


async def _ticket_in(world: World, state: TicketState, rated: bool) -> int:
    tid = await world.report()
    async with world.f() as uow:
        t = await uow.tickets.get(tid)
        assert t is not None
        t.state, t.escalation_level = state, 2
        if state in (TicketState.resolved, TicketState.closed):
            t.resolved_at = world.clock.now()
        if state == TicketState.closed:
            t.closed_at, t.rating = world.clock.now(), 4 if rated else None
        await uow.commit()
    return tid


async def _people(world: World) -> dict[TicketRole, Account | None]:
    async with world.f() as uow:
        manager = await ensure_account(uow, Identity("telegram", "599", "599", "manager"))
        node = await uow.org.by_code("YJWY")
        assert node is not None
        await grant(uow, manager, Role.manager, node)
        await uow.commit()
    return {
        TicketRole.reporter: world.resident,
        TicketRole.staff: world.staff,
        TicketRole.manager: manager,
        TicketRole.community: world.community,
        TicketRole.street: world.street,
        TicketRole.admin: world.admin,
        TicketRole.system: None,
    }


async def test_apply_for_every_state_action_and_role(sqlite_engine: AsyncEngine, clock: FrozenClock) -> None:
    world = await make_world(make_uow_factory(sqlite_engine, clock), clock)
    people = await _people(world)
    tickets = {
        (s, rated): await _ticket_in(world, s, rated)
        for s, rated in itertools.product(TicketState, (False, True))
    }
    wrong = []
    for state, action, role in itertools.product(TicketState, Action, TicketRole):
        tid = tickets[(state, action == Action.comment)]
        may = expected(state, action) is not None and role.value in SPEC[action][2].split()
        async with world.f() as uow:
            try:
                t = await apply(uow, tid, people[role], action, **DATA.get(action, {}))
                events = [e.kind for e in await uow.tickets.events(tid)]
                outcome: object = (TicketState(t.state), events[-1])
            except DomainError as err:
                outcome = err.code
            await uow.rollback()
        want: object = (expected(state, action), EVENT_OF[action].value) if may else "refused"
        if (outcome if not isinstance(outcome, str) else "refused") != want:
            wrong.append((state.value, action.value, role.value, outcome, want))
    assert wrong == []


async def test_a_refusal_changes_nothing(sqlite_engine: AsyncEngine, clock: FrozenClock) -> None:
    world = await make_world(make_uow_factory(sqlite_engine, clock), clock)
    tid = await world.report()
    async with world.f() as uow:
        before = await uow.tickets.get(tid)
        assert before is not None
        snapshot = (before.state, before.updated_at, len(await uow.tickets.events(tid)))
    for actor, action in (
        (world.resident, Action.resolve),
        (world.staff, Action.confirm),
        (world.street, Action.acknowledge),
    ):  # street: not at level 2 yet
        async with world.f() as uow:
            try:
                await apply(uow, tid, actor, action)
            except DomainError as err:
                assert err.code in ("not_allowed", "invalid_state")
            else:
                raise AssertionError(f"{action} by {actor.display_name} was allowed")
    async with world.f() as uow:
        t: Ticket | None = await uow.tickets.get(tid)
        assert t is not None
        assert (t.state, t.updated_at, len(await uow.tickets.events(tid))) == snapshot
