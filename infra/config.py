"""Terminal configuration: one TOML file per terminal, its schema declared once below.

Each section is a frozen dataclass; each field's default is the demo value and its metadata
carries the help text and the allowed values. `load_config` walks the dataclasses, so adding a
field here is all it takes to add an option. A bad file raises `ConfigError` with a message
that names the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import sys
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infra import paths
from infra.config_upgrade import ConfigVersionError, upgrade_file

CONFIG_VERSION = 1


class ConfigError(Exception):
    """The configuration file is unreadable or holds a value that is not allowed."""


def opt(default: Any, help: str, *, choices: tuple[Any, ...] = (), minval: float | None = None,
        maxval: float | None = None) -> Any:
    """Declare an option: default, help text, and optional allowed values or bounds."""
    meta = {"help": help, "choices": choices, "minval": minval, "maxval": maxval}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class TerminalSection:
    """The [terminal] section: who this terminal is."""
    id: str = opt("DEMO-KIOSK-01", "Terminal id registered with the ledger")
    role: str = opt("kiosk", "What this terminal is", choices=("kiosk", "counter"))
    centre_name: str = opt("太原市住房公积金管理中心", "Centre name shown on screens and receipts")
    centre_name_en: str = opt("Taiyuan Housing Provident Fund Management Centre", "Centre name in English")
    hotline: str = opt("12329", "Service hotline shown on screens and receipts")
    outlet: str = opt("总部服务大厅", "The service hall this terminal stands in")
    language: str = opt("zh_CN", "Default UI language", choices=("zh_CN", "en"))
    policy_city: str = opt("taiyuan", "Policy file under resources/policy/ (without .toml)")
    timezone: str = opt("Asia/Shanghai", "Time zone used for display (storage is UTC)")


@dataclass(frozen=True)
class LedgerSection:
    """The [ledger] section: where the central ledger is and how to reach it."""
    url: str = opt("http://127.0.0.1:8765", "Base URL of the central ledger API")
    key_id: str = opt("DEMO-KIOSK-01", "Terminal credential id")
    key_file: str = opt("", "Private Ed25519 signing key of this terminal (PEM, mode 0600), written by "
                            "`hpf-diag enrol`; empty = <data dir>/terminal-key.pem (the demo key for demo ids)")
    secret: str = opt("", "Obsolete (shared-secret signing of older versions): ignored; enrol with hpf-diag enrol")
    timeout_s: float = opt(5.0, "Timeout of one ledger request, seconds", minval=0.5, maxval=120)
    verify_tls: bool = opt(True, "Verify the ledger's TLS certificate")
    sync_interval_s: float = opt(2.0, "Pause between sync rounds, seconds", minval=0.1, maxval=3600)
    snapshot_ttl_h: int = opt(24, "Hours a cached account snapshot may still be shown offline", minval=1, maxval=720)


@dataclass(frozen=True)
class StoreSection:
    """The [store] section: the local store's file."""
    path: str = opt("", "SQLite file of the local store; empty = <data dir>/terminal.db")


@dataclass(frozen=True)
class KioskSection:
    """The [kiosk] section: idle times and the kiosk window."""
    idle_timeout_s: int = opt(90, "Seconds without a touch before the idle warning", minval=10, maxval=3600)
    idle_warning_s: int = opt(15, "Seconds the idle warning counts down before the wipe", minval=3, maxval=120)
    fullscreen: bool = opt(True, "Full-screen, frameless kiosk mode")
    elderly_mode: bool = opt(False, "Start in elderly mode (large type, high contrast, voice)")
    voice: bool = opt(True, "Voice prompts where a speech engine exists")
    technician_pin_hash: str = opt(
        # argon2id of the demo PIN 246810; `hpf-diag set-pin` writes a terminal's own.
        "$argon2id$v=19$m=65536,t=3,p=4$fvZXEmSLee+4V4TJKKE9bg$9FnlhWNPkdefclM+tNQHQk4+xZLGyYvveYssZa5evUA",
        "argon2 hash of the technician PIN for maintenance mode (write it with `hpf-diag set-pin`)",
    )
    member_token_keys: str = opt("", "TOML file of the member-app QR token public keys with validity windows; "
                                     "empty = the shipped resources/keys/member_token_keys.toml (demo key)")
    orientation: str = opt("landscape", "Screen orientation", choices=("landscape", "portrait"))
    decision_wait_s: float = opt(5.0, "Seconds to wait for the centre's final decision on an application before "
                                 "showing the provisional one", minval=0.5, maxval=30)


@dataclass(frozen=True)
class CounterSection:
    """The [counter] section: the window number and the staff sign-in lockout."""
    window: str = opt("1", "Window number called out in the hall (e.g. 3 or A3)")
    lockout_failures: int = opt(5, "Failed sign-ins in a row before a staff account locks", minval=3, maxval=20)
    lockout_minutes: int = opt(15, "Minutes a locked staff account stays locked", minval=1, maxval=1440)
    idle_sign_out_s: int = opt(600, "Seconds without input before the clerk is signed out", minval=60, maxval=7200)
    idle_warning_s: int = opt(30, "Seconds the sign-out warning counts down", minval=5, maxval=300)


@dataclass(frozen=True)
class DeviceSection:
    """One device's driver and where the device is."""
    kind: str = opt("simulator", "Driver to use", choices=("simulator", "serial", "vendor", "camera",
                                                           "keyboard", "escpos", "opencv", "none"))
    uri: str = opt("", "Where the device is: a port, a printer URI, a camera index")
    baud: int = opt(115200, "Serial speed", minval=1200, maxval=921600)
    options: dict[str, Any] = opt({}, "Driver-specific settings")


@dataclass(frozen=True)
class DevicesSection:
    """The [devices] section: one entry per device of the terminal."""
    id_reader: DeviceSection = field(default_factory=DeviceSection)
    scanner: DeviceSection = field(default_factory=DeviceSection)
    printer: DeviceSection = field(default_factory=DeviceSection)
    camera: DeviceSection = field(default_factory=DeviceSection)


@dataclass(frozen=True)
class LoggingSection:
    """The [logging] section."""
    level: str = opt("INFO", "Log level", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    json: bool = opt(False, "Write JSON lines instead of plain text")
    file: bool = opt(True, "Write a rotating log file under the standard log directory")


@dataclass(frozen=True)
class Config:
    """A terminal's configuration (terminal.toml), one field per section."""
    version: int = opt(CONFIG_VERSION, "Configuration format version", minval=1, maxval=CONFIG_VERSION)
    demo: bool = opt(True, "Demo mode: simulated devices and a local ledger")
    terminal: TerminalSection = field(default_factory=TerminalSection)
    ledger: LedgerSection = field(default_factory=LedgerSection)
    store: StoreSection = field(default_factory=StoreSection)
    kiosk: KioskSection = field(default_factory=KioskSection)
    counter: CounterSection = field(default_factory=CounterSection)
    devices: DevicesSection = field(default_factory=DevicesSection)
    logging: LoggingSection = field(default_factory=LoggingSection)

    def store_path(self) -> Path:
        return Path(self.store.path) if self.store.path else paths.data_dir() / "terminal.db"

    def key_path(self) -> Path:
        """The terminal's private signing key file (it may not exist before enrolment)."""
        return Path(self.ledger.key_file) if self.ledger.key_file else paths.data_dir() / "terminal-key.pem"


def _type_name(tp: Any) -> str:
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false",
            dict: "a table"}.get(tp, getattr(tp, "__name__", str(tp)))


def _check_value(key: str, value: Any, tp: Any, meta: typing.Mapping[str, Any]) -> Any:
    origin = typing.get_origin(tp) or tp
    if origin is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    ok = isinstance(value, origin) and not (origin in (int, float) and isinstance(value, bool))
    if not ok:
        raise ConfigError(f"{key} = {value!r}: expected {_type_name(origin)}")
    choices = meta.get("choices") or ()
    if choices and value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ConfigError(f"{key} = {value!r}: not allowed; use one of {allowed}")
    lo, hi = meta.get("minval"), meta.get("maxval")
    if lo is not None and value < lo or hi is not None and value > hi:
        raise ConfigError(f"{key} = {value!r}: must be between {lo} and {hi}")
    return value


def build_section(cls: type, data: Any, prefix: str = "") -> Any:
    """Build a schema dataclass from parsed TOML (any program's schema written with `opt`)."""
    return _build(cls, data, prefix)


_BUILTIN_TYPES = {"str": str, "int": int, "float": float, "bool": bool}


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    """The fields' types as typing.get_type_hints gives them, without its compile per string annotation
    (~20 of them before the kiosk's first frame): a bare name is looked up in the class's module, then in
    the builtins; a class with a base or with any other annotation (dict[str, Any]) goes to get_type_hints."""
    if cls.__mro__[1:] == (object,):
        names = vars(sys.modules[cls.__module__])
        hints: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            tp = names.get(f.type, _BUILTIN_TYPES.get(f.type)) if isinstance(f.type, str) else f.type
            if not isinstance(tp, type):
                break
            hints[f.name] = tp
        else:
            return hints
    return typing.get_type_hints(cls)


def _build(cls: type, data: Any, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{prefix.rstrip('.') or 'file'}: expected a table, got {data!r}")
    hints = _field_types(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        key = f"{prefix}{unknown[0]}"
        raise ConfigError(f"{key}: unknown key; allowed here: {', '.join(sorted(fields))}")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        tp = hints[name]
        key = f"{prefix}{name}"
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            kwargs[name] = _build(tp, value, key + ".")
        elif isinstance(tp, types.UnionType):
            raise ConfigError(f"{key}: unsupported option type")  # pragma: no cover - schema bug
        else:
            kwargs[name] = _check_value(key, value, tp, fields[name].metadata)
    return cls(**kwargs)


MAX_DEPTH = 8  # [devices.printer.options] is 3 deep; anything past 8 is a mistake or an attack


def check_plain(data: Any, prefix: str = "", depth: int = 0) -> None:
    """Refuse NaN/inf (a timeout of nan seconds is no timeout) and tables nested deeper than MAX_DEPTH."""
    if depth > MAX_DEPTH:
        raise ConfigError(f"{prefix.rstrip('.') or 'file'}: nested more than {MAX_DEPTH} levels deep "
                          f"/ 嵌套超过 {MAX_DEPTH} 层")
    if isinstance(data, float) and not math.isfinite(data):
        raise ConfigError(f"{prefix.rstrip('.')} = {data!r}: must be a finite number / 必须是有限数值")
    if isinstance(data, dict):
        for key, value in data.items():
            check_plain(value, f"{prefix}{key}.", depth + 1)
    elif isinstance(data, list):
        for n, value in enumerate(data):
            check_plain(value, f"{prefix.rstrip('.')}[{n}].", depth + 1)


def load_toml_text(text: str, source: str) -> dict[str, Any]:
    """tomllib with the checks every HPF configuration gets (also the ledger's)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{source}: nested too deeply / 嵌套过深") from None
    try:
        check_plain(data)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    return data


def parse_config(text: str, source: str = "<text>") -> Config:
    data = load_toml_text(text, source)
    try:
        config: Config = _build(Config, data, "")
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    return config


def load_config(path: Path | None = None) -> Config:
    """Load the terminal's configuration; the defaults (demo) when no file exists."""
    explicit = path is not None
    path = path or paths.default_config_file()
    if not path.exists():
        if explicit:
            raise ConfigError(f"{path}: no such file")
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:  # an older file is upgraded in place first (infra/config_upgrade.py)
        text = upgrade_file(path, text, CONFIG_VERSION)
    except ConfigVersionError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return parse_config(text, str(path))


def describe_schema(root: type = Config) -> list[tuple[str, Any, str]]:
    """Every option as (key, default, help), for docs and `--help-config` (of `root`'s schema)."""
    rows: list[tuple[str, Any, str]] = []

    def walk(cls: type, instance: Any, prefix: str) -> None:
        for f in dataclasses.fields(cls):
            value = getattr(instance, f.name)
            if dataclasses.is_dataclass(value):
                walk(type(value), value, f"{prefix}{f.name}.")
            else:
                rows.append((f"{prefix}{f.name}", value, f.metadata.get("help", "")))

    walk(root, root(), "")
    return rows
