"""Turn one Incoming into one transaction and an Outcome.

Redelivered updates (same update_id) are dropped, unless the replies committed with the
update were never sent (the process died in between): those are returned again
(handlers/held_reply.py). A DomainError rolls the whole transaction back, so bad input
changes nothing stored, and is answered with its message. When the database cannot be
reached, Unavailable is raised carrying a "try again shortly" answer: the update must stay
unconfirmed so that Telegram delivers it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from handlers import held_reply, relay
from handlers.buttons import CALLBACK_MAX_BYTES, SEP, SkipButton
from handlers.context import Ctx
from handlers.keyed_locks import KeyedLocks
from handlers.router import IDLE, Router
from handlers.types import Incoming, Outcome, Reply, msg
from locales import Msg, bundle, choose_locale
from services import refusals
from services.accounts import Identity, ensure_account
from services.errors import DomainError, InvalidState, NotAllowed, NotFound
from services.text import clean, visible
from storage.config import DomainConfig
from storage.faults import database_unavailable
from storage.models import Account
from storage.repos.messaging import StateWrite
from storage.uow import UowFactory

# a refusal that means the step's subject is gone (handled by a colleague, no longer
# allowed, deleted): the conversation step is cleared with the refusal, so the person is
# not stuck answering a prompt that can never succeed
STEP_ENDING = (InvalidState, NotAllowed, NotFound)
# a button pressed after its work was done (a double tap) or after the conversation moved on:
# a quiet toast, not an alert, and the button leaves the message
SPENT = ("stale_button",)

log = logging.getLogger(__name__)


def _where(inc: Incoming) -> dict[str, str]:
    """What a refusal's audit row says about the update: no text a person wrote."""
    where = {"chat": inc.chat_type, "channel": inc.channel}
    if inc.callback_data is not None:
        where["button"] = inc.callback_data[:64]
    elif inc.command is not None:
        where["command"] = inc.command[0][:32]
    return where


class Unavailable(Exception):
    """The database could not be reached: nothing was stored, the update is not handled."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("database unavailable")
        self.outcome = outcome


class Dispatcher:
    def __init__(self, router: Router, uow_factory: UowFactory, config: DomainConfig) -> None:
        self.router = router
        self.uow_factory = uow_factory
        self.config = config
        self.on_error: Callable[[], None] | None = None  # told of every handler failure (metrics)
        # one update at a time per chat, so a burst of photos extends one draft
        self.locks = KeyedLocks()

    async def handle(self, inc: Incoming) -> Outcome | None:
        """None when the update was already handled (a redelivery)."""
        # no control or bidi-override characters reach a handler (text, or the person's name
        # shown on cards)
        name = clean(inc.user_name).strip()
        inc = replace(inc, user_name=name if visible(name) else inc.user_id)
        if inc.text is not None:
            cleaned = clean(inc.text)
            inc = replace(inc, text=cleaned if visible(cleaned) else "")
        key = f"{inc.channel}:{inc.chat_id}:{inc.user_id}"
        async with self.locks.hold(key):
            try:
                return await self._handle(inc)
            except Exception as err:
                if not database_unavailable(err):
                    raise
                log.warning("update %s: database unavailable (%s)", inc.update_id, type(err).__name__)
                raise Unavailable(self._say(inc, msg("error-try-again"))) from err

    async def sent(self, updates: list[tuple[str, int]]) -> None:
        """The replies to these (channel, update id) went out: a redelivery is dropped from now on."""
        if not updates:
            return
        async with self.uow_factory() as uow:
            await uow.conversations.forget_replies(updates, alone=True)
            await uow.commit()

    def _say(self, inc: Incoming, text: Msg) -> Outcome:
        out = Outcome(locale=choose_locale(None, inc.language, self.config.locale))
        if inc.callback_data is not None:
            out.answer, out.alert = text, True
        else:
            out.replies.append(Reply(text))
        return out

    async def _handle(self, inc: Incoming) -> Outcome | None:
        try:
            async with self.uow_factory() as uow:
                now = uow.clock.now()
                conv = uow.conversations
                # the account, its conversation step and whether the update was handled before:
                # one statement
                view = await conv.update_view(
                    inc.channel, inc.update_id, inc.user_id, f"{inc.channel}:{inc.chat_id}"
                )
                if view.handled:
                    return held_reply.decode(view.reply) if view.reply is not None else None
                # someone never seen: no row told whether the update was handled, so it is
                # recorded now; for everyone else it is recorded with its replies at the end
                recorded = view.handled is None
                if recorded and not await conv.mark_processed(inc.channel, inc.update_id, now):
                    held = await conv.held_reply(inc.channel, inc.update_id)
                    return held_reply.decode(held) if held is not None else None
                known = view.account
                if inc.is_private:
                    account = await ensure_account(
                        uow,
                        Identity(inc.channel, inc.user_id, inc.user_id, inc.user_name, inc.language),
                        known,
                    )
                else:  # accounts, residencies and grants are made in private chats only
                    if known is None:
                        await uow.commit()  # the update is handled: nothing else is stored
                        return self._stranger_in_group(inc)
                    account = known
                ctx = Ctx(
                    inc=inc,
                    uow=uow,
                    account=account,
                    config=self.config,
                    locale=self.locale_of(account, inc.language),
                    step=view.step,
                    data=view.data,
                )
                await self._route(ctx)
                ctx.out.locale = ctx.locale
                # a ticket created here has no card sent before this update: none to refresh
                ctx.out.changed_tickets = uow.touched_tickets - uow.created_tickets
                ctx.out.account_id = account.id
                reply = held_reply.encode(ctx.out)
                state = None
                if ctx.stored is not None:
                    state = StateWrite(ctx.account_id, ctx.chat_key, ctx.stored[0], ctx.stored[1])
                if recorded:
                    await conv.write_state(state, now)
                    await conv.hold_reply(inc.channel, inc.update_id, reply)
                elif not await conv.record_processed(
                    inc.channel, inc.update_id, now, reply, state=state, last=True
                ):
                    # handled meanwhile by another process (the unique key waited for its
                    # commit): its effects and replies stand, this attempt's are rolled back
                    held = await conv.held_reply(inc.channel, inc.update_id)
                    return held_reply.decode(held) if held is not None else None
                await uow.commit()
                return ctx.out
        except DomainError as err:
            return await self._refuse(inc, err)
        except Exception as err:
            if database_unavailable(err):
                raise
            # a bug: nothing was stored (rolled back); say so instead of staying silent
            log.exception("update %s failed", inc.update_id)
            if self.on_error is not None:
                self.on_error()
            return self._say(inc, msg("error-generic"))

    def _stranger_in_group(self, inc: Incoming) -> Outcome:
        """Someone the bot does not know, in a group: a command or a button is told to come to
        a private chat; plain text gets no answer (a group's chatter is not for the bot)."""
        out = Outcome(locale=choose_locale(None, inc.language, self.config.locale))
        if inc.callback_data is not None:
            out.answer, out.alert = msg("error-private-only"), True
        elif inc.command is not None:
            out.replies.append(Reply(msg("error-private-only")))
        return out

    async def _refuse(self, inc: Incoming, err: DomainError) -> Outcome | None:
        """Nothing of the failed attempt is kept; the update is marked handled, and a step
        whose subject is gone is cleared. A spent button (stale, or its action already done)
        gets a quiet answer and is taken off its message (a staff card is refreshed instead)."""
        spent = inc.callback_data is not None and (isinstance(err, InvalidState) or err.code in SPENT)
        drop, card_ticket = False, None
        async with self.uow_factory() as uow:
            if not await uow.conversations.mark_processed(inc.channel, inc.update_id, uow.clock.now()):
                # handled meanwhile by another process: its replies, unless they were sent
                held = await uow.conversations.held_reply(inc.channel, inc.update_id)
                return held_reply.decode(held) if held is not None else None
            account = await uow.accounts.by_identity(inc.channel, inc.user_id)
            if (
                account is not None
                and account.id is not None
                and isinstance(err, STEP_ENDING)
                and inc.callback_data is None
            ):
                await uow.conversations.clear(account.id, f"{inc.channel}:{inc.chat_id}")
            button = inc.callback_data is not None
            if account is None and inc.is_private and refusals.audited(err, button=button):
                # the refused first contact is kept, so its refusals count (invite brute force)
                account = await ensure_account(
                    uow, Identity(inc.channel, inc.user_id, inc.user_id, inc.user_name, inc.language)
                )
            await refusals.record(uow, account.id if account else None, err, _where(inc), button=button)
            if spent and inc.message_id is not None:
                link = await uow.outbox.link(inc.channel, inc.chat_id, inc.message_id)
                if link is not None and link.card:
                    card_ticket = link.ticket_id
                else:
                    drop = True
            locale = self.locale_of(account, inc.language)
            key = f"error-{err.code.replace('_', '-')}"
            params = dict(err.params)
            if isinstance(params.get("state"), str):
                params["state"] = msg(f"state-{params['state']}")
            text = msg(key, **params) if bundle(locale).has_message(key) else msg("error-generic")
            out = Outcome(locale=locale, drop_buttons=drop, account_id=account.id if account else None)
            if card_ticket is not None:
                out.changed_tickets.add(card_ticket)
            if inc.callback_data is not None:
                out.answer, out.alert = text, not spent
            else:
                out.replies.append(Reply(text))
            await uow.conversations.hold_reply(inc.channel, inc.update_id, held_reply.encode(out))
            await uow.commit()
        return out

    def locale_of(self, account: Account | None, language: str | None) -> str:
        """locales.choose_locale; before the first contact is stored, the client's language."""
        if account is None:
            return choose_locale(None, language, self.config.locale)
        return choose_locale(account.locale, account.client_language or language, self.config.locale)

    async def _skip(self, ctx: Ctx, step: str) -> None:
        """The "skip" button of a step; stale once the conversation moved on."""
        fn = self.router.steps.get(step)
        if fn is None or step != ctx.step:
            ctx.answer(msg("error-stale-button"), alert=True)
            return
        ctx.skipped = True
        ctx.reply(Reply(msg("skipped"), edit=True))
        await fn(ctx)

    async def _route(self, ctx: Ctx) -> None:
        inc, r = ctx.inc, self.router
        if inc.callback_data is not None:
            if len(inc.callback_data.encode()) > CALLBACK_MAX_BYTES:  # never from a real client
                raise DomainError("unknown_button")  # refused and audited (services/refusals.py)
            prefix = inc.callback_data.partition(SEP)[0]
            if prefix == SkipButton.prefix:
                await self._skip(ctx, SkipButton.unpack(inc.callback_data).step)
                return
            fn = r.callbacks.get(prefix)
            if fn is None:
                raise DomainError("unknown_button")
            await fn(ctx)
            return
        if inc.unsupported is not None:  # a sticker, voice, document…: say so, change nothing
            if inc.is_private:
                ctx.reply(Reply(msg("error-unsupported-message")))
            return
        cmd = inc.command
        if cmd is not None:
            fn = r.commands.get(cmd[0])
            if fn is None:
                if inc.is_private:
                    ctx.reply(Reply(msg("error-unknown-command", command=cmd[0][:32])))
                return
            await fn(ctx)
            return
        # an explicit reply to a ticket message relays; then the conversation
        # step; then a message in a ticket's forum topic
        if await relay.route_reply(ctx, replies_only=True):
            return
        if ctx.step is not None:
            fn = r.steps.get(ctx.step)
            if fn is not None:
                await fn(ctx)
                return
        if await relay.route_reply(ctx, replies_only=False):
            return
        if inc.is_private:
            idle = r.steps.get(IDLE)
            if idle is not None:
                await idle(ctx)  # e.g. text or a photo outside /report: offer to report it
            else:
                ctx.reply(Reply(msg("help-short")))
