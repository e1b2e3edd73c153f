"""/report: category → description → photos → location → review → submit.

The draft lives in the conversation state (database), so a restart in the
middle continues where the resident was.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from handlers.buttons import ButtonData
from handlers.cards import local_time
from handlers.context import Ctx
from handlers.router import Router
from handlers.types import Button, Reply, msg
from locales import Msg
from services import accounts
from services.categories import CATEGORIES, is_category
from services.errors import DomainError
from services.tickets import NewTicket, create_ticket
from storage.models import Queue, Ticket

router = Router()


class ReportOp(StrEnum):
    compound = "cp"
    category = "c"
    photos_done = "done"
    no_location = "noloc"
    submit = "submit"
    edit = "edit"
    anonymous = "anon"
    cancel = "cancel"


@dataclass(frozen=True)
class ReportButton(ButtonData, prefix="rp"):
    op: ReportOp
    arg: str = ""


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
    ctx.reply(
        Reply(
            msg("report-choose-compound"),
            buttons=[
                [Button(msg("plain", text=c.name), ReportButton(ReportOp.compound, str(c.id)))]
                for c in compounds
            ],
        )
    )


async def _ask_category(ctx: Ctx, data: dict[str, object], *, edit: bool = False) -> None:
    await ctx.set_state(STEP_CATEGORY, data)
    rows, row = [], []
    for c in CATEGORIES:
        row.append(Button(msg(f"category-{c.key}"), ReportButton(ReportOp.category, c.key)))
        if len(row) == 3:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    rows.append([Button(msg("btn-cancel"), ReportButton(ReportOp.cancel))])
    ctx.reply(Reply(msg("report-choose-category"), buttons=rows, edit=edit))


# the step each button belongs to: pressed at any other step, it is stale
BUTTON_STEP = {
    ReportOp.compound: STEP_COMPOUND,
    ReportOp.category: STEP_CATEGORY,
    ReportOp.photos_done: STEP_PHOTOS,
    ReportOp.no_location: STEP_LOCATION,
    ReportOp.submit: STEP_REVIEW,
    ReportOp.edit: STEP_REVIEW,
    ReportOp.anonymous: STEP_REVIEW,
}


@router.callback(ReportButton)
async def report_button(ctx: Ctx) -> None:
    b = ReportButton.unpack(ctx.inc.callback_data)
    action, arg = b.op, b.arg
    if action == ReportOp.cancel:
        if not (ctx.step and ctx.step.startswith("report.")):
            raise DomainError("stale_button")
        await ctx.clear_state()
        ctx.reply(Reply(msg("report-cancelled"), edit=True))
        return
    if ctx.step != BUTTON_STEP[action]:
        raise DomainError("stale_button")
    if action == ReportOp.compound:
        ids = {c.id for c in await accounts.compounds_of(ctx.uow, ctx.account)}
        if not arg.isdigit() or int(arg) not in ids:
            raise DomainError("unknown_button")
        await _ask_category(ctx, {**ctx.data, "compound": int(arg)}, edit=True)
    elif action == ReportOp.category:
        if not is_category(arg):
            raise DomainError("unknown_button")
        data = {**ctx.data, "category": arg}
        ctx.reply(Reply(msg("report-category-chosen", category=msg(f"category-{arg}")), edit=True))
        if data.pop("editing", False):
            ctx.data = data
            await _review(ctx)
        elif "description" in data:  # started from a message sent outside /report
            await ctx.set_state(STEP_PHOTOS, data)
            photos = len(data.get("photos", []))
            ctx.reply(
                Reply(
                    msg(
                        "report-prefilled",
                        description=str(data["description"]),
                        n=photos,
                        max=ctx.config.max_photos,
                    ),
                    buttons=[[Button(msg("btn-photos-done"), ReportButton(ReportOp.photos_done))]],
                )
            )
        else:
            await ctx.set_state(STEP_DESCRIBE, data)
            ctx.reply(Reply(msg("report-describe", max=ctx.config.max_description)))
    elif action == ReportOp.photos_done:  # the pressed prompt becomes the next one: no stale buttons left
        if ctx.data.get("editing"):
            ctx.data = {k: v for k, v in ctx.data.items() if k != "editing"}
            await _review(ctx, edit=True)
        else:
            await _ask_location(ctx, edit=True)
    elif action == ReportOp.no_location:
        await _review(ctx, edit=True)
    elif action == ReportOp.anonymous:
        await ctx.set_state(STEP_REVIEW, {**ctx.data, "anonymous": not ctx.data.get("anonymous", False)})
        await _review(ctx, edit=True)
    elif action == ReportOp.edit:  # one field at a time; the rest is kept
        await _edit(ctx, arg)
    else:
        await _submit(ctx)


EDIT_FIELDS = ("description", "photos", "location", "category")


async def _edit(ctx: Ctx, field: str) -> None:
    """✏️ at review: the menu of fields, or one field asked again (then back to review)."""
    if not field:
        rows = [[Button(msg(f"btn-edit-{f}"), ReportButton(ReportOp.edit, f))] for f in EDIT_FIELDS]
        rows.append([Button(msg("btn-back"), ReportButton(ReportOp.edit, "back"))])
        ctx.reply(Reply(msg("report-edit-which"), buttons=rows, edit=True))
        return
    if field == "back":
        await _review(ctx, edit=True)
        return
    if field not in EDIT_FIELDS:
        raise DomainError("unknown_button")
    data = {**ctx.data, "editing": True}
    if field == "category":
        await _ask_category(ctx, data, edit=True)
    elif field == "description":
        await ctx.set_state(STEP_DESCRIBE, data)
        ctx.reply(Reply(msg("report-edit-description", current=str(data.get("description", ""))), edit=True))
    elif field == "photos":
        await ctx.set_state(STEP_PHOTOS, {**data, "photos": []})
        ctx.reply(
            Reply(
                msg("report-photos", max=ctx.config.max_photos),
                buttons=[[Button(msg("btn-photos-done"), ReportButton(ReportOp.photos_done))]],
                edit=True,
            )
        )
    else:
        ctx.data = {k: v for k, v in data.items() if k not in ("lat", "lon", "editing")}
        await _ask_location(ctx, edit=True)


@router.step(STEP_COMPOUND)
@router.step(STEP_CATEGORY)
@router.step(STEP_REVIEW)
async def expects_button(ctx: Ctx) -> None:
    ctx.reply(Reply(msg("error-use-buttons")))


@router.step(STEP_DESCRIBE)
async def describe(ctx: Ctx) -> None:
    text = (ctx.inc.text or "").strip()
    if not text and ctx.inc.photos:  # a photo without a caption: kept while we ask for the text
        have = list(ctx.data.get("photos", [])) + list(ctx.inc.photos)
        await ctx.set_state(STEP_DESCRIBE, {**ctx.data, "photos": have[: ctx.config.max_photos]})
        ctx.reply(Reply(msg("report-photo-kept", n=min(len(have), ctx.config.max_photos))))
        return
    if not text:
        raise DomainError("description_empty")
    if len(text) > ctx.config.max_description:
        raise DomainError("description_too_long", max=ctx.config.max_description, length=len(text))
    photos = list(ctx.data.get("photos", [])) + list(ctx.inc.photos)
    data = {**ctx.data, "description": text, "photos": photos[: ctx.config.max_photos]}
    if data.pop("editing", False):
        ctx.data = data
        await _review(ctx)
        return
    await ctx.set_state(STEP_PHOTOS, data)
    ctx.reply(
        Reply(
            msg("report-photos", max=ctx.config.max_photos),
            buttons=[[Button(msg("btn-photos-done"), ReportButton(ReportOp.photos_done))]],
        )
    )


@router.step(STEP_PHOTOS)
async def photos(ctx: Ctx) -> None:
    if not ctx.inc.photos:
        if ctx.inc.location is not None:
            await ctx.set_state(STEP_LOCATION, ctx.data)
            await location(ctx)
            return
        ctx.reply(
            Reply(
                msg("report-photos-expected"),
                buttons=[[Button(msg("btn-photos-done"), ReportButton(ReportOp.photos_done))]],
            )
        )
        return
    have = list(ctx.data.get("photos", []))
    room = ctx.config.max_photos - len(have)
    if room <= 0:
        raise DomainError("too_many_photos", max=ctx.config.max_photos)
    have += list(ctx.inc.photos)[:room]
    await ctx.set_state(STEP_PHOTOS, {**ctx.data, "photos": have})
    ctx.reply(
        Reply(
            msg("report-photo-received", n=len(have), max=ctx.config.max_photos),
            buttons=[[Button(msg("btn-photos-done"), ReportButton(ReportOp.photos_done))]],
        )
    )


async def _ask_location(ctx: Ctx, *, edit: bool = False) -> None:
    await ctx.set_state(STEP_LOCATION, ctx.data)
    ctx.reply(
        Reply(
            msg("report-location"),
            buttons=[[Button(msg("btn-no-location"), ReportButton(ReportOp.no_location))]],
            edit=edit,
        )
    )


@router.step(STEP_LOCATION)
async def location(ctx: Ctx) -> None:
    if ctx.inc.location is None:
        ctx.reply(
            Reply(
                msg("report-location-expected"),
                buttons=[[Button(msg("btn-no-location"), ReportButton(ReportOp.no_location))]],
            )
        )
        return
    lat, lon = ctx.inc.location
    await ctx.set_state(STEP_LOCATION, {**ctx.data, "lat": lat, "lon": lon})
    await _review(ctx)


async def _review(ctx: Ctx, *, edit: bool = False) -> None:
    d = ctx.data
    await ctx.set_state(STEP_REVIEW, d)
    compound = await ctx.uow.org.get(int(d["compound"]))
    ctx.reply(
        Reply(
            msg(
                "report-review",
                compound=compound.name if compound else "?",
                category=msg(f"category-{d['category']}"),
                description=d["description"],
                photos=len(d.get("photos", [])),
                location=msg("yes" if "lat" in d else "no"),
                anonymous=msg("yes" if d.get("anonymous") else "no"),
                privacy=msg("report-anonymous-on" if d.get("anonymous") else "report-anonymous-off"),
            ),
            buttons=[
                [Button(msg("btn-submit"), ReportButton(ReportOp.submit))],
                [
                    Button(msg("btn-edit"), ReportButton(ReportOp.edit)),
                    Button(msg("btn-anonymous"), ReportButton(ReportOp.anonymous)),
                    Button(msg("btn-cancel"), ReportButton(ReportOp.cancel)),
                ],
            ],
            photos=[],
            edit=edit,
        )
    )


async def _submit(ctx: Ctx) -> None:
    d = ctx.data
    ticket = await create_ticket(
        ctx.uow,
        ctx.account,
        NewTicket(
            compound_id=int(d["compound"]),
            category=str(d["category"]),
            description=str(d["description"]),
            photos=list(d.get("photos", [])),
            latitude=d.get("lat"),
            longitude=d.get("lon"),
            unit_of_reporter=True,  # read by the ticket's INSERT
            anonymous=bool(d.get("anonymous", False)),
        ),
    )
    await ctx.clear_state()
    ctx.reply(
        Reply(
            msg(
                "report-submitted",
                number=ticket.number,
                due=local_time(ticket.first_response_due, ctx.config.timezone),
                handler=await who_handles(ctx, ticket),
            ),
            edit=True,
            ticket_id=ticket.id,
        )
    )


async def who_handles(ctx: Ctx, ticket: Ticket) -> Msg:
    """Who handles a new ticket, and why when it is the community."""
    queue = await ctx.uow.org.get(ticket.queue_org_id)
    name = queue.name if queue else "?"
    if ticket.queue != Queue.community:
        return msg("report-handler-company", name=name)
    compound = await ctx.uow.org.get(ticket.compound_id)
    if compound is not None and compound.company_id is None:
        return msg("report-handler-no-company", name=name)
    return msg("report-handler-community", name=name, category=msg(f"category-{ticket.category}"))
