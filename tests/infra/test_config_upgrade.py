"""Configuration files carry a version and older ones are upgraded in place (Picard's pattern)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tomlkit import TOMLDocument

from infra import config as config_module
from infra import config_upgrade
from infra.config import CONFIG_VERSION, ConfigError, load_config

V1_FILE = """# the terminal at the lobby door
[terminal]
id = "KIOSK-07"   # registered with the ledger

[ledger]
url = "https://ledger.example"
secret = "s3cret"
"""


def _v1_to_v2(doc: TOMLDocument) -> None:
    """An example step: the secret moves out of the file into a key file."""
    ledger = doc["ledger"]
    assert isinstance(ledger, dict)
    if "secret" in ledger:
        del ledger["secret"]
        ledger["key_id"] = "from-key-file"


def test_a_file_without_a_version_is_version_1_and_loads_unchanged_today(tmp_path: Path) -> None:
    path = tmp_path / "terminal.toml"
    path.write_text(V1_FILE, encoding="utf-8")
    config = load_config(path)
    assert config.version == 1 == CONFIG_VERSION and config.terminal.id == "KIOSK-07"
    assert path.read_text(encoding="utf-8") == V1_FILE  # nothing to upgrade: the file is not touched
    assert list(tmp_path.iterdir()) == [path]


def test_an_old_file_is_upgraded_in_place_with_its_comments_and_a_copy_of_the_original(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config_module, "CONFIG_VERSION", 2)
    monkeypatch.setattr(config_upgrade, "UPGRADES", {1: _v1_to_v2})
    path = tmp_path / "terminal.toml"
    path.write_text(V1_FILE, encoding="utf-8")
    path.chmod(0o640)
    text, before = config_upgrade.upgrade_text(V1_FILE, 2)
    assert before == 1
    written = config_upgrade.upgrade_file(path, V1_FILE, 2)
    assert written == text == path.read_text(encoding="utf-8")
    assert "# the terminal at the lobby door" in written and "# registered with the ledger" in written
    assert "secret" not in written and 'key_id = "from-key-file"' in written and "version = 2" in written
    assert (tmp_path / "terminal.toml.v1.bak").read_text(encoding="utf-8") == V1_FILE
    assert path.stat().st_mode & 0o777 == 0o640  # the upgrade keeps the file's permissions
    # a second load finds version 2 and leaves the file alone
    assert config_upgrade.upgrade_file(path, written, 2) == written


def test_every_step_runs_in_order_from_the_files_version() -> None:
    ran: list[int] = []
    steps = {n: (lambda doc, n=n: ran.append(n)) for n in (1, 2, 3)}
    text, before = config_upgrade.upgrade_text("version = 2\n", 4, steps)
    assert before == 2 and ran == [2, 3] and text.strip() == "version = 4"


def test_a_missing_step_or_a_file_from_a_newer_release_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(config_upgrade.ConfigVersionError, match="no upgrade from configuration version 1"):
        config_upgrade.upgrade_text("", 2, {})
    path = tmp_path / "terminal.toml"
    path.write_text(f"version = {CONFIG_VERSION + 1}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="newer release") as refused:
        load_config(path)
    assert "高于本程序支持" in str(refused.value) and str(path) in str(refused.value)
    path.write_text('version = "two"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="expected a whole number"):
        load_config(path)


def test_a_file_the_program_may_not_write_is_upgraded_in_memory(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "terminal.toml"
    path.write_text(V1_FILE, encoding="utf-8")

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")  # a kiosk user's view of /etc/hpf-terminal

    monkeypatch.setattr(config_upgrade.shutil, "copy2", read_only)
    text = config_upgrade.upgrade_file(path, V1_FILE, 2, {1: _v1_to_v2})
    assert "version = 2" in text and "secret" not in text
    assert path.read_text(encoding="utf-8") == V1_FILE and list(tmp_path.iterdir()) == [path]
