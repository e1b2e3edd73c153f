"""/start (invites, compound links), /help, /lang, /cancel, naming a unit."""

from __future__ import annotations

from handlers.buttons import LangButton, SkipButton
from handlers.context import Ctx
from handlers.menus import HELP_KINDS, greeting, kinds_of, offer_menu
from handlers.router import Router
from handlers.types import Button, Reply, msg
from locales import LOCALES
from services import accounts
from services.errors import DomainError

router = Router()
STEP_UNIT = "join.unit"


@router.command("start")
async def start(ctx: Ctx) -> None:
    cmd = ctx.inc.command
    payload = cmd[1] if cmd else ""
    if not ctx.inc.is_private:  # joining, invites and roles only in a private chat (issue 10)
        raise DomainError("private_only")
    await ctx.clear_state()
    if payload.startswith("inv_"):
        role, org = await accounts.redeem_invite(ctx.uow, ctx.account, payload[4:])
        ctx.reply(Reply(msg("joined-role", role=msg(f"role-{role.value}"), org=org.name)))
        ctx.reply(Reply(msg(f"help-{_help_kind(role.value)}")))
        await offer_menu(ctx)
        return
    if payload.startswith("c_"):
        compound = await accounts.join_compound(ctx.uow, ctx.account, payload[2:])
        await ctx.set_state(STEP_UNIT, {"compound": compound.id})
        ctx.reply(
            Reply(
                msg("joined-compound", compound=compound.name),
                buttons=[[Button(msg("btn-skip"), SkipButton(STEP_UNIT))]],
            )
        )
        return
    if payload:
        raise DomainError("bad_start_link")
    kinds = await kinds_of(ctx)
    ctx.reply(Reply(greeting(kinds, ctx.account.display_name)))
    await _help(ctx, kinds)


def _help_kind(role: str) -> str:
    return HELP_KINDS.get(role, ("resident",))[0]


@router.command("help")
async def help_(ctx: Ctx) -> None:
    await _help(ctx, await kinds_of(ctx))


async def _help(ctx: Ctx, kinds: list[str]) -> None:
    """The help texts of the person's roles (a street officer gets no resident pitch), and the
    chat's command menu set to match."""
    for k in kinds:
        ctx.reply(Reply(msg(f"help-{k}")))
    await offer_menu(ctx, kinds)


@router.step(STEP_UNIT)
async def name_unit(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        ctx.reply(Reply(msg("help-resident")))
        await offer_menu(ctx)
        return
    text = (ctx.inc.text or "").strip()
    if not text or len(text) > 32:
        ctx.reply(Reply(msg("unit-ask-again"), buttons=[[Button(msg("btn-skip"), SkipButton(STEP_UNIT))]]))
        return
    code = await accounts.set_unit(ctx.uow, ctx.account, int(ctx.data["compound"]), text)
    await ctx.clear_state()
    ctx.reply(Reply(msg("unit-saved", unit=code)))
    ctx.reply(Reply(msg("help-resident")))
    await offer_menu(ctx)


@router.command("lang")
async def lang(ctx: Ctx) -> None:
    ctx.reply(
        Reply(
            msg("lang-choose"),
            buttons=[[Button(msg(f"lang-name-{code}"), LangButton(code)) for code in LOCALES]],
        )
    )


@router.callback(LangButton)
async def set_lang(ctx: Ctx) -> None:
    code = LangButton.unpack(ctx.inc.callback_data).code
    if code not in LOCALES:
        raise DomainError("unknown_button")
    await accounts.set_locale(ctx.uow, ctx.account, code)
    ctx.locale = code
    ctx.reply(Reply(msg("lang-set"), edit=True))


@router.command("cancel")
async def cancel(ctx: Ctx) -> None:
    had = ctx.step is not None
    await ctx.clear_state()
    ctx.reply(Reply(msg("cancelled" if had else "nothing-to-cancel")))
