"""Per-terminal Ed25519 credentials (issue 10): public keys, one-time enrolment codes; no secret in clear.

The shared HMAC secrets of `terminals.secret` are dropped: the ledger keeps only public keys now.
Terminals that signed with a shared secret enrol again (`hpf-ledger terminals rotate ID`, then
`hpf-diag enrol` on the terminal). The two demo terminals of `seed-demo`, recognised by the demo
secret, get the demo public keys so an existing demo database keeps working.

Revision ID: 0003_credentials
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_credentials"
down_revision = "0002_exchange"
branch_labels = None
depends_on = None

# Public halves of the demo keys in resources/demo/terminal_keys (the same as infra.production's list).
_DEMO_PUBLIC_KEYS = {
    "DEMO-KIOSK-01": "+zla9HD9CCLrIsVkGHk7/3ySyr9TaavA+9u6dcRvvaQ=",
    "DEMO-COUNTER-01": "CDNViwLTFcXrhNK0YOA/tdGQvDpCQL9YXrg88K6Eoc8=",
}
_DEMO_SECRET = "demo-secret-change-me"


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    tables = set(inspector.get_table_names())
    if "terminal_keys" not in tables:
        op.create_table(
            "terminal_keys",
            sa.Column("key_id", sa.String(length=64), nullable=False),
            sa.Column("terminal_id", sa.String(length=64), nullable=False),
            sa.Column("public_key", sa.String(length=64), nullable=False),
            sa.Column("status", sa.String(length=10), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("revoked_at", sa.DateTime(), nullable=True),
            sa.PrimaryKeyConstraint("key_id"),
        )
        with op.batch_alter_table("terminal_keys", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_terminal_keys_terminal_id"), ["terminal_id"], unique=False)
    if "enrolment_codes" not in tables:
        op.create_table(
            "enrolment_codes",
            sa.Column("code_hash", sa.String(length=64), nullable=False),
            sa.Column("terminal_id", sa.String(length=64), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("expires_at", sa.DateTime(), nullable=False),
            sa.Column("used_at", sa.DateTime(), nullable=True),
            sa.Column("key_id", sa.String(length=64), nullable=True),
            sa.PrimaryKeyConstraint("code_hash"),
        )
        with op.batch_alter_table("enrolment_codes", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_enrolment_codes_terminal_id"), ["terminal_id"], unique=False)
    columns = {c["name"] for c in inspector.get_columns("terminals")}
    if "secret" in columns:
        demo = bind.execute(sa.text("SELECT key_id, terminal_id FROM terminals WHERE secret = :s"),
                            {"s": _DEMO_SECRET}).all()
        keys = sa.table("terminal_keys", sa.column("key_id"), sa.column("terminal_id"), sa.column("public_key"),
                        sa.column("status"), sa.column("created_at"))
        known = {r[0] for r in bind.execute(sa.text("SELECT key_id FROM terminal_keys")).all()}
        rows = [{"key_id": key_id, "terminal_id": terminal_id, "public_key": _DEMO_PUBLIC_KEYS[key_id],
                 "status": "active", "created_at": sa.func.now()}
                for key_id, terminal_id in demo if key_id in _DEMO_PUBLIC_KEYS and key_id not in known]
        for row in rows:
            bind.execute(sa.insert(keys).values(**row))
        with op.batch_alter_table("terminals", schema=None) as batch_op:
            batch_op.drop_column("secret")


def downgrade() -> None:
    with op.batch_alter_table("terminals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret", sa.String(length=200), nullable=False, server_default=""))
    op.drop_table("enrolment_codes")
    op.drop_table("terminal_keys")
