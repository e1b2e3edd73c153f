"""The statements one simple update costs (issue 14: CPU per update), so a regression fails:
a step of the report dialogue reads the account, its step and whether the update was handled
in one statement, writes the step, records the update with its replies, and (after sending)
forgets the replies. A redelivery is one read; an update handled meanwhile by another
process leaves this attempt's effects rolled back and returns the replies held for it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from handlers import held_reply
from handlers.types import Incoming, Outcome, Reply
from locales import Rendered, render
from services import deadlines
from storage.models import Ticket
from storage.repos.messaging import ConversationRepo
from tests.flows.conftest import join_resident, report
from tests.flows.harness import Harness
from tests.sql_count import round_trips, statements


async def _no_drain() -> int:  # the outbox sender's own work is not the update's
    return 0


async def test_a_dialogue_step_costs_three_statements(h: Harness, engine: AsyncEngine) -> None:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await h.say("li", "/report")
    h.sender.drain_once = _no_drain  # type: ignore[method-assign]
    pg = engine.dialect.name == "postgresql"
    for step in ("press rp:c:leak", "say 楼道灯坏了", "press rp:done"):
        kind, arg = step.split(" ", 1)
        with statements(engine) as seen:
            await (h.press("li", arg) if kind == "press" else h.say("li", arg))
        # account + step + handled?; the update with its replies and the step it leaves (one
        # statement on PostgreSQL, two on SQLite); the replies forgotten once sent
        assert len(seen) <= (3 if pg else 4), (step, seen)
        assert seen[0].startswith("SELECT account.id") and "processed_update" in seen[0], seen
        if pg:
            assert seen[1].startswith("WITH rec AS (INSERT INTO processed_update"), seen
    assert h.last("li").key == "report-location"


async def test_a_dialogue_step_needs_no_transaction(h: Harness, engine: AsyncEngine) -> None:
    """On PostgreSQL a step that stores nothing but its record and step sends two queries:
    the read and the write, each committing by itself (no BEGIN, no COMMIT); the handler's own
    reads do not need one either. A step whose handler stores more keeps one transaction
    around all it writes."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes its write lock with BEGIN IMMEDIATE")
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    h.sender.drain_once = _no_drain  # type: ignore[method-assign]
    with round_trips(engine) as sent:
        await h.say("li", "/report")  # the handler reads the residencies: no transaction for that
    assert any(q.startswith("SELECT residency") for q in sent), sent
    assert not any(q.startswith(("BEGIN", "COMMIT")) for q in sent), sent
    for step in ("press rp:c:leak", "say 楼道灯坏了", "press rp:done"):
        kind, arg = step.split(" ", 1)
        with round_trips(engine) as sent:
            await (h.press("li", arg) if kind == "press" else h.say("li", arg))
        sent = [q for q in sent if not q.startswith("UPDATE processed_update SET reply")]  # forgotten
        assert len(sent) == 2, (step, sent)
        assert sent[0].startswith("SELECT account.id") and sent[1].startswith("WITH rec AS"), sent
    assert h.last("li").key == "report-location"
    with round_trips(engine) as sent:
        await h.press("li", "rp:noloc")
    assert h.last("li").key == "report-review"
    assert not any(q.startswith(("BEGIN", "COMMIT")) for q in sent), sent
    with round_trips(engine) as sent:
        await h.press("li", "rp:submit")
    assert h.last("li").key == "report-submitted"
    begins = [i for i, q in enumerate(sent) if q.startswith("BEGIN")]
    commits = [i for i, q in enumerate(sent) if q == "COMMIT"]
    assert begins and commits, sent
    ticket_insert = next(i for i, q in enumerate(sent) if "INSERT INTO ticket " in q)  # (WITH …)
    record = next(i for i, q in enumerate(sent) if q.startswith("WITH rec AS"))
    # the ticket, its events and the update's record: one transaction
    assert any(b < ticket_insert < record < c for b in begins for c in commits), sent


async def test_the_step_stored_is_the_one_set_last(h: Harness, engine: AsyncEngine) -> None:
    """The step is written once, at the end: as it was when last set, not as the handler's
    data looked afterwards; a cleared step is deleted."""
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    user = h.user("li")
    async with h.core.uow_factory() as uow:
        view = await uow.conversations.update_view("telegram", 0, user, f"telegram:{user}")
    assert view.step is not None and view.data.get("category") == "leak", view
    await h.say("li", "/cancel")
    async with h.core.uow_factory() as uow:
        view = await uow.conversations.update_view("telegram", 0, user, f"telegram:{user}")
    assert view.step is None and view.data == {}


async def test_a_redelivery_is_one_read(h: Harness, engine: AsyncEngine) -> None:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    uid = await h.say("li", "/report")
    shown = len(h.seen("li"))
    h.sender.drain_once = _no_drain  # type: ignore[method-assign]
    with statements(engine) as seen:
        await h.say("li", "/report", update_id=uid)  # replies sent, forgotten: dropped
    assert len(seen) == 1 and seen[0].startswith("SELECT"), seen
    assert len(h.seen("li")) == shown


async def test_an_update_handled_meanwhile_elsewhere_is_not_handled_twice(
    h: Harness, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process (the same update delivered twice) commits first: this attempt's
    effects are rolled back and the replies that process holds are returned."""
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE): no second writer meanwhile")
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    user = h.user("li")
    inc = Incoming(
        channel="telegram",
        update_id=7000,
        user_id=user,
        user_name="li",
        chat_id=user,
        message_id=7000,
        text="/report",
        language="zh-hans",
    )
    theirs = held_reply.encode(Outcome(replies=[Reply(Rendered("handled elsewhere"))], locale="zh_CN"))
    original = ConversationRepo.record_processed

    async def elsewhere_first(self: ConversationRepo, *args: Any, **kwargs: Any) -> bool:
        async with h.core.uow_factory() as other:  # another connection, committed first
            assert await original(other.conversations, "telegram", 7000, other.clock.now(), theirs)
            await other.commit()
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(ConversationRepo, "record_processed", elsewhere_first)
    out = await h.core.dispatcher.handle(inc)
    monkeypatch.undo()
    assert out is not None and render("zh_CN", out.replies[0].text) == "handled elsewhere"
    async with h.core.uow_factory() as uow:
        view = await uow.conversations.update_view("telegram", 7000, user, f"telegram:{user}")
    assert view.handled and view.step is None  # /report's step was rolled back


async def test_sent_replies_name_the_account_the_dispatcher_knew(h: Harness, engine: AsyncEngine) -> None:
    """The message links of a submitted report are written without reading the account again."""
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    await h.say("li", "楼道灯坏了")
    await h.press("li", "rp:done")
    await h.press("li", "rp:noloc")
    h.sender.drain_once = _no_drain  # type: ignore[method-assign]
    with statements(engine) as seen:
        await h.press("li", "rp:submit")
    assert any(s.startswith("INSERT INTO message_link") for s in seen)
    assert not any("JOIN channel_identity" in s and "conversation_state" not in s for s in seen), seen


async def test_forgetting_sent_replies_leaves_the_pool_transactional(h: Harness, engine: AsyncEngine) -> None:
    """The replies are forgotten outside a transaction on PostgreSQL (one round trip, no BEGIN
    and COMMIT); the connection goes back to the pool transactional: a unit of work that does
    not commit still leaves nothing behind."""
    async with h.core.uow_factory() as uow:
        for uid in (8001, 8002):
            await uow.conversations.record_processed("telegram", uid, uow.clock.now(), {"replies": []})
        await uow.commit()
    with statements(engine) as seen:
        await h.core.dispatcher.sent([("telegram", 8001), ("telegram", 8002)])
    assert len(seen) == 1 and seen[0].startswith("UPDATE processed_update SET reply"), seen
    for uid in range(8100, 8105):  # every pooled connection, in turn
        async with h.core.uow_factory() as uow:
            assert await uow.conversations.mark_processed("telegram", uid, uow.clock.now())
            await uow.rollback()
    async with h.core.uow_factory() as uow:
        for uid in (8001, 8002):
            view = await uow.conversations.update_view("telegram", uid, "nobody", "telegram:nobody")
            assert view.handled is None  # nobody known: the row does not say
            assert await uow.conversations.held_reply("telegram", uid) is None
        for uid in range(8100, 8105):
            assert await uow.conversations.mark_processed("telegram", uid, uow.clock.now())


async def test_a_submit_inserts_the_ticket_with_its_deadlines(h: Harness, engine: AsyncEngine) -> None:
    """Issue 14, the report's costliest step: the ticket row is written by one statement that
    takes its number and the reporter's unit too (on PostgreSQL it inserts the first event as
    well), its deadlines planned before the INSERT (no UPDATE follows it), and the event just
    written is not read back. Counted once the process
    knows the year's number sequence and the reference data. The stored deadlines are the ones
    a refresh computes."""
    await join_resident(h, "zhang", "XGY")
    await h.press("zhang", "sk:join.unit")
    for text in ("楼道漏水", "电梯坏了"):  # the first creates the sequence, the second finds it
        await report(h, "zhang", "leak", text)
    await join_resident(h, "li", "XGY", "1-1-101")
    for step in ("say /report", "press rp:c:leak", "say 楼道灯坏了", "press rp:done", "press rp:noloc"):
        kind, arg = step.split(" ", 1)
        await (h.press("li", arg) if kind == "press" else h.say("li", arg))
    h.sender.drain_once = _no_drain  # type: ignore[method-assign]
    with statements(engine) as seen:
        await h.press("li", "rp:submit")
    assert h.last("li").key == "report-submitted"
    assert not any(s.startswith("UPDATE ticket ") for s in seen), seen
    assert not any("FROM ticket_event" in s for s in seen), seen
    # the number (PostgreSQL: from the sequence) and the reporter's unit are taken by the INSERT
    assert not any(s.startswith(("SELECT residency", "SELECT nextval")) for s in seen), seen
    # a ticket created by this update has no card sent before it: no refresh reads its links
    assert not any(s.startswith("SELECT message_link") for s in seen), seen
    assert len(seen) <= (6 if engine.dialect.name == "postgresql" else 10), seen
    async with h.core.uow_factory() as uow:
        q = select(Ticket).order_by(col(Ticket.id).desc()).limit(1)
        ticket = (await uow.session.execute(q)).scalars().one()
        stored = (ticket.first_response_due, ticket.resolution_due, ticket.level_due, ticket.next_check_at)
        assert ticket.unit_id is not None and ticket.sla_checked_at == ticket.created_at
        assert None not in stored[:2] and stored[3] is not None
        await deadlines.refresh(uow, ticket)
        assert (
            ticket.first_response_due,
            ticket.resolution_due,
            ticket.level_due,
            ticket.next_check_at,
        ) == stored
        assert not uow.session.is_modified(ticket)
