"""What the log may hold: no bot token, no person's data.

Two measures, installed by the composition root (bot/adapters/choice.make_runtime and the
CLI), both idempotent:
- `quiet_libraries()` floors the loggers of libraries that write request URLs (which carry
  the token: `…/bot<token>/getUpdates`), SQL parameters (descriptions, phones) or whole
  updates (names) at DEBUG/INFO;
- `redact_secrets(token)` installs a log record factory that replaces the token (and its
  secret part, URL-encoded too) in every record's message, arguments and traceback,
  whichever logger or handler it goes to.
"""

from __future__ import annotations

import logging
from typing import Any

REDACTED = "<redacted>"

# logger → lowest level it may log at
FLOORS: dict[str, int] = {
    "httpx": logging.WARNING,  # "HTTP Request: POST https://…/bot<token>/getUpdates" at INFO
    "httpcore": logging.WARNING,
    "hpack": logging.WARNING,
    "aiosqlite": logging.WARNING,  # every statement with its parameters at DEBUG
    "sqlalchemy.engine": logging.WARNING,
    "asyncpg": logging.WARNING,
    "telegram": logging.INFO,  # python-telegram-bot prints whole updates at DEBUG
    "aiogram": logging.INFO,
    "aiogram.event": logging.WARNING,
    "aiohttp.access": logging.WARNING,
    "apscheduler": logging.WARNING,
    "alembic": logging.WARNING,
}


def quiet_libraries() -> None:
    for name, level in FLOORS.items():
        logger = logging.getLogger(name)
        if logger.level < level:
            logger.setLevel(level)


def secret_forms(token: str) -> list[str]:
    """The token as it may appear: whole, URL-encoded, and its secret part alone."""
    forms = {token, token.replace(":", "%3A"), token.replace(":", "%3a")}
    _, _, secret = token.partition(":")
    if len(secret) >= 4:
        forms.add(secret)
    return sorted((f for f in forms if f), key=len, reverse=True)


def redact(text: str, forms: list[str]) -> str:
    for f in forms:
        text = text.replace(f, REDACTED)
    return text


class _RedactingFactory:
    def __init__(self, base: Any, forms: list[str]) -> None:
        self.base, self.forms = base, forms

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler's error path
            return record
        if any(f in message for f in self.forms):
            record.msg, record.args = redact(message, self.forms), None
        if record.exc_info and record.exc_info[0] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if any(f in text for f in self.forms):
                record.exc_text = redact(text, self.forms)  # Formatter.format uses it as is
        return record


def redact_secrets(*secrets: str) -> None:
    """Install (once per set of secrets) the record factory that hides `secrets`."""
    forms = sorted({f for s in secrets if s for f in secret_forms(s)}, key=len, reverse=True)
    if not forms:
        return
    current = logging.getLogRecordFactory()
    if isinstance(current, _RedactingFactory):
        current.forms = sorted(set(current.forms) | set(forms), key=len, reverse=True)
        return
    logging.setLogRecordFactory(_RedactingFactory(current, forms))
