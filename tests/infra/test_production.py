"""Production mode: `demo = false` refuses to start kiosk, counter, diag and ledger while a demo credential
is configured, names the key to change, and exits non-zero (78); a clean production configuration passes."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from infra.config import parse_config
from infra.pin import hash_pin
from infra.production import EXIT_DEMO_CREDENTIAL, terminal_problems
from ledger.testing import demo_key_path
from protocol.signing import TerminalKey


def _own_qr_keys(tmp_path: Path) -> Path:
    path = tmp_path / "qr_keys.toml"
    key = TerminalKey.generate()  # any Ed25519 key: stands in for the centre's token service key
    path.write_text(f'[keys.centre-2027]\npublic_key = "{key.public_key}"\n'
                    f'not_before = 2026-01-01T00:00:00+08:00\n', encoding="utf-8")
    return path


def _production(tmp_path: Path, *, role: str = "kiosk", key_id: str = "TY-K-07.ab12cd34",
                key_file: Path | None = None, qr: Path | None = None, pin_hash: str | None = None,
                extra: str = "") -> Path:
    if key_file is None:
        key_file = tmp_path / "own-key.pem"
        TerminalKey.generate().save(key_file)
    qr = qr or _own_qr_keys(tmp_path)
    pin_hash = pin_hash or hash_pin("739164")
    path = tmp_path / "terminal.toml"
    path.write_text(f'demo = false\n[terminal]\nid = "TY-K-07"\nrole = "{role}"\n'
                    f'[ledger]\nurl = "https://ledger.example"\nkey_id = "{key_id}"\nkey_file = "{key_file}"\n'
                    f'{extra}'
                    f'[kiosk]\nmember_token_keys = "{qr}"\ntechnician_pin_hash = "{pin_hash}"\n'
                    f'[store]\npath = "{tmp_path / "terminal.db"}"\n', encoding="utf-8")
    return path


def test_a_clean_production_configuration_has_no_demo_credential(tmp_path: Path) -> None:
    config = parse_config(_production(tmp_path).read_text(encoding="utf-8"))
    assert terminal_problems(config) == []


def test_the_defaults_are_all_demo_credentials_when_demo_is_turned_off(tmp_path: Path) -> None:
    config = parse_config(f'demo = false\n[ledger]\nkey_file = "{demo_key_path()}"\n')
    keys = {p.key for p in terminal_problems(config)}
    assert keys == {"ledger.key_id", "ledger.key_file", "kiosk.member_token_keys", "kiosk.technician_pin_hash"}


@pytest.mark.parametrize(("change", "named"), [
    ({"key_id": "DEMO-KIOSK-01"}, "ledger.key_id"),
    ({"key_file": "demo"}, "ledger.key_file"),
    ({"qr": "shipped"}, "kiosk.member_token_keys"),
    ({"pin_hash": "demo"}, "kiosk.technician_pin_hash"),
    ({"extra": 'secret = "demo-secret-change-me"\n'}, "ledger.secret"),
])
@pytest.mark.parametrize("program", ["hpf-kiosk", "hpf-diag"])
def test_kiosk_and_diag_refuse_each_demo_credential_naming_the_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, str], named: str, program: str) -> None:
    from infra.config import KioskSection

    kwargs: dict[str, object] = dict(change)
    if change.get("key_file") == "demo":
        kwargs["key_file"] = demo_key_path()
    if change.get("qr") == "shipped":
        kwargs["qr"] = Path(__file__).resolve().parents[2] / "resources" / "keys" / "member_token_keys.toml"
    if change.get("pin_hash") == "demo":
        kwargs["pin_hash"] = KioskSection().technician_pin_hash
    config = _production(tmp_path, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(SystemExit) as done:
        if program == "hpf-kiosk":
            from kiosk.app import main as kiosk_main
            kiosk_main(["--config", str(config)])
        else:
            from hardware.diag import main as diag_main
            diag_main(["--config", str(config), "list"])
    assert done.value.code == EXIT_DEMO_CREDENTIAL
    err = capsys.readouterr().err
    assert program in err and named in err and "demo = false" in err and "演示" in err


def test_the_counter_refuses_a_demo_terminal_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from counter_app.app import main as counter_main

    config = _production(tmp_path, role="counter", key_id="DEMO-COUNTER-01")
    with pytest.raises(SystemExit) as done:
        counter_main(["--config", str(config)])
    assert done.value.code == EXIT_DEMO_CREDENTIAL
    assert "ledger.key_id" in capsys.readouterr().err


# the counter opens its store (and finds the demo password) after its first frame: its windows show first
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_the_counter_refuses_a_staff_account_with_a_demo_password(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from counter_app.app import main as counter_main
    from domain.staff import StaffRole
    from sync.staff_store import StaffStore
    from sync.store import open_store

    config = _production(tmp_path, role="counter")
    store = open_store(tmp_path / "terminal.db")
    StaffStore(store, "TY-K-07").add_account("clerk-01", "王柜员", StaffRole.CLERK, "Clerk-2026")
    StaffStore(store, "TY-K-07").add_account("clerk-77", "张柜员", StaffRole.CLERK, "Quite-Own-77x")
    store.close()
    with pytest.raises(SystemExit) as done:
        counter_main(["--config", str(config)])
    assert done.value.code == EXIT_DEMO_CREDENTIAL
    err = capsys.readouterr().err
    assert "staff account clerk-01" in err and "clerk-77" not in err


def test_the_ledger_refuses_demo_terminal_keys_and_serves_once_they_are_revoked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from ledger import cli, sessions
    from ledger.db import make_engine, session_factory
    from ledger.seed import seed_demo
    from ledger.terminals import revoke

    # serve points the ledger's member sessions at [keys] member_token_keys: put the demo keys back afterwards
    monkeypatch.setattr(sessions, "token_key_source", sessions.token_key_source)
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = make_engine(db)
    seed_demo(engine, 2)
    config = tmp_path / "ledger.toml"
    config.write_text(f'demo = false\n[database]\nurl = "{db}"\n[server]\nport = 1\n', encoding="utf-8")
    assert cli.main(["serve", "--config", str(config)]) == EXIT_DEMO_CREDENTIAL
    err = capsys.readouterr().err
    assert "hpf-ledger" in err and "terminal DEMO-KIOSK-01" in err and "terminals revoke DEMO-KIOSK-01" in err
    assert "keys.member_token_keys" in err  # the shipped QR key file trusts the demo key
    config.write_text(config.read_text(encoding="utf-8") + f'[keys]\nmember_token_keys = "{_own_qr_keys(tmp_path)}"\n',
                      encoding="utf-8")
    for terminal in ("DEMO-KIOSK-01", "DEMO-COUNTER-01"):
        revoke(session_factory(engine), terminal)
    # still refused: the exchange simulator's key, the demo audit key and the demo staff passwords
    assert cli.main(["serve", "--config", str(config)]) == EXIT_DEMO_CREDENTIAL
    err = capsys.readouterr().err
    assert "terminal DEMO-KIOSK-01" not in err and "keys.member_token_keys" not in err
    assert "exchange.public_key" in err and "keys.audit_signing_key" in err and "clerk-01" in err
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from ledger import audit, staff

    exchange_key = base64.b64encode(Ed25519PrivateKey.generate().public_key().public_bytes(
        Encoding.Raw, PublicFormat.Raw)).decode()
    audit.generate_key_file(tmp_path / "audit.pem")
    text = config.read_text(encoding="utf-8").replace(
        "[keys]\n", f'[keys]\naudit_signing_key = "{tmp_path / "audit.pem"}"\n')
    config.write_text(text + f'[exchange]\npublic_key = "{exchange_key}"\nkey_id = "EX-PROD-1"\n', encoding="utf-8")
    with session_factory(engine)() as session, session.begin():
        for username in staff.demo_credentials_present(session):
            staff.disable(session, username, by="test")
    engine.dispose()
    served: list[int] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: served.append(kw["port"]))
    assert cli.main(["serve", "--config", str(config)]) == 0
    assert served == [1]  # the port came from the file


def test_a_counter_needs_no_technician_pin_or_qr_keys(tmp_path: Path) -> None:
    from infra.config import KioskSection

    shipped = Path(__file__).resolve().parents[2] / "resources" / "keys" / "member_token_keys.toml"
    path = _production(tmp_path, role="counter", qr=shipped, pin_hash=KioskSection().technician_pin_hash)
    assert terminal_problems(parse_config(path.read_text(encoding="utf-8"))) == []


def test_as_a_real_process_hpf_diag_exits_78_naming_the_key(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = _production(tmp_path, key_id="DEMO-KIOSK-01")
    done = subprocess.run([sys.executable, "-m", "hardware.diag", "--config", str(config), "list"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_DEMO_CREDENTIAL
    assert "ledger.key_id" in done.stderr and "Traceback" not in done.stderr
