"""The record of look-ups at the data-sharing exchange (exchange_lookups), also the ledger's fact cache.

Revision ID: 0002_exchange
Revises: 0001
Create Date: 2026-12-06 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_exchange'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table('exchange_lookups'):
        return  # a database made by create_all before migrations (ledger.db adopts it as 0001) has it already
    op.create_table('exchange_lookups',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('member_id', sa.String(length=20), nullable=False),
    sa.Column('topic', sa.String(length=60), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=80), nullable=False),
    sa.Column('case_ref', sa.String(length=100), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('operator_kind', sa.String(length=16), nullable=False),
    sa.Column('authorisation', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('from_cache', sa.Boolean(), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('as_of', sa.DateTime(), nullable=True),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('exchange_lookups', schema=None) as batch_op:
        batch_op.create_index('ix_exchange_lookups_cache', ['member_id', 'topic', 'subject', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_lookups_case_ref'), ['case_ref'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('exchange_lookups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_lookups_case_ref'))
        batch_op.drop_index('ix_exchange_lookups_cache')
    op.drop_table('exchange_lookups')
