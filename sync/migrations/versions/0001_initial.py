"""The first schema of the terminal's local store.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _business(name: str, *extra: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("outbox_seq", sa.Integer, sa.ForeignKey("outbox.seq"), nullable=False),
        *extra,
        sa.Column("created_at", sa.String(40), nullable=False),
    )


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("idempotency_key", sa.String(36), nullable=False, unique=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("member_id", sa.String(40)),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_attempt_at", sa.String(40)),
        sa.Column("ledger_id", sa.String(64)),
        sa.Column("result", sa.Text),
        sa.Column("reason_code", sa.String(64)),
        sa.Column("reason_zh", sa.Text),
        sa.Column("reason_en", sa.Text),
        sa.Column("resolved_at", sa.String(40)),
        sa.Column("resolved_by", sa.String(64)),
    )
    op.create_index("ix_outbox_state_seq", "outbox", ["state", "seq"])
    _business("applications",
              sa.Column("application_no", sa.String(48), nullable=False, unique=True),
              sa.Column("kind", sa.String(40), nullable=False),
              sa.Column("member_id", sa.String(40)),
              sa.Column("amount_fen", sa.Integer),
              sa.Column("provisional_decision", sa.Text))
    _business("queue_tickets",
              sa.Column("kind", sa.String(40), nullable=False),
              sa.Column("ticket_no", sa.String(32)),
              sa.Column("member_id", sa.String(40)),
              sa.Column("payload", sa.Text, nullable=False))
    _business("ratings", sa.Column("member_id", sa.String(40)), sa.Column("payload", sa.Text, nullable=False))
    _business("case_actions",
              sa.Column("case_id", sa.String(48)),
              sa.Column("member_id", sa.String(40)),
              sa.Column("payload", sa.Text, nullable=False))
    _business("device_reports", sa.Column("payload", sa.Text, nullable=False))
    op.create_table(
        "snapshot_cache",
        sa.Column("member_id", sa.String(40), primary_key=True),
        sa.Column("as_of", sa.String(40), nullable=False),
        sa.Column("fetched_at", sa.String(40), nullable=False),
        sa.Column("nonce", sa.LargeBinary, nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "reference_cache",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("etag", sa.String(128)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("fetched_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for name in ("sync_state", "reference_cache", "snapshot_cache", "device_reports", "case_actions",
                 "ratings", "queue_tickets", "applications"):
        op.drop_table(name)
    op.drop_index("ix_outbox_state_seq", "outbox")
    op.drop_table("outbox")
