"""urgent first response on the 24x7 clock

The default row for urgent tickets used to count its 2 h first response in business hours,
so a heating order on Saturday morning was due on Monday (issue 11). A database seeded with
that default (and not edited since) gets the new default; an operator's own row is kept.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 17:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_WHERE = (
    "category = '*' AND priority = 'urgent' AND first_response_minutes = 120"
    " AND first_response_business_days = 0"
)


def upgrade() -> None:
    op.execute(
        f"UPDATE sla_policy SET first_response_clock = '24x7' WHERE {_WHERE} AND first_response_clock = 'business'"
    )


def downgrade() -> None:
    op.execute(
        f"UPDATE sla_policy SET first_response_clock = 'business' WHERE {_WHERE} AND first_response_clock = '24x7'"
    )
