"""议事 in chat, the text steps of handlers/council.py (its docstring has the step table):
the council's details, a proposal, a decision, the minutes."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.context import Ctx
from handlers.council import STEP_DECIDE, STEP_DETAILS, STEP_MINUTES, STEP_PROPOSE, show
from handlers.refusals import worded
from handlers.router import Router
from handlers.types import Reply, msg
from services import council
from services.errors import DomainError
from services.rectification import as_date

router = Router()
_SPLIT = re.compile(r"\s*[;；]\s*")


@router.step(STEP_DETAILS)
async def details_text(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    parts = _SPLIT.split((ctx.inc.text or "").strip())
    if len(parts) not in (3, 4) or not all(parts[:3]):
        raise DomainError("council_bad_fields")
    try:
        meet = datetime.strptime(" ".join(parts[2].split()), "%Y-%m-%d %H:%M").replace(
            tzinfo=ZoneInfo(ctx.config.timezone)
        )
    except ValueError:
        raise DomainError("council_bad_time") from None
    depts = [c.strip() for c in re.split(r"[,，、\s]+", parts[3]) if c.strip()] if len(parts) == 4 else []
    row = await council.schedule(
        ctx.uow,
        ctx.account,
        kind=str(ctx.data["kind"]),
        org_code=str(ctx.data["org"]),
        title=parts[0],
        place=parts[1],
        meet_at=meet,
        department_codes=depts,
    )
    await ctx.clear_state()
    ctx.reply(Reply(msg("council-scheduled-ok", id=row.id or 0, days=row.agenda_days)))
    await show(ctx, row.id or 0)


@router.step(STEP_PROPOSE)
async def propose_text(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    cid = int(ctx.data["council"])
    with worded("council_stale", "council_refused"):
        await council.propose(ctx.uow, ctx.account, cid, (ctx.inc.text or "").strip())
    await ctx.clear_state()
    ctx.reply(Reply(msg("council-proposed-ok")))
    await show(ctx, cid)


_LINK = re.compile(r"^(ticket|rx_item|matter)\s+(\S+)$")


@router.step(STEP_DECIDE)
async def decide_text(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    parts = _SPLIT.split((ctx.inc.text or "").strip())
    if len(parts) not in (3, 4) or not all(parts[:3]):
        raise DomainError("council_bad_decision")
    deadline = as_date(parts[2])
    if deadline is None:
        raise DomainError("council_bad_deadline", deadline=parts[2][:20])
    kind = ref = None
    if len(parts) == 4:
        m = _LINK.match(parts[3])
        if m is None:
            raise DomainError("council_bad_link")
        kind, ref = m.group(1), m.group(2)
    cid = int(ctx.data["council"])
    with worded("council_stale", "council_refused"):
        await council.decide(
            ctx.uow,
            ctx.account,
            cid,
            int(ctx.data["item"]),
            text=parts[0],
            responsible=parts[1],
            deadline=deadline,
            link_kind=kind,
            link_ref=ref,
        )
    await ctx.clear_state()
    ctx.reply(Reply(msg("council-decided-ok")))
    await show(ctx, cid)


@router.step(STEP_MINUTES)
async def minutes_text(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    cid = int(ctx.data["council"])
    with worded("council_stale", "council_refused"):
        await council.post_minutes(ctx.uow, ctx.account, cid, (ctx.inc.text or "").strip())
    await ctx.clear_state()
    ctx.reply(Reply(msg("council-minutes-ok")))
    await show(ctx, cid)
