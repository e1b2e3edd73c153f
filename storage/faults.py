"""Which errors mean "the database cannot be reached right now" (as opposed to a bug or bad
data): the dispatcher answers those with "try again shortly" and leaves the update
unconfirmed, so Telegram delivers it again once the database is back."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# asyncpg's own classes when they escape SQLAlchemy's wrapping (on close or rollback)
_DRIVER_NAMES = {
    "ConnectionDoesNotExistError",
    "ConnectionFailureError",
    "CannotConnectNowError",
    "PostgresConnectionError",
    "ClientCannotConnectError",
    "TooManyConnectionsError",
    "InterfaceError",
}

_WORDS = ("connection", "closed", "database is locked", "timeout", "timed out", "unable to open")


def database_unavailable(err: BaseException) -> bool:
    """True when ``err`` (or what caused it) is a lost or refused database connection."""
    seen: set[int] = set()
    e: BaseException | None = err
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, (OSError, TimeoutError, DisconnectionError, PoolTimeout)):
            return True
        if isinstance(e, DBAPIError) and e.connection_invalidated:
            return True
        if isinstance(e, (OperationalError, InterfaceError)) and any(w in str(e).lower() for w in _WORDS):
            return True  # not "no such column", which SQLite also reports as OperationalError
        if type(e).__module__.startswith("asyncpg") and type(e).__name__ in _DRIVER_NAMES:
            return True
        e = e.__cause__ or e.__context__
    return False
