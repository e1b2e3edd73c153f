"""The per-update context a handler works with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handlers.types import Incoming, Outcome, Reply
from locales import Msg
from storage.config import DomainConfig
from storage.models import Account
from storage.uow import UnitOfWork


@dataclass
class Ctx:
    inc: Incoming
    uow: UnitOfWork
    account: Account
    config: DomainConfig  # zone, default locale, limits (the same object the services see)
    locale: str
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    skipped: bool = False  # a step's "skip" button was pressed
    out: Outcome = field(default_factory=Outcome)

    @property
    def chat_key(self) -> str:
        return f"{self.inc.channel}:{self.inc.chat_id}"

    @property
    def account_id(self) -> int:
        assert self.account.id is not None
        return self.account.id

    async def set_state(self, step: str, data: dict[str, Any] | None = None) -> None:
        self.step, self.data = step, dict(data if data is not None else self.data)
        await self.uow.conversations.put(
            self.account_id, self.chat_key, step, self.data, self.uow.clock.now()
        )

    async def clear_state(self) -> None:
        self.step, self.data = None, {}
        await self.uow.conversations.clear(self.account_id, self.chat_key)

    def reply(self, reply: Reply) -> None:
        self.out.replies.append(reply)

    def answer(self, text: Msg, *, alert: bool = False) -> None:
        self.out.answer, self.out.alert = text, alert
