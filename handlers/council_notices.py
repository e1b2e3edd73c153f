"""Renderers of the council's and its decisions' notifications (services/council_spec.POLICY,
services/decision_spec.POLICY say who gets which)."""

from __future__ import annotations

from typing import Any

from handlers.buttons import CcOp, CouncilButton
from handlers.council_view import head, item_line, responsible_name
from handlers.digest import join
from handlers.rendering import Renderers
from handlers.types import Button, Reply, msg
from locales import Msg
from storage.models import Council, CouncilDecision, ItemState, Notification, Ticket
from storage.uow import UnitOfWork

renderers = Renderers()


async def _council(uow: UnitOfWork, n: Notification) -> tuple[Council, str, dict[str, Any]] | None:
    p: dict[str, Any] = dict(n.payload or {})
    c = await uow.councils.get(int(p.get("id", 0)))
    if c is None:
        return None
    org = await uow.org.get(c.org_id)
    return c, org.name if org else "?", p


def _view_button(c: Council) -> list[list[Button]]:
    return [[Button(msg("btn-council-view"), CouncilButton(CcOp.view, c.id or 0))]]


@renderers.on(
    "council_scheduled", "council_agenda", "council_minutes", "council_cancelled", "council_proposed"
)
async def _council_notice(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _council(uow, n)
    if found is None:
        return []
    c, org, p = found
    lines: list[Msg] = [
        msg(f"council-notice-{n.kind.removeprefix('council_')}", days=c.agenda_days),
        head(c, org, tz),
    ]
    if n.kind == "council_agenda":
        items = [i for i in await uow.councils.items(c.id or 0) if i.state == ItemState.accepted]
        lines += [item_line(i) for i in items] or [msg("council-no-items")]
    elif n.kind == "council_minutes":
        lines.append(msg("council-minutes-text", text=c.minutes or "-"))
    elif n.kind == "council_proposed":
        lines.append(msg("council-proposal", text=str(p.get("text", ""))[:300]))
    buttons = [] if n.kind == "council_cancelled" else _view_button(c)
    if n.kind == "council_scheduled":
        buttons.insert(0, [Button(msg("btn-council-propose"), CouncilButton(CcOp.prop, c.id or 0))])
    return [Reply(join(lines), buttons=buttons)]


@renderers.on("council_item_decided")
async def _item_decided(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _council(uow, n)
    if found is None:
        return []
    c, org, p = found
    text = msg(
        f"council-item-{p.get('to', 'accepted')}-notice", text=str(p.get("text", ""))[:200], title=c.title
    )
    return [Reply(text, buttons=_view_button(c))]


async def _decision(uow: UnitOfWork, n: Notification) -> CouncilDecision | None:
    return await uow.councils.decision(int(dict(n.payload or {}).get("id", 0)))


@renderers.on("decision_assigned", "decision_reminder", "decision_overdue", "decision_done")
async def _decision_notice(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    d = await _decision(uow, n)
    if d is None or (n.kind != "decision_done" and d.state == "done"):
        return []
    c = await uow.councils.get(d.council_id)
    link = ""
    if d.link_kind == "ticket" and d.link_id is not None:
        t = await uow.tickets.get(d.link_id)
        link = t.number if t else ""
    elif d.link_kind is not None:
        link = f"{d.link_kind} {d.link_id}"
    text = msg(
        n.kind.replace("_", "-"),
        text=d.text,
        council=c.title if c else "?",
        who=await responsible_name(uow, d),
        deadline=d.deadline.isoformat(),
        link=link or "-",
        percent=str(dict(n.payload or {}).get("percent", 0)),
    )
    buttons = (
        []
        if n.kind == "decision_done"
        else [[Button(msg("btn-decision-done"), CouncilButton(CcOp.done, d.id or 0))]]
    )
    return [Reply(text, buttons=buttons)]
