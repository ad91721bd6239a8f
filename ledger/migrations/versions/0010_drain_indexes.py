"""Two indexes for the drain of a terminal's backlog (issue 14), so a request's reads do not grow with it.

- ix_withdrawals_member_totals covers the batch apply's withdrawal totals per member, sub-type and status
  (ledger.batch._history reads a member's rent history as one total per year and the newest dates).
- ix_exchange_lookups_fresh finds a member's fetched (not from-cache) exchange answers without walking every
  recorded use of the cache: each withdrawal records its cache uses, so those rows grow with the drain.

Revision ID: 0010_drain_indexes
Revises: 0009_help_calls
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_drain_indexes"
down_revision = "0009_help_calls"
branch_labels = None
depends_on = None

_INDEXES = {
    ("withdrawals", "ix_withdrawals_member_totals"): ["member_id", "subtype", "status", "applied_at", "amount_fen"],
    ("exchange_lookups", "ix_exchange_lookups_fresh"): ["member_id", "from_cache", "topic"],
}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for (table, name), columns in _INDEXES.items():
        if not any(ix["name"] == name for ix in inspector.get_indexes(table)):
            op.create_index(name, table, columns)


def downgrade() -> None:
    for table, name in _INDEXES:
        op.drop_index(name, table_name=table)
