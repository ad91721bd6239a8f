"""A covering index for the batch apply's withdrawal totals per member, sub-type and status (issue 14).

The batch apply (ledger.batch) reads a member's rent history as one total per year and the newest dates,
grouped by member, sub-type and status, instead of every row: this index answers that from the index alone.

Revision ID: 0010_withdrawal_totals
Revises: 0009_help_calls
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_withdrawal_totals"
down_revision = "0009_help_calls"
branch_labels = None
depends_on = None

_NAME = "ix_withdrawals_member_totals"
_COLUMNS = ["member_id", "subtype", "status", "applied_at", "amount_fen"]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if any(ix["name"] == _NAME for ix in inspector.get_indexes("withdrawals")):
        return
    op.create_index(_NAME, "withdrawals", _COLUMNS)


def downgrade() -> None:
    op.drop_index(_NAME, table_name="withdrawals")
