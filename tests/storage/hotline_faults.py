"""Fault injection for the hotline tests: a database trigger that refuses one ticket row
(a real database error inside the import, on SQLite and PostgreSQL alike)."""

from __future__ import annotations

from sqlalchemy import text

from storage.db import is_sqlite
from storage.uow import UowFactory

MARK = "REFUSE-ME"  # a description containing this is refused by the database

SQLITE = [
    f"""CREATE TRIGGER refuse_ticket BEFORE INSERT ON ticket
WHEN NEW.description LIKE '%{MARK}%' BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"""
]
POSTGRES = [
    f"""CREATE FUNCTION refuse_ticket() RETURNS trigger AS $$ BEGIN
  IF NEW.description LIKE '%{MARK}%' THEN RAISE EXCEPTION 'refused by trigger'; END IF;
  RETURN NEW; END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER refuse_ticket BEFORE INSERT ON ticket FOR EACH ROW EXECUTE FUNCTION refuse_ticket()",
]


async def refuse_marked_tickets(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        url = str(uow.session.bind.url) if uow.session.bind is not None else "sqlite://"
        for stmt in SQLITE if is_sqlite(url) else POSTGRES:
            await uow.session.execute(text(stmt))
        await uow.commit()
