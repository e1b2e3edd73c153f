"""A governance aggregate's refusals in its own words: the kit raises the generic
``InvalidState`` (a stale button, a step already taken) and ``NotAllowed`` (someone else's
action), whose default texts speak of tickets; a flow renames them for its aggregate, keeping
their class (so the dispatcher still ends a conversation step they interrupt). A plain
``DomainError("not_allowed")`` (a step's own refusal) is renamed the same way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from services.errors import DomainError, InvalidState, NotAllowed


@contextmanager
def worded(stale: str, refused: str) -> Iterator[None]:
    try:
        yield
    except InvalidState as err:
        err.code, err.params = stale, {}
        raise
    except NotAllowed as err:
        err.code, err.params = refused, {}
        raise
    except DomainError as err:
        if err.code == "not_allowed":
            err.code, err.params = refused, {}
        raise
