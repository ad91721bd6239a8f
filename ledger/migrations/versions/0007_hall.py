"""The hall (issue 11): certificates registered for verification, offline queue-ticket blocks.

Revision ID: 0007_hall
Revises: 0003_credentials (the brief names 0001; on this branch the chain ends at 0003_credentials,
         and two heads would stop `upgrade head`: the integrator relinks it after the others)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_hall"
down_revision = "0006_fleet"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("queue_offline_blocks"):
        op.create_table(
            "queue_offline_blocks",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("outlet", sa.String(length=100), nullable=False),
            sa.Column("terminal_id", sa.String(length=64), nullable=False),
            sa.Column("slot", sa.Integer(), nullable=False),
            sa.Column("allotted_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("outlet", "slot"),
            sa.UniqueConstraint("outlet", "terminal_id"),
        )
    if inspector.has_table("certificates"):
        return
    op.create_table(
        "certificates",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("doc_type", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.String(length=20), nullable=True),
        sa.Column("terminal_id", sa.String(length=64), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("facts_sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_member_id"))
    op.drop_table("certificates")
    op.drop_table("queue_offline_blocks")
