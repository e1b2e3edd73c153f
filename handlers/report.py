"""/report: category → description → photos → location → review → submit.

The draft lives in the conversation state (database), so a restart in the
middle continues where the resident was.
"""
from __future__ import annotations

from handlers.cards import local_time
from handlers.context import Ctx
from handlers.router import Router
from handlers.types import Button, Reply, msg
from services import accounts
from services.categories import CATEGORIES, is_category
from services.errors import DomainError
from services.tickets import NewTicket, create_ticket

router = Router()
STEP_COMPOUND, STEP_CATEGORY, STEP_DESCRIBE = "report.compound", "report.category", "report.describe"
STEP_PHOTOS, STEP_LOCATION, STEP_REVIEW = "report.photos", "report.location", "report.review"


@router.command("report")
async def report(ctx: Ctx) -> None:
    if not ctx.inc.is_private:
        raise DomainError("private_only")
    compounds = await accounts.compounds_of(ctx.uow, ctx.account)
    if not compounds:
        raise DomainError("not_a_resident")
    if len(compounds) == 1:
        await _ask_category(ctx, {"compound": compounds[0].id})
        return
    await ctx.set_state(STEP_COMPOUND, {})
    ctx.reply(Reply(msg("report-choose-compound"),
                    buttons=[[Button(msg("plain", text=c.name), f"rp:cp:{c.id}")] for c in compounds]))


async def _ask_category(ctx: Ctx, data: dict[str, object], *, edit: bool = False) -> None:
    await ctx.set_state(STEP_CATEGORY, data)
    rows, row = [], []
    for c in CATEGORIES:
        row.append(Button(msg(f"category-{c.key}"), f"rp:c:{c.key}"))
        if len(row) == 3:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    rows.append([Button(msg("btn-cancel"), "rp:cancel")])
    ctx.reply(Reply(msg("report-choose-category"), buttons=rows, edit=edit))


@router.callback("rp")
async def report_button(ctx: Ctx) -> None:
    parts = (ctx.inc.callback_data or "").split(":")
    action, arg = parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""
    if action == "cancel" and ctx.step and ctx.step.startswith("report."):
        await ctx.clear_state()
        ctx.reply(Reply(msg("report-cancelled"), edit=True))
        return
    expected = {"cp": STEP_COMPOUND, "c": STEP_CATEGORY, "done": STEP_PHOTOS, "noloc": STEP_LOCATION,
                "submit": STEP_REVIEW, "edit": STEP_REVIEW, "anon": STEP_REVIEW}.get(action)
    if expected is None:
        raise DomainError("unknown_button")
    if ctx.step != expected:
        raise DomainError("stale_button")
    if action == "cp":
        ids = {c.id for c in await accounts.compounds_of(ctx.uow, ctx.account)}
        if not arg.isdigit() or int(arg) not in ids:
            raise DomainError("unknown_button")
        await _ask_category(ctx, {"compound": int(arg)}, edit=True)
    elif action == "c":
        if not is_category(arg):
            raise DomainError("unknown_button")
        await ctx.set_state(STEP_DESCRIBE, {**ctx.data, "category": arg})
        ctx.reply(Reply(msg("report-category-chosen", category=msg(f"category-{arg}")), edit=True))
        ctx.reply(Reply(msg("report-describe", max=ctx.config.max_description)))
    elif action == "done":  # the pressed prompt becomes the next one: no stale buttons left
        await _ask_location(ctx, edit=True)
    elif action == "noloc":
        await _review(ctx, edit=True)
    elif action == "anon":
        await ctx.set_state(STEP_REVIEW, {**ctx.data, "anonymous": not ctx.data.get("anonymous", False)})
        await _review(ctx, edit=True)
    elif action == "edit":
        await _ask_category(ctx, {**ctx.data, "photos": []}, edit=True)
    else:
        await _submit(ctx)


@router.step(STEP_COMPOUND)
@router.step(STEP_CATEGORY)
@router.step(STEP_REVIEW)
async def expects_button(ctx: Ctx) -> None:
    ctx.reply(Reply(msg("error-use-buttons")))


@router.step(STEP_DESCRIBE)
async def describe(ctx: Ctx) -> None:
    text = (ctx.inc.text or "").strip()
    if not text:
        raise DomainError("description_empty")
    if len(text) > ctx.config.max_description:
        raise DomainError("description_too_long", max=ctx.config.max_description, length=len(text))
    photos = list(ctx.data.get("photos", [])) + list(ctx.inc.photos)
    await ctx.set_state(STEP_PHOTOS, {**ctx.data, "description": text, "photos": photos[: ctx.config.max_photos]})
    ctx.reply(Reply(msg("report-photos", max=ctx.config.max_photos),
                    buttons=[[Button(msg("btn-photos-done"), "rp:done")]]))


@router.step(STEP_PHOTOS)
async def photos(ctx: Ctx) -> None:
    if not ctx.inc.photos:
        if ctx.inc.location is not None:
            await ctx.set_state(STEP_LOCATION, ctx.data)
            await location(ctx)
            return
        ctx.reply(Reply(msg("report-photos-expected"), buttons=[[Button(msg("btn-photos-done"), "rp:done")]]))
        return
    have = list(ctx.data.get("photos", []))
    room = ctx.config.max_photos - len(have)
    if room <= 0:
        raise DomainError("too_many_photos", max=ctx.config.max_photos)
    have += list(ctx.inc.photos)[:room]
    await ctx.set_state(STEP_PHOTOS, {**ctx.data, "photos": have})
    ctx.reply(Reply(msg("report-photo-received", n=len(have), max=ctx.config.max_photos),
                    buttons=[[Button(msg("btn-photos-done"), "rp:done")]]))


async def _ask_location(ctx: Ctx, *, edit: bool = False) -> None:
    await ctx.set_state(STEP_LOCATION, ctx.data)
    ctx.reply(Reply(msg("report-location"), buttons=[[Button(msg("btn-no-location"), "rp:noloc")]],
                    edit=edit))


@router.step(STEP_LOCATION)
async def location(ctx: Ctx) -> None:
    if ctx.inc.location is None:
        ctx.reply(Reply(msg("report-location-expected"), buttons=[[Button(msg("btn-no-location"), "rp:noloc")]]))
        return
    lat, lon = ctx.inc.location
    await ctx.set_state(STEP_LOCATION, {**ctx.data, "lat": lat, "lon": lon})
    await _review(ctx)


async def _review(ctx: Ctx, *, edit: bool = False) -> None:
    d = ctx.data
    await ctx.set_state(STEP_REVIEW, d)
    compound = await ctx.uow.org.get(int(d["compound"]))
    ctx.reply(Reply(
        msg("report-review", compound=compound.name if compound else "?",
            category=msg(f"category-{d['category']}"), description=d["description"],
            photos=len(d.get("photos", [])), location=msg("yes" if "lat" in d else "no"),
            anonymous=msg("yes" if d.get("anonymous") else "no")),
        buttons=[[Button(msg("btn-submit"), "rp:submit")],
                 [Button(msg("btn-edit"), "rp:edit"), Button(msg("btn-anonymous"), "rp:anon"),
                  Button(msg("btn-cancel"), "rp:cancel")]],
        photos=[], edit=edit,
    ))


async def _submit(ctx: Ctx) -> None:
    d = ctx.data
    ticket = await create_ticket(ctx.uow, ctx.account, NewTicket(
        compound_id=int(d["compound"]), category=str(d["category"]), description=str(d["description"]),
        photos=list(d.get("photos", [])), latitude=d.get("lat"), longitude=d.get("lon"),
        unit_id=await _unit_of(ctx, int(d["compound"])), anonymous=bool(d.get("anonymous", False)),
    ))
    await ctx.clear_state()
    ctx.reply(Reply(msg("report-submitted", number=ticket.number,
                        due=local_time(ticket.first_response_due, ctx.config.timezone)),
                    edit=True, ticket_id=ticket.id))


async def _unit_of(ctx: Ctx, compound_id: int) -> int | None:
    res = await ctx.uow.accounts.residency(ctx.account_id, compound_id)
    return res.unit_id if res else None
