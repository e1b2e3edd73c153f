"""Opening an owners' aggregate (a matter, a fund application, a campaign) step by step.

One prompt per field, buttons where the choice is closed, a review screen with submit and
cancel; each answer is kept in the stored conversation state ("of.<form>.<field>"), so a
restart continues from the last step. Bad input gets a clear reply and keeps the step; /cancel
or the cancel button ends it at any step. The one-line form ("CODE; …", fields separated by
";") is still taken as the first answer and opens the aggregate at once. The steps and the
buttons are routed in handlers/owners_form_steps.py.

    button "of:<form>:pick:<field>:<value>"   a closed choice (or the compound)
    button "of:<form>:skip:<field>"           an optional field keeps its default
    button "of:<form>:done:<field>"           the photos step is over
    button "of:<form>:submit" / ":cancel"     the review screen
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from handlers.buttons import ButtonData
from handlers.context import Ctx
from handlers.refusals import worded
from handlers.types import Button, Reply, msg
from locales import Msg
from services import owners_roles
from services.errors import DomainError, NotAllowed
from services.money import parse_yuan
from storage.models import Account
from storage.uow import UnitOfWork

SPLIT = re.compile(r"\s*[;；]\s*")
MAX_COMPOUND_BUTTONS = 8
MAX_CHECKED = 12  # more compounds than this (a district admin): the code is typed and checked
MAX_PHOTOS = 10


class FormOp(StrEnum):
    pick = "pick"
    skip = "skip"
    done = "done"
    submit = "submit"
    cancel = "cancel"


@dataclass(frozen=True)
class FormButton(ButtonData, prefix="of"):
    form: str
    op: FormOp
    field: str = ""
    arg: str = ""


@dataclass(frozen=True)
class Field:
    """kind: compound | choice | text | day | yuan | photos. A choice also takes the typed
    `words` (value by word); an optional field has a skip button (the service's default)."""

    name: str
    kind: str
    choices: tuple[str, ...] = ()
    words: Mapping[str, str] = field(default_factory=dict)
    optional: bool = False
    max_len: int = 200
    when: Callable[[dict[str, Any]], bool] | None = None


Roles = Callable[[UnitOfWork, Account, int], Awaitable[frozenset[str]]]


@dataclass(frozen=True)
class Form:
    """Prompts are "<name>-ask-<field>", choice labels "<name>-<field>-<value>", the review
    "<name>-review"; refusals are worded "<name>_stale" / "<name>_not_allowed"."""

    name: str
    fields: tuple[Field, ...]
    openers: frozenset[str]
    roles_on: Roles
    review: Callable[[Ctx, dict[str, Any]], Awaitable[Msg]]
    submit: Callable[[Ctx, dict[str, Any]], Awaitable[None]]
    check: Callable[[Ctx, dict[str, Any]], Awaitable[None]]  # the answers so far agree
    from_line: Callable[[list[str]], dict[str, str] | None]  # the one-line form: raw answers
    bad_form: str

    def step(self, name: str) -> str:
        return f"of.{self.name}.{name}"

    def refusals(self) -> Any:
        return worded(f"{self.name}_stale", f"{self.name}_not_allowed")


async def openable(ctx: Ctx, form: Form) -> list[int]:
    """The compounds this person may open one on (all theirs when there are too many)."""
    ids = sorted(await owners_roles.compounds_of(ctx.uow, ctx.account))
    if len(ids) > MAX_CHECKED:
        return ids
    return [c for c in ids if form.openers & await form.roles_on(ctx.uow, ctx.account, c)]


async def start(ctx: Ctx, form: Form) -> None:
    with form.refusals():
        ids = await openable(ctx, form)
        if not ids:
            raise NotAllowed()
        data: dict[str, Any] = {"fresh": True}
        if len(ids) == 1:
            data["compound"] = ids[0]
        await _next(ctx, form, data)


async def compound_name(ctx: Ctx, data: dict[str, Any]) -> str:
    return (await owners_roles.compound(ctx.uow, int(data["compound"]))).name


def edited(ctx: Ctx, reply: Reply) -> Reply:
    """Submitted with the button: the review screen becomes the result."""
    reply.edit = ctx.inc.callback_data is not None
    return reply


def _pending(form: Form, data: dict[str, Any]) -> Field | None:
    return next(
        (f for f in form.fields if f.name not in data and (f.when is None or f.when(data))),
        None,
    )


async def _next(ctx: Ctx, form: Form, data: dict[str, Any], *, edit: bool = False) -> None:
    f = _pending(form, data)
    if f is None:
        await ctx.set_state(form.step("review"), data)
        ctx.reply(
            Reply(
                await form.review(ctx, data),
                buttons=[
                    [Button(msg("btn-submit"), FormButton(form.name, FormOp.submit))],
                    [Button(msg("btn-cancel"), FormButton(form.name, FormOp.cancel))],
                ],
                edit=edit,
            )
        )
        return
    await ctx.set_state(form.step(f.name), data)
    rows: list[list[Button]] = []
    if f.kind == "compound":
        ids = await openable(ctx, form)
        if len(ids) <= MAX_COMPOUND_BUTTONS:
            for cid in ids:
                node = await owners_roles.compound(ctx.uow, cid)
                rows.append(
                    [
                        Button(
                            msg("plain", text=node.name), FormButton(form.name, FormOp.pick, f.name, str(cid))
                        )
                    ]
                )
    for value in f.choices:
        rows.append(
            [Button(msg(f"{form.name}-{f.name}-{value}"), FormButton(form.name, FormOp.pick, f.name, value))]
        )
    if f.kind == "photos":
        rows.append([Button(msg("btn-form-done"), FormButton(form.name, FormOp.done, f.name))])
    if f.optional:
        rows.append([Button(msg("btn-form-skip"), FormButton(form.name, FormOp.skip, f.name))])
    rows.append([Button(msg("btn-cancel"), FormButton(form.name, FormOp.cancel))])
    ctx.reply(Reply(msg(f"{form.name}-ask-{f.name}"), buttons=rows, edit=edit))


async def value(ctx: Ctx, form: Form, f: Field, raw: str) -> Any:
    """One typed answer → the value kept in the state; DomainError for bad input."""
    raw = raw.strip()
    if f.kind == "compound":
        node = await owners_roles.compound_by_code(ctx.uow, raw or "?")
        assert node.id is not None
        if not form.openers & await form.roles_on(ctx.uow, ctx.account, node.id):
            raise DomainError("form_not_yours", compound=node.name)
        return node.id
    if f.kind == "choice":
        value = f.words.get(raw.lower(), raw.lower())
        if value not in f.choices:
            raise DomainError("use_buttons")
        return value
    if f.kind == "day":
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise DomainError("form_bad_day", text=raw[:20]) from None
    if f.kind == "yuan":
        return parse_yuan(raw)
    if f.kind == "photos":
        raise DomainError("form_photos_expected")
    if not raw or len(raw) > f.max_len:
        raise DomainError("form_bad_text", max=f.max_len, length=len(raw))
    return raw


async def answer(ctx: Ctx, form: Form, f: Field, value: Any, *, edit: bool = False) -> None:
    data = {k: v for k, v in ctx.data.items() if k != "fresh"}
    data[f.name] = value
    await form.check(ctx, data)  # raises: the step is kept, nothing stored
    await _next(ctx, form, data, edit=edit)


async def one_line(ctx: Ctx, form: Form, text: str) -> None:
    raw = form.from_line(SPLIT.split(text.strip()))
    if raw is None:
        raise DomainError(form.bad_form)
    data: dict[str, Any] = {"quotes": list(ctx.inc.photos)[:MAX_PHOTOS]}
    for f in form.fields:
        if f.name in raw and raw[f.name]:
            data[f.name] = await value(ctx, form, f, raw[f.name])
    await form.check(ctx, data)
    if _pending(form, {**data, **{f.name: None for f in form.fields if f.optional}}) is not None:
        raise DomainError(form.bad_form)
    await form.submit(ctx, data)
    await ctx.clear_state()
