"""Fleet: technicians' actions and alerts (issue 12).

Revision ID: 0006_fleet
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_fleet"
down_revision = "0005_staff_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database adopted from create_all (ledger.db.create_schema) may have these tables already.
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "technician_actions" not in existing:
        _technician_actions()
    if "fleet_alerts" not in existing:
        _fleet_alerts()


def _technician_actions() -> None:
    op.create_table(
        "technician_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("terminal_id", sa.String(length=64), nullable=False),
        sa.Column("technician", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("technician_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_technician_actions_terminal_id"), ["terminal_id"], unique=False)


def _fleet_alerts() -> None:
    op.create_table(
        "fleet_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("terminal_id", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("message_zh", sa.String(length=300), nullable=False),
        sa.Column("message_en", sa.String(length=300), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.Column("acked_by", sa.String(length=64), nullable=False),
        sa.Column("webhook_status", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fleet_alerts", schema=None) as batch_op:
        batch_op.create_index("ix_fleet_alerts_open", ["terminal_id", "cleared_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fleet_alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_fleet_alerts_open")
    op.drop_table("fleet_alerts")
    with op.batch_alter_table("technician_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_technician_actions_terminal_id"))
    op.drop_table("technician_actions")
