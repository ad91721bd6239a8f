"""Member sessions, used member QR tokens, per-terminal member reads and read alerts.

Revision ID: 0004_sessions
Revises: 0001
Create Date: 2026-12-06 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_sessions'
down_revision = '0003_credentials'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table('member_sessions'):
        return  # a database adopted from create_all (ledger.db.create_schema) already has these tables
    op.create_table('member_sessions',
    sa.Column('session_id', sa.String(length=40), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.String(length=20), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('method', sa.String(length=24), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('session_id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('member_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_sessions_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_sessions_terminal_id'), ['terminal_id'], unique=False)

    op.create_table('member_token_uses',
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.String(length=20), nullable=False),
    sa.Column('used_for', sa.String(length=120), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('nonce')
    )
    with op.batch_alter_table('member_token_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_token_uses_expires_at'), ['expires_at'], unique=False)

    op.create_table('member_reads',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('member_id', sa.String(length=20), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('member_reads', schema=None) as batch_op:
        batch_op.create_index('ix_member_reads_terminal_at', ['terminal_id', 'at'], unique=False)

    op.create_table('member_read_alerts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('distinct_members', sa.Integer(), nullable=False),
    sa.Column('window_s', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('acknowledged', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('member_read_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_read_alerts_terminal_id'), ['terminal_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('member_read_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_read_alerts_terminal_id'))
    op.drop_table('member_read_alerts')
    with op.batch_alter_table('member_reads', schema=None) as batch_op:
        batch_op.drop_index('ix_member_reads_terminal_at')
    op.drop_table('member_reads')
    with op.batch_alter_table('member_token_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_token_uses_expires_at'))
    op.drop_table('member_token_uses')
    with op.batch_alter_table('member_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_sessions_terminal_id'))
        batch_op.drop_index(batch_op.f('ix_member_sessions_member_id'))
    op.drop_table('member_sessions')
