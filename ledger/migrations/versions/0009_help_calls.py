"""The hall's help calls (issue 13): a kiosk's "call staff", shown on the counters' work list.

Revision ID: 0009_help_calls
Revises: 0007_hall (the integrator relinks the chain after the other branches' revisions)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_help_calls"
down_revision = "0008_loans"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if inspector.has_table("help_calls"):
        return
    op.create_table(
        "help_calls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("outlet", sa.String(length=100), nullable=False),
        sa.Column("terminal_id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=False),
        sa.Column("answered_by", sa.String(length=20), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("help_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_help_calls_outlet"), ["outlet"], unique=False)
        batch_op.create_index(batch_op.f("ix_help_calls_terminal_id"), ["terminal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("help_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_help_calls_terminal_id"))
        batch_op.drop_index(batch_op.f("ix_help_calls_outlet"))
    op.drop_table("help_calls")
