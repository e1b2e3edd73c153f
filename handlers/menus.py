"""What a person is offered by role: the greeting, the help texts and the chat's command menu
(set per chat, Telegram's BotCommandScopeChat, so a street officer's menu has /stats and
/digest, not /report)."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.types import msg
from locales import Msg
from services import accounts

# which help texts each role reads (a person with several roles reads each once)
HELP_KINDS = {
    "resident": ("resident",),
    "committee": ("resident", "owners"),
    "staff": ("staff",),
    "manager": ("staff", "governance"),
    "community": ("staff", "governance", "owners"),
    "street": ("governance", "owners"),
    "admin": ("governance", "owners"),
    "department": ("governance",),
}
KIND_ORDER = ("resident", "staff", "governance", "owners")
# the command menu of each kind, in menu order; /help, /lang and /cancel close every menu
MENU = {
    "resident": ("report", "my", "matters", "campaigns", "council"),
    "staff": ("queue",),
    "governance": ("stats", "digest", "plan", "whistle"),
    "owners": (),
}
ALWAYS = ("help", "lang", "cancel")


async def kinds_of(ctx: Ctx) -> list[str]:
    """The person's help kinds, in order: by role grant, plus "resident" for a resident."""
    roles = {r.value for r, _ in await accounts.roles_of(ctx.uow, ctx.account)}
    kinds = {k for r in roles for k in HELP_KINDS.get(r, ())}
    if not roles or await accounts.compounds_of(ctx.uow, ctx.account):
        kinds.add("resident")
    return [k for k in KIND_ORDER if k in kinds]


def greeting(kinds: list[str], name: str) -> Msg:
    """A resident hears what the bot does for residents; a worker hears about their work."""
    return msg("welcome" if "resident" in kinds else "welcome-worker", name=name)


def commands_for(kinds: list[str]) -> list[tuple[str, Msg]]:
    names: list[str] = []
    for k in kinds:
        names += [c for c in MENU[k] if c not in names]
    return [(c, msg(f"cmd-{c}")) for c in (*names, *ALWAYS)]


async def offer_menu(ctx: Ctx, kinds: list[str] | None = None) -> None:
    """Set this chat's command menu for the person's roles (private chats only)."""
    if ctx.inc.is_private:
        ctx.out.commands = commands_for(kinds if kinds is not None else await kinds_of(ctx))
