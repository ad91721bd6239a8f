from pathlib import Path

from tests.architecture import violations

ROOT = Path(__file__).resolve().parents[1]


def test_the_repository_keeps_its_layers() -> None:
    assert violations(ROOT) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


def test_qt_in_domain_is_caught(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"domain/money.py": "from PySide6.QtCore import QObject\n"})
    assert violations(root) == ["domain/money.py:1: domain must not import Qt (PySide6)"]


def test_qt_in_ui_is_allowed(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"ui/theme.py": "import PySide6.QtGui\nimport domain.money\n"})
    assert violations(root) == []


def test_upward_and_sideways_imports_are_caught(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "sync/outbox.py": "import ui.theme\nfrom ledger import api\nfrom domain import money\n",
        "kiosk/app.py": "from counter_app import screens\n",
    })
    found = violations(root)
    assert len(found) == 3
    assert any("sync (layer 2) imports ui" in v for v in found)
    assert any(v.startswith("sync/outbox.py:2:") and "ledger" in v for v in found)
    assert any("kiosk (layer 5) imports counter_app" in v for v in found)


def test_the_terminal_never_imports_the_centre(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "ui/widgets.py": "from ledger.models import Member\n",
        "kiosk/screens/home.py": "import exchange.client\n",
        "counter_app/demo.py": "from ledger.seed import seed_demo\n",  # a demo module may start a ledger
        "ledger/app.py": "from exchange import simulator\n",
    })
    found = violations(root)
    assert sorted(found) == [
        "kiosk/screens/home.py:1: the terminal (kiosk) must not import the centre's exchange",
        "ledger/app.py:1: ledger (layer 2) imports exchange (layer 2): only lower layers may be imported",
        "ui/widgets.py:1: the terminal (ui) must not import the centre's ledger",
    ]


def test_protocol_needs_no_server_libraries() -> None:
    """The wire protocol installs on a terminal: no FastAPI, SQLAlchemy, Qt, nor any package above it."""
    from tests.architecture import imported_modules

    allowed = {"__future__", "base64", "binascii", "hashlib", "os", "re", "secrets", "collections", "dataclasses",
               "pathlib", "typing", "cryptography", "domain", "protocol", "hmac", "json", "time"}
    found = {module for path in (ROOT / "protocol").rglob("*.py")
             for _, module in imported_modules(path.read_text(encoding="utf-8"))}
    assert found <= allowed, sorted(found - allowed)
    assert "fastapi" not in found and "sqlalchemy" not in found
