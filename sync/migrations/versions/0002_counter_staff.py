"""Counter staff accounts, the audit trail, case drafts, the counter's case records and list cache.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_accounts",
        sa.Column("staff_id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, PHC string
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.String(40)),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "audit_trail",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("staff_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
    )
    op.create_index("ix_audit_case", "audit_trail", ["case_id"])
    op.create_index("ix_audit_staff_at", "audit_trail", ["staff_id", "at"])
    op.create_table(
        "counter_drafts",
        sa.Column("draft_id", sa.String(64), primary_key=True),
        sa.Column("staff_id", sa.String(32), nullable=False),
        sa.Column("member_id", sa.String(40)),
        sa.Column("item_code", sa.String(60), nullable=False),
        sa.Column("body", sa.Text, nullable=False),  # JSON of the intake form
        sa.Column("saved_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "counter_cases",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("parent_id", sa.String(64)),  # one-window bundles: the sub-cases name their parent
        sa.Column("body", sa.Text, nullable=False),  # JSON of the counter's case record
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_counter_cases_parent", "counter_cases", ["parent_id"])
    op.create_table(  # the last copy of ledger lists (work list, queue) for offline work
        "counter_cache",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("fetched_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("counter_cache")
    op.drop_index("ix_counter_cases_parent", "counter_cases")
    op.drop_table("counter_cases")
    op.drop_table("counter_drafts")
    op.drop_index("ix_audit_staff_at", "audit_trail")
    op.drop_index("ix_audit_case", "audit_trail")
    op.drop_table("audit_trail")
    op.drop_table("staff_accounts")
