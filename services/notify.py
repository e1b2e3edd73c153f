"""Write outgoing notifications (outbox rows) inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.access import queue_holder_ids
from services.routing import community_of
from storage.models import NotificationState, Ticket
from storage.uow import UnitOfWork

TELEGRAM = "telegram"


async def to_account(
    uow: UnitOfWork,
    account_id: int,
    kind: str,
    *,
    ticket: Ticket | None,
    key: str,
    payload: dict[str, Any] | None = None,
    due_at: datetime | None = None,
) -> int:
    """Queue a notification to every channel identity of an account.

    `key` makes the row unique (an event id, a due time…): writing the same
    notification again is a no-op. Returns how many rows were new.
    """
    now = uow.clock.now()
    when = due_at or now
    added = 0
    for ident in await uow.accounts.identities(account_id):
        added += await uow.outbox.enqueue(
            _row(
                kind,
                ticket,
                f"{kind}:{ticket.id if ticket else '-'}:{account_id}:{ident.channel}:{key}",
                account_id,
                ident.channel,
                ident.chat_id,
                False,
                when,
                payload,
                now,
            )
        )
    return added


async def to_group_topic(
    uow: UnitOfWork,
    chat_id: str,
    kind: str,
    *,
    ticket: Ticket,
    key: str,
    payload: dict[str, Any] | None = None,
) -> int:
    now = uow.clock.now()
    return int(
        await uow.outbox.enqueue(
            _row(
                kind,
                ticket,
                f"{kind}:{ticket.id}:group:{chat_id}:{key}",
                None,
                TELEGRAM,
                chat_id,
                True,
                now,
                payload,
                now,
            )
        )
    )


async def to_queue(
    uow: UnitOfWork,
    ticket: Ticket,
    kind: str,
    *,
    key: str,
    payload: dict[str, Any] | None = None,
    exclude: int | None = None,
) -> int:
    """Everyone working the ticket's queue (and its staff group topic). A queue
    with nobody in it falls back to the community workers, so no ticket is
    left unseen."""
    holders = [a for a in await queue_holder_ids(uow, ticket.queue_org_id) if a != exclude]
    if not holders:
        compound = await uow.org.get(ticket.compound_id)
        if compound is not None:
            community = await community_of(uow, compound)
            assert community.id is not None
            if community.id != ticket.queue_org_id:
                holders = await queue_holder_ids(uow, community.id)
    added = 0
    for account_id in holders:
        added += await to_account(uow, account_id, kind, ticket=ticket, key=key, payload=payload)
    org = await uow.org.get(ticket.queue_org_id)
    if org is not None and org.staff_chat_id:
        added += await to_group_topic(uow, org.staff_chat_id, kind, ticket=ticket, key=key, payload=payload)
    return added


async def to_handlers(
    uow: UnitOfWork,
    ticket: Ticket,
    kind: str,
    *,
    key: str,
    payload: dict[str, Any] | None = None,
    exclude: int | None = None,
) -> int:
    """The assignee if there is one, else the whole queue."""
    if ticket.assignee_id is not None and ticket.assignee_id != exclude:
        n = await to_account(uow, ticket.assignee_id, kind, ticket=ticket, key=key, payload=payload)
        org = await uow.org.get(ticket.queue_org_id)
        if org is not None and org.staff_chat_id:
            n += await to_group_topic(uow, org.staff_chat_id, kind, ticket=ticket, key=key, payload=payload)
        return n
    return await to_queue(uow, ticket, kind, key=key, payload=payload, exclude=exclude)


async def to_aggregate_reader(
    uow: UnitOfWork,
    account_id: int,
    kind: str,
    *,
    aggregate: str,
    aggregate_id: int,
    event_id: int,
    ticket_id: int | None,
    payload: dict[str, Any],
) -> int:
    """Tell one person of a governance aggregate's event (services/aggregate.follow): the
    payload names the aggregate and the event, so the renderer shows it as it is when sent."""
    now = uow.clock.now()
    full = {"aggregate": aggregate, "id": aggregate_id, "event": event_id, **payload}
    added = 0
    for ident in await uow.accounts.identities(account_id):
        dedup = f"{kind}:{aggregate}{aggregate_id}:{account_id}:{ident.channel}:{event_id}"
        added += await uow.outbox.enqueue(
            _row(kind, ticket_id, dedup, account_id, ident.channel, ident.chat_id, False, now, full, now)
        )
    return added


def _row(
    kind: str,
    ticket: Ticket | int | None,
    dedup: str,
    account_id: int | None,
    channel: str,
    chat_id: str,
    in_topic: bool,
    due: datetime,
    payload: dict[str, Any] | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "dedup_key": dedup[:200],
        "kind": kind,
        "ticket_id": ticket.id if isinstance(ticket, Ticket) else ticket,
        "account_id": account_id,
        "channel": channel,
        "chat_id": chat_id,
        "in_topic": in_topic,
        "due_at": due,
        "payload": payload or {},
        "state": NotificationState.pending.value,
        "attempts": 0,
        "next_attempt_at": due,
        "created_at": now,
    }
