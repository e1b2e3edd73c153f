"""The text steps and the one button kind of the owners' forms (handlers/owners_form.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers import owners_form as of
from handlers.context import Ctx
from handlers.owners_form import Form, FormButton, FormOp
from handlers.router import Router
from handlers.types import Button, Reply, msg
from services.errors import DomainError


def text_step(form: Form) -> Callable[[Ctx], Awaitable[None]]:
    async def step(ctx: Ctx) -> None:
        with form.refusals():
            text = ctx.inc.text or ""
            if ctx.data.get("fresh") and len(of.SPLIT.findall(text)) >= 2:
                await of.one_line(ctx, form, text)
                return
            name = (ctx.step or "").rpartition(".")[2]
            f = next((f for f in form.fields if f.name == name), None)
            if f is None:  # the review screen
                raise DomainError("use_buttons")
            if f.kind == "photos" and ctx.inc.photos:
                photos = [*ctx.data.get(f.name + "_kept", []), *ctx.inc.photos][: of.MAX_PHOTOS]
                await ctx.set_state(ctx.step or "", {**ctx.data, f.name + "_kept": photos})
                ctx.reply(
                    Reply(
                        msg("form-photos-kept", count=len(photos)),
                        buttons=[[Button(msg("btn-form-done"), FormButton(form.name, FormOp.done, f.name))]],
                    )
                )
                return
            await of.answer(ctx, form, f, await of.value(ctx, form, f, text))

    return step


def button(forms: dict[str, Form]) -> Callable[[Ctx], Awaitable[None]]:
    async def pressed(ctx: Ctx) -> None:
        b = FormButton.unpack(ctx.inc.callback_data)
        form = forms.get(b.form)
        if form is None:
            raise DomainError("unknown_button")
        with form.refusals():
            if not (ctx.step or "").startswith(form.step("")):
                raise DomainError("stale_button")
            if b.op == FormOp.cancel:
                await ctx.clear_state()
                ctx.reply(Reply(msg("cancelled"), edit=True))
                return
            if b.op == FormOp.submit:
                if ctx.step != form.step("review"):
                    raise DomainError("stale_button")
                await form.submit(ctx, ctx.data)
                await ctx.clear_state()
                return
            f = next((f for f in form.fields if f.name == b.field), None)
            if f is None or ctx.step != form.step(f.name):
                raise DomainError("stale_button")
            if b.op == FormOp.skip and f.optional:
                await of.answer(ctx, form, f, None, edit=True)
            elif b.op == FormOp.done and f.kind == "photos":
                kept = list(ctx.data.get(f.name + "_kept", []))
                data = {k: v for k, v in ctx.data.items() if k != f.name + "_kept"}
                ctx.data = data
                await of.answer(ctx, form, f, kept, edit=True)
            elif b.op == FormOp.pick and f.kind == "compound" and b.arg.isdigit():
                if int(b.arg) not in await of.openable(ctx, form):
                    raise DomainError("unknown_button")
                await of.answer(ctx, form, f, int(b.arg), edit=True)
            elif b.op == FormOp.pick and b.arg in f.choices:
                await of.answer(ctx, form, f, b.arg, edit=True)
            else:
                raise DomainError("unknown_button")

    return pressed


def register(router: Router, forms: dict[str, Form]) -> None:
    """The text steps of every form and their one button kind."""
    for form in forms.values():
        fn = text_step(form)
        for f in form.fields:
            router.step(form.step(f.name))(fn)
        router.step(form.step("review"))(fn)
    router.callback(FormButton)(button(forms))
