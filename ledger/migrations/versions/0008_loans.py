"""The loan applications (issue 11): loan_applications and loan_application_events.

Revision ID: 0008_loans
Revises: 0007_hall (the integrator relinks the chain after the other streams' migrations)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_loans"
down_revision = "0007_hall"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("loan_applications"):
        op.create_table(
            "loan_applications",
            sa.Column("application_id", sa.String(length=32), nullable=False),
            sa.Column("member_id", sa.String(length=20), nullable=False),
            sa.Column("state", sa.String(length=24), nullable=False),
            sa.Column("channel", sa.String(length=12), nullable=False),
            sa.Column("terminal_id", sa.String(length=64), nullable=False),
            sa.Column("intake_by", sa.String(length=64), nullable=False),
            sa.Column("amount_fen", sa.BigInteger(), nullable=False),
            sa.Column("term_months", sa.Integer(), nullable=False),
            sa.Column("method_code", sa.String(length=2), nullable=False),
            sa.Column("bank_part_fen", sa.BigInteger(), nullable=False),
            sa.Column("bank_name", sa.String(length=60), nullable=False),
            sa.Column("purchase_contract_no", sa.String(length=64), nullable=False),
            sa.Column("property_certificate_no", sa.String(length=100), nullable=False),
            sa.Column("property_address", sa.String(length=200), nullable=False),
            sa.Column("spouse_id_number", sa.String(length=18), nullable=False),
            sa.Column("data", sa.JSON(), nullable=False),
            sa.Column("review_started_at", sa.DateTime(), nullable=True),
            sa.Column("registration_requested_at", sa.DateTime(), nullable=True),
            sa.Column("registration_completed_at", sa.DateTime(), nullable=True),
            sa.Column("disbursed_at", sa.DateTime(), nullable=True),
            sa.Column("loan_id", sa.String(length=24), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
            sa.ForeignKeyConstraint(["member_id"], ["members.member_id"]),
            sa.PrimaryKeyConstraint("application_id"),
        )
        with op.batch_alter_table("loan_applications", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_loan_applications_member_id"), ["member_id"], unique=False)
            batch_op.create_index(batch_op.f("ix_loan_applications_state"), ["state"], unique=False)
    if inspector.has_table("loan_application_events"):
        return
    op.create_table(
        "loan_application_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=False),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("terminal_id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["loan_applications.application_id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("terminal_id", "idempotency_key"),
    )
    with op.batch_alter_table("loan_application_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loan_application_events_application_id"), ["application_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("loan_application_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loan_application_events_application_id"))
    op.drop_table("loan_application_events")
    with op.batch_alter_table("loan_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loan_applications_state"))
        batch_op.drop_index(batch_op.f("ix_loan_applications_member_id"))
    op.drop_table("loan_applications")
