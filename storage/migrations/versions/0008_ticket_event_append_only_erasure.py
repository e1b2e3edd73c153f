"""ticket_event append-only; personal-data erasure marks (issue 10)

- ticket_event rows cannot be deleted, and an UPDATE is refused unless it is an erasure:
  id, ticket, time, actor and kind unchanged, `data` keeps a subset of its keys with their
  values unchanged and gains "erased": true (the retention purge, services/privacy.py, drops
  message texts and photos that way). Triggers on PostgreSQL and SQLite, as for audit_log.
- ticket.erased_at: when the retention purge erased the ticket's personal fields; an index on
  (erased_at, closed_at) for the purge's lookup.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE FUNCTION ticket_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id AND NEW.ticket_id = OLD.ticket_id AND NEW.at = OLD.at
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.kind = OLD.kind
       AND (NEW.data::jsonb ->> 'erased') = 'true'
       AND NOT EXISTS (
           SELECT 1 FROM jsonb_each(NEW.data::jsonb) AS n
           WHERE n.key <> 'erased' AND (OLD.data::jsonb -> n.key) IS DISTINCT FROM n.value
       )
    THEN
        RETURN NEW;  -- an erasure of personal data (retention purge)
    END IF;
    RAISE EXCEPTION 'ticket_event is append-only';
END;
$$ LANGUAGE plpgsql
"""

_SQLITE_UPDATE = """
CREATE TRIGGER ticket_event_no_update BEFORE UPDATE ON ticket_event
WHEN NOT (
    NEW.id = OLD.id AND NEW.ticket_id = OLD.ticket_id AND NEW.at = OLD.at
    AND NEW.actor_id IS OLD.actor_id AND NEW.kind = OLD.kind
    AND json_extract(NEW.data, '$.erased') = 1
    AND NOT EXISTS (
        SELECT 1 FROM json_each(NEW.data) AS n
        WHERE n.key <> 'erased'
          AND (json_type(OLD.data, '$."' || n.key || '"') IS NULL
               OR json_extract(OLD.data, '$."' || n.key || '"') IS NOT n.value)
    )
)
BEGIN SELECT RAISE(ABORT, 'ticket_event is append-only'); END
"""


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        # the purge's lookup: not yet erased, closed before the cutoff, oldest first (an index on
        # closed_at alone would walk every ticket erased before, at every tick)
        batch_op.create_index("ix_ticket_erasable", ["erased_at", "closed_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER ticket_event_append_only BEFORE UPDATE OR DELETE ON ticket_event "
            "FOR EACH ROW EXECUTE FUNCTION ticket_event_append_only()"
        )
    else:
        op.execute(_SQLITE_UPDATE)
        op.execute(
            "CREATE TRIGGER ticket_event_no_delete BEFORE DELETE ON ticket_event "
            "BEGIN SELECT RAISE(ABORT, 'ticket_event is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ticket_event_append_only ON ticket_event")
        op.execute("DROP FUNCTION IF EXISTS ticket_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS ticket_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS ticket_event_no_delete")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_erasable")
        batch_op.drop_column("erased_at")
