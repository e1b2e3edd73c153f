"""What the outbox sender and the runtime need from a chat channel adapter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from handlers.types import Reply


class SendError(Exception):
    """A delivery failed. `kind`:
    - "retry_after": the channel asked to wait `retry_after` seconds (HTTP 429);
    - "transient": network trouble or a 5xx: try again later with backoff;
    - "permanent": blocked by the user, chat not found…: mark failed, do not retry.
    """

    def __init__(
        self,
        kind: Literal["retry_after", "transient", "permanent"],
        description: str,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(description)
        self.kind = kind
        self.description = description
        self.retry_after = retry_after


@dataclass(frozen=True)
class Sent:
    message_id: int
    reply: Reply


class Channel(Protocol):
    name: str  # "telegram"

    async def send(
        self, chat_id: str, replies: list[Reply], locale: str, thread_id: int | None = None
    ) -> list[Sent]:
        """Send replies in order; return the message ids the channel gave them."""
        ...

    async def create_topic(self, chat_id: str, name: str) -> int:
        """Create a forum topic in a group; return its thread id."""
        ...

    def is_group(self, chat_id: str) -> bool:
        """True for group chats (stricter rate limit)."""
        ...
