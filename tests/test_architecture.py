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
    assert any("sync (layer 2) imports ledger" in v for v in found)
    assert any("kiosk (layer 5) imports counter_app" in v for v in found)
