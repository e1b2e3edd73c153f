"""Domain errors: a code the chat layer turns into a clear reply."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Raised by a service when a request cannot be carried out.

    `code` names the reason (e.g. "not_allowed", "ticket_closed"); the
    transaction is rolled back by the caller, so nothing is stored.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotAllowed(DomainError):
    def __init__(self, **params: Any) -> None:
        super().__init__("not_allowed", **params)


class NotFound(DomainError):
    def __init__(self, what: str = "ticket", **params: Any) -> None:
        super().__init__(f"{what}_not_found", **params)


class InvalidState(DomainError):
    """The ticket is not in a state that allows this (e.g. a stale button)."""

    def __init__(self, state: str, **params: Any) -> None:
        super().__init__("invalid_state", state=state, **params)
