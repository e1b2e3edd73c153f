"""The per-update context a handler works with."""

from __future__ import annotations

import copy
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

    # the conversation step to store, as it was when last set (None: cleared); written by
    # the dispatcher with the update's record at the end of the unit of work (one statement
    # on PostgreSQL), not at each change
    stored: tuple[str | None, dict[str, Any]] | None = None

    async def set_state(self, step: str, data: dict[str, Any] | None = None) -> None:
        self.step, self.data = step, dict(data if data is not None else self.data)
        self.stored = (step, copy.deepcopy(self.data))

    async def clear_state(self) -> None:
        self.step, self.data = None, {}
        self.stored = (None, {})

    def reply(self, reply: Reply) -> None:
        self.out.replies.append(reply)

    def answer(self, text: Msg, *, alert: bool = False) -> None:
        self.out.answer, self.out.alert = text, alert
