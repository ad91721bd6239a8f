"""Old configuration files are upgraded in place, one version at a time.

Picard's config-upgrade pattern: the file carries `version` (a file without one is version 1);
UPGRADES[n] turns a version-n document into a version-(n+1) one. On load, every step from the
file's version to CONFIG_VERSION runs in order, then the file is rewritten with its comments
and layout kept (tomlkit), after copying the original beside it as `<name>.v<n>.bak`. A file the
program may not write (a read-only /etc) is upgraded in memory only and says so in the log.

To change the schema incompatibly (rename, move, re-express a key): raise CONFIG_VERSION in
infra/config.py and add the step here, e.g.

    def _v1_to_v2(doc: TOMLDocument) -> None:
        ledger = doc.get("ledger")
        if ledger is not None and "secret" in ledger:
            ledger["key_file"] = "/etc/hpf-terminal/terminal.key"   # the new way
            del ledger["secret"]

    UPGRADES = {1: _v1_to_v2}

A file newer than the program (written by a later release) is refused with a clear message:
silently dropping what it does not know could undo a deliberate setting.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from infra.logs import get_logger

if TYPE_CHECKING:  # tomlkit is imported only for a file that needs upgrading (start-up time)
    from tomlkit import TOMLDocument

log = get_logger("config")

Upgrade = Callable[["TOMLDocument"], None]

# version n -> the function that makes it version n + 1. Empty while the format is at version 1.
UPGRADES: dict[int, Upgrade] = {}


class ConfigVersionError(Exception):
    """The file's version cannot be brought to the program's (too new, not a number, a step missing)."""


def file_version(doc: TOMLDocument) -> int:
    version = doc.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ConfigVersionError(f"version = {version!r}: expected a whole number ≥ 1 / 配置版本应为正整数")
    return int(version)


def upgrade_document(doc: TOMLDocument, target: int, upgrades: dict[int, Upgrade] | None = None) -> int:
    """Upgrade `doc` in place to `target`; returns the version it had."""
    steps = UPGRADES if upgrades is None else upgrades
    start = file_version(doc)
    if start > target:
        raise ConfigVersionError(f"version = {start}: this file is for a newer release (this program reads up to "
                                 f"version {target}) / 配置文件版本 {start} 高于本程序支持的 {target}，请升级程序")
    for version in range(start, target):
        if version not in steps:
            raise ConfigVersionError(f"no upgrade from configuration version {version} / 缺少配置升级步骤 {version}")
        steps[version](doc)
    if start != target or "version" in doc:
        doc["version"] = target
    return start


def upgrade_text(text: str, target: int, upgrades: dict[int, Upgrade] | None = None) -> tuple[str, int]:
    """(the upgraded TOML text, the version it had); the text unchanged when it was current."""
    if _is_current(text, target):
        return text, target
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigVersionError(f"not valid TOML: {exc}") from None
    before = upgrade_document(doc, target, upgrades)
    return (text if before == target else tomlkit.dumps(doc)), before


def _is_current(text: str, target: int) -> bool:
    """Valid TOML already at `target` (the usual case), told by the standard parser: nothing to upgrade."""
    try:
        version = tomllib.loads(text).get("version", 1)
    except tomllib.TOMLDecodeError:
        return False  # tomlkit's parse gives the error
    return isinstance(version, int) and not isinstance(version, bool) and version == target


def upgrade_file(path: Path, text: str, target: int, upgrades: dict[int, Upgrade] | None = None) -> str:
    """The file's text at version `target`, written back in place when it was older (original kept)."""
    new_text, before = upgrade_text(text, target, upgrades)
    if before == target:
        return text
    backup = path.with_name(f"{path.name}.v{before}.bak")
    try:
        if not backup.exists():
            shutil.copy2(path, backup)
        temp = path.with_name(f".{path.name}.upgrade")
        temp.write_text(new_text, encoding="utf-8")
        shutil.copymode(path, temp)
        temp.replace(path)
        log.info("configuration %s upgraded from version %d to %d (the old file is %s)", path, before, target,
                 backup.name)
    except OSError as exc:
        log.info("configuration %s is version %d; upgraded to %d in memory only (cannot write: %s)", path, before,
                 target, exc)
    return new_text
