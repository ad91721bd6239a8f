"""The ledger's schema comes from Alembic migrations, and they match the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from ledger.db import create_schema, current_revision, head_revision, make_engine
from ledger.models import Base


def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_a_new_database_is_migrated_to_head_and_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    engine = make_engine(url)
    create_schema(engine)
    create_schema(engine)  # a second start finds it at head and does nothing
    assert current_revision(engine) == head_revision()
    engine.dispose()
    assert _diff(url) == [], "a model changed without a migration: add one under ledger/migrations/versions"


def test_a_database_made_before_migrations_is_adopted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE heartbeats")  # an older create_all that lacked a table
    create_schema(engine)
    assert current_revision(engine) == head_revision()
    assert inspect(engine).has_table("heartbeats")
    engine.dispose()


def test_0003_drops_the_shared_secrets_and_keeps_existing_demo_terminals_working(tmp_path: Path) -> None:
    """An older ledger (0001, HMAC secrets in clear) upgrades: secrets gone, demo terminals get the demo keys,
    a real terminal must enrol again (it has no key)."""
    from alembic import command
    from sqlalchemy import text

    from infra.production import DEMO_TERMINAL_PUBLIC_KEYS
    from ledger.db import _alembic_config

    url = f"sqlite:///{tmp_path / 'v1.db'}"
    engine = make_engine(url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        for key, secret in (("DEMO-KIOSK-01", "demo-secret-change-me"), ("TY-K-01", "a-real-secret")):
            conn.execute(text("INSERT INTO terminals (key_id, terminal_id, role, secret, outlet, active, created_at, "
                              "last_status) VALUES (:k, :k, 'kiosk', :s, '', 1, '2026-01-01 00:00:00', '{}')"),
                         {"k": key, "s": secret})
    create_schema(engine)
    assert "secret" not in {c["name"] for c in inspect(engine).get_columns("terminals")}
    with engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT key_id, public_key FROM terminal_keys")).all())
    engine.dispose()
    assert keys == {"DEMO-KIOSK-01": DEMO_TERMINAL_PUBLIC_KEYS["DEMO-KIOSK-01"]}
    assert _diff(url) == []
