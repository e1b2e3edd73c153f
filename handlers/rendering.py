"""Notification renderers: an outbox row (kind + payload) → the replies to send.

Each feature module declares its own ``renderers = Renderers()`` and decorates its functions
with ``@renderers.on("kind")``; ``handlers.build_renderers`` merges them in one visible
place and the composition root hands the result to the outbox sender. Rendering happens at
send time, so a card shows the ticket as it is then.

A kind that also has a one-line form (``@renderers.line("kind")``) may be bundled: several
such rows due for one person at once (the same tick, a hotline import) become one message of
lines, each with a button to open its ticket (``render_many``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.types import Reply, msg
from locales import Lines, choose_locale
from storage.models import Account, Notification, Ticket
from storage.uow import UnitOfWork

Renderer = Callable[[UnitOfWork, Notification, Ticket | None, str], Awaitable[list[Reply]]]
Liner = Callable[[UnitOfWork, Notification, Ticket | None, str], Awaitable[Reply | None]]
BUNDLE_BUTTONS = 10  # open-ticket buttons on one bundled message


class Renderers:
    def __init__(self) -> None:
        self.by_kind: dict[str, Renderer] = {}
        self.lines: dict[str, Liner] = {}

    def line(self, *kinds: str) -> Callable[[Liner], Liner]:
        """The one-line form of a kind, used when several rows are bundled."""

        def deco(fn: Liner) -> Liner:
            for k in kinds:
                if k in self.lines:
                    raise ValueError(f"two line renderers for notification kind {k!r}")
                self.lines[k] = fn
            return fn

        return deco

    def bundles(self, n: Notification) -> bool:
        """Whether this row may share one message with others for the same chat (never a
        ticket's own forum topic)."""
        return n.kind in self.lines and not n.in_topic

    async def render_many(self, uow: UnitOfWork, rows: list[Notification], tz: str) -> list[Reply]:
        """One message for several bundled rows: a line each (rows with nothing left to say
        drop out); a single line stays as it is."""
        parts: list[Reply] = []
        for n in rows:
            ticket = await uow.tickets.get(n.ticket_id) if n.ticket_id is not None else None
            part = await self.lines[n.kind](uow, n, ticket, tz)
            if part is not None:
                parts.append(part)
        if len(parts) <= 1:
            return parts
        buttons = [row for p in parts for row in p.buttons][:BUNDLE_BUTTONS]
        # one line each (Lines): a long bundle is never one Fluent placeable (limited in length)
        text = Lines([msg("notice-bundle", count=len(parts)), *(p.text for p in parts)])
        return [Reply(text, buttons=buttons)]

    def on(self, *kinds: str) -> Callable[[Renderer], Renderer]:
        def deco(fn: Renderer) -> Renderer:
            for k in kinds:
                if k in self.by_kind:
                    raise ValueError(f"two renderers for notification kind {k!r}")
                self.by_kind[k] = fn
            return fn

        return deco

    @classmethod
    def merge(cls, *parts: Renderers) -> Renderers:
        out = cls()
        for part in parts:
            for kind, fn in part.by_kind.items():
                out.on(kind)(fn)
            for kind, liner in part.lines.items():
                out.line(kind)(liner)
        return out

    async def render(self, uow: UnitOfWork, n: Notification, tz: str) -> list[Reply]:
        """The replies for one outbox row; [] when there is nothing left to say."""
        fn = self.by_kind.get(n.kind)
        if fn is None:
            raise LookupError(f"no renderer for notification kind {n.kind!r}")
        ticket = await uow.tickets.get(n.ticket_id) if n.ticket_id is not None else None
        return await fn(uow, n, ticket, tz)


def reader_locale(uow: UnitOfWork, reader: Account | None) -> str:
    """The language a notification is rendered in (locales.choose_locale); a group topic
    (no reader) gets the configured default."""
    if reader is None:
        return uow.config.locale
    return choose_locale(reader.locale, reader.client_language, uow.config.locale)
