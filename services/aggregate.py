"""The pattern every governance aggregate follows (吹哨 whistles, 议事 councils and their
decisions, owners' matters, maintenance-fund applications, 六个一点 campaigns), as the ticket
does (services/ticket_rules.py, ticket_machine.py, ticket_effects.py):

* one transition table ``(state, action) → state`` and who may ask for each action
  (``AggregateSpec.transitions`` / ``action_roles``), buttons from ``allowed_actions``;
* one ``apply()`` that locks and re-reads the row, checks the table and the person's roles,
  lets the action's step check its own preconditions and set its fields, sets the state and
  records an ``AggregateEvent``;
* one policy table per aggregate, event kind → ``EventPolicy``: who is told (audiences the
  spec resolves), which duties (deadlines owed by a party, services/duties.py) open, are done
  or are cancelled, and what follows as system actions. ``follow`` applies it in the same
  transaction; no step notifies anyone or touches a deadline by hand.

An aggregate is a module that builds one ``AggregateSpec`` (tables, steps, and four small
functions: roles, audiences, duty plans, and what a duty's reminder or miss means).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from services import duties, notify
from services.errors import DomainError, InvalidState, NotAllowed, NotFound
from services.sla_defaults import Span
from storage.models import Account, AggregateEvent, Duty, OrgNode
from storage.uow import UnitOfWork

SYSTEM = "system"  # the role of the clock and the rules (actor None)


class Row(Protocol):
    """An aggregate's table row: an id and a state (a StrEnum value)."""

    id: int | None
    state: Any


R = TypeVar("R", bound=Row)


@dataclass(frozen=True)
class Tell:
    audience: str  # resolved by AggregateSpec.audience
    kind: str  # the notification kind (its renderer in handlers/)


@dataclass(frozen=True)
class EventPolicy:
    tell: tuple[Tell, ...] = ()
    opens: tuple[str, ...] = ()  # duties to open (AggregateSpec.duty_plans says who owes them, by when)
    closes: tuple[str, ...] = ()  # duties the event fulfils (see duties.complete)
    cancels_all: bool = False  # the aggregate is over: nothing is owed any more
    then: Callable[[Row, AggregateEvent], Sequence[tuple[str, dict[str, Any]]]] | None = None


NO_POLICY = EventPolicy()


@dataclass
class Step(Generic[R]):
    """What one ``apply`` works on; a step returns the event's data (None: nothing to do)."""

    uow: UnitOfWork
    row: R
    actor: Account | None
    roles: frozenset[str]
    data: dict[str, Any]

    @property
    def now(self) -> datetime:
        return self.uow.clock.now()


@dataclass(frozen=True)
class DutyPlan:
    """One duty to open: who owes it, on which clock, how long, in whose calendar."""

    holder_org_id: int | None
    holder_account_id: int | None
    span: Span
    district: OrgNode | None = None  # whose working days count (None: the configured default)


StepFn = Callable[[Step[Any]], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True)
class AggregateSpec(Generic[R]):
    name: str  # "whistle", … (AggregateEvent.aggregate, Duty.aggregate)
    model: type[R]
    transitions: Mapping[tuple[str, str], str]
    action_roles: Mapping[str, frozenset[str]]
    event_of: Mapping[str, str]
    steps: Mapping[str, StepFn]
    policy: Mapping[str, EventPolicy]
    roles_of: Callable[[UnitOfWork, Account | None, R], Awaitable[frozenset[str]]]
    audience: Callable[[UnitOfWork, R, AggregateEvent, str], Awaitable[Sequence[int]]]
    duty_plans: Callable[[UnitOfWork, R, AggregateEvent, str], Awaitable[Sequence[DutyPlan]]] | None = None
    # a duty's reminder ("remind") or deadline ("missed") passed: usually one system action
    on_duty: Callable[[UnitOfWork, Duty, duties.Moment], Awaitable[None]] | None = None
    # the ticket a notification belongs to (its card, its topic), if any
    ticket_of: Callable[[R], int | None] = field(default=lambda row: None)

    def next_state(self, state: str, action: str) -> str | None:
        return self.transitions.get((state, action))

    def allowed_actions(self, state: str, roles: frozenset[str] | set[str]) -> tuple[str, ...]:
        """Actions any of ``roles`` may take in ``state``, in table order (for buttons)."""
        seen: list[str] = []
        for (s, a), _ in self.transitions.items():
            if s == state and a not in seen and roles & self.action_roles.get(a, frozenset()):
                seen.append(a)
        return tuple(seen)


async def lock(uow: UnitOfWork, spec: AggregateSpec[R], row_id: int) -> R:
    row = await uow.aggregates.lock(spec.model, row_id)
    if row is None:
        raise NotFound(spec.name)
    return row


async def check(
    uow: UnitOfWork, spec: AggregateSpec[R], row: R, actor: Account | None, action: str
) -> tuple[frozenset[str], str]:
    """The actor's roles and the state after ``action``, or the refusal ``apply`` raises."""
    roles = frozenset({SYSTEM}) if actor is None else await spec.roles_of(uow, actor, row)
    if not roles & spec.action_roles.get(action, frozenset()):
        raise NotAllowed(number=str(row.id))
    after = spec.next_state(str(row.state), action)
    if after is None:
        raise InvalidState(str(row.state), number=str(row.id), action=action)
    return roles, after


async def apply(
    uow: UnitOfWork, spec: AggregateSpec[R], row_id: int, actor: Account | None, action: str, /, **data: Any
) -> R:
    """Carry out ``action`` by ``actor`` (None: the system) on the aggregate; returns it.
    The leading parameters are positional-only, so any name may be a key of ``data``."""
    row = await lock(uow, spec, row_id)
    roles, after = await check(uow, spec, row, actor, action)
    step_fn = spec.steps.get(action)
    event_data = {} if step_fn is None else await step_fn(Step(uow, row, actor, roles, dict(data)))
    if event_data is None:
        return row
    row.state = type(row.state)(after) if isinstance(row.state, str) else after
    await record(uow, spec, row, actor, spec.event_of[action], **event_data)
    return row


async def create(
    uow: UnitOfWork, spec: AggregateSpec[R], row: R, actor: Account | None, kind: str, /, **data: Any
) -> R:
    """A new aggregate: store the row and record its first event (which the policy follows)."""
    uow.aggregates.add(row)
    await uow.aggregates.flush()
    await record(uow, spec, row, actor, kind, **data)
    return row


async def record(
    uow: UnitOfWork, spec: AggregateSpec[R], row: R, actor: Account | None, kind: str, /, **data: Any
) -> AggregateEvent:
    """Append the event, then follow its policy row in the same transaction."""
    assert row.id is not None
    ev = await uow.aggregates.add_event(
        aggregate=spec.name,
        aggregate_id=row.id,
        at=uow.clock.now(),
        actor_id=actor.id if actor else None,
        kind=kind,
        data=data,
    )
    await follow(uow, spec, row, ev)
    return ev


async def follow(uow: UnitOfWork, spec: AggregateSpec[R], row: R, ev: AggregateEvent) -> None:
    policy = spec.policy.get(ev.kind, NO_POLICY)
    assert row.id is not None
    for what in policy.closes:
        await duties.complete(uow, spec.name, row.id, what, ev)
    if policy.cancels_all:
        await uow.aggregates.cancel_duties(spec.name, row.id, ev.at)
    for what in policy.opens:
        if spec.duty_plans is None:
            raise TypeError(f"{spec.name}: a policy opens duties but the spec plans none")
        for plan in await spec.duty_plans(uow, row, ev, what):
            await duties.open_duty(
                uow,
                aggregate=spec.name,
                aggregate_id=row.id,
                what=what,
                holder_org_id=plan.holder_org_id,
                holder_account_id=plan.holder_account_id,
                span=plan.span,
                district=plan.district,
                start=ev.at,
            )
    for tell in policy.tell:
        for account_id in dict.fromkeys(await spec.audience(uow, row, ev, tell.audience)):
            if account_id == ev.actor_id:
                continue  # nobody is told of their own action
            await notify.to_aggregate_reader(
                uow,
                account_id,
                tell.kind,
                aggregate=spec.name,
                aggregate_id=row.id,
                event_id=ev.id or 0,
                ticket_id=spec.ticket_of(row),
                payload=ev.data,
            )
    for action, data in policy.then(row, ev) if policy.then else ():
        await apply(uow, spec, row.id, None, action, **data)


def refuse(code: str, **params: Any) -> DomainError:
    """A step's own precondition failed (raise the result)."""
    return DomainError(code, **params)
