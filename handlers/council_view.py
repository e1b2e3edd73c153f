"""Council texts and buttons shared by the flow (handlers/council.py) and the renderers."""

from __future__ import annotations

from handlers.buttons import CcOp, CouncilButton
from handlers.cards import local_time
from handlers.digest import join
from handlers.types import Button, Reply, msg
from locales import Msg
from services import council
from storage.models import Council, CouncilDecision, CouncilItem, CouncilState, ItemState
from storage.uow import UnitOfWork


def head(c: Council, org_name: str, tz: str) -> Msg:
    return msg(
        "council-head",
        id=c.id or 0,
        kind=msg(f"council-kind-{c.kind}"),
        title=c.title,
        org=org_name,
        place=c.place,
        meet=local_time(c.meet_at, tz),
        state=msg(f"council-state-{c.state}"),
    )


def item_line(i: CouncilItem) -> Msg:
    return msg("council-item-line", id=i.id or 0, text=i.text[:120], state=msg(f"council-item-{i.state}"))


async def decision_line(uow: UnitOfWork, d: CouncilDecision) -> Msg:
    who = await responsible_name(uow, d)
    link = "-" if d.link_kind is None else f"{d.link_kind} {d.link_id}"
    if d.link_kind == "ticket" and d.link_id is not None:
        t = await uow.tickets.get(d.link_id)
        link = t.number if t else link
    return msg(
        "council-decision-line",
        text=d.text[:120],
        who=who,
        deadline=d.deadline.isoformat(),
        link=link,
        state=msg(f"council-decision-{d.state}"),
    )


async def responsible_name(uow: UnitOfWork, d: CouncilDecision) -> str:
    if d.responsible_org_id is not None:
        org = await uow.org.get(d.responsible_org_id)
        return org.name if org else "?"
    acc = await uow.accounts.get(d.responsible_account_id or 0)
    return acc.display_name if acc else "?"


def _buttons(v: council.View) -> list[list[Button]]:
    c, cid, rows = v.council, v.council.id or 0, []
    open_ = c.state in (CouncilState.scheduled, CouncilState.agenda_posted)
    if c.state == CouncilState.scheduled and v.roles & {"resident", "organiser"}:
        rows.append([Button(msg("btn-council-propose"), CouncilButton(CcOp.prop, cid))])
    if "organiser" in v.roles and open_:
        for i in v.items:
            if i.state == ItemState.proposed:
                rows.append(
                    [
                        Button(
                            msg("btn-council-accept", id=i.id or 0), CouncilButton(CcOp.acc, cid, i.id or 0)
                        ),
                        Button(
                            msg("btn-council-merge", id=i.id or 0), CouncilButton(CcOp.mrg, cid, i.id or 0)
                        ),
                        Button(
                            msg("btn-council-decline", id=i.id or 0), CouncilButton(CcOp.dec, cid, i.id or 0)
                        ),
                    ]
                )
            elif i.state == ItemState.accepted and c.state == CouncilState.agenda_posted:
                rows.append(
                    [
                        Button(
                            msg("btn-council-decide", id=i.id or 0),
                            CouncilButton(CcOp.decide, cid, i.id or 0),
                        )
                    ]
                )
        if c.state == CouncilState.scheduled:
            rows.append([Button(msg("btn-council-agenda"), CouncilButton(CcOp.agenda, cid))])
        else:
            rows.append([Button(msg("btn-council-minutes"), CouncilButton(CcOp.minutes, cid))])
    return rows


async def view_reply(
    uow: UnitOfWork, viewer_id: int, v: council.View, tz: str, *, edit: bool = False
) -> Reply:
    lines = [head(v.council, v.org_name, tz)]
    lines += [item_line(i) for i in v.items] or [msg("council-no-items")]
    if v.decisions:
        lines.append(msg("council-section-decisions"))
        lines += [await decision_line(uow, d) for d in v.decisions]
    if v.council.minutes:
        lines.append(msg("council-minutes-text", text=v.council.minutes))
    return Reply(join(lines), buttons=_buttons(v), edit=edit)
