"""Notification renderers: an outbox row (kind + payload) → the replies to send.

Each feature module declares its own ``renderers = Renderers()`` and decorates its functions
with ``@renderers.on("kind")``; ``handlers.build_renderers`` merges them in one visible
place and the composition root hands the result to the outbox sender. Rendering happens at
send time, so a card shows the ticket as it is then.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.types import Reply
from locales import choose_locale
from storage.models import Account, Notification, Ticket
from storage.uow import UnitOfWork

Renderer = Callable[[UnitOfWork, Notification, Ticket | None, str], Awaitable[list[Reply]]]


class Renderers:
    def __init__(self) -> None:
        self.by_kind: dict[str, Renderer] = {}

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
