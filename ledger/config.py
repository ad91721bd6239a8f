"""The ledger's configuration: one TOML file, its schema declared once below (like infra.config).

    hpf-ledger serve --config /etc/hpf/ledger.toml
    hpf-ledger --help-config          # every key with its default and help

Each section is a frozen dataclass; a bad value is reported with its key, the value and what is
allowed; NaN/inf and deeply nested tables are refused. Command-line flags override the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from infra.config import ConfigError, build_section, describe_schema, load_toml_text, opt
from infra.production import DemoCredential


@dataclass(frozen=True)
class DatabaseSection:
    url: str = opt("", "SQLAlchemy URL: sqlite:///path/ledger.db or postgresql://user@host:5432/db; "
                       "empty = ledger.db in the data directory")


@dataclass(frozen=True)
class ServerSection:
    host: str = opt("127.0.0.1", "Address to listen on (loopback by default; a centre puts TLS in front)")
    port: int = opt(8765, "TCP port", minval=1, maxval=65535)
    workers: int = opt(1, "Worker processes (stateless: nonces and keys live in the database)", minval=1, maxval=64)
    log_level: str = opt("INFO", "Log level", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    access_log: bool = opt(False, "Log every request")


@dataclass(frozen=True)
class ExchangeSection:
    # The provincial data-sharing exchange (政务数据共享交换平台): where it is and the key it signs its
    # answers with (ledger.exchange.settings; per-topic cache ages keep their defaults there).
    url: str = opt("", "Base URL of the data-sharing exchange; empty = the local simulator's default")
    public_key: str = opt("", "Base64 raw Ed25519 public key the exchange signs answers with; "
                              "empty = the simulator's demo key (refused with demo = false)")
    key_id: str = opt("", "Key id the exchange's answers name; empty = the simulator's demo key id")
    timeout_s: float = opt(3.0, "Seconds per look-up attempt", minval=0.1, maxval=60)
    retries: int = opt(2, "Further attempts after a timeout, refused connection or 5xx", minval=0, maxval=10)


@dataclass(frozen=True)
class KeysSection:
    # Key material of the centre itself (never a terminal's: terminals keep their private keys).
    dir: str = opt("", "Folder of the ledger's own key files (mode 0700); empty = <data dir>/ledger-keys")
    audit_signing_key: str = opt("", "PEM private key that signs the audit chain and its exported heads "
                                     "(hpf-ledger audit new-key FILE); empty = the demo key (refused "
                                     "with demo = false)")
    audit_heads_dir: str = opt("", "Folder outside the database where signed audit heads are exported; "
                                   "empty = <data dir>/audit-heads")
    member_token_keys: str = opt("", "TOML file of the member-app QR token public keys (with validity windows) "
                                     "the ledger trusts; empty = the shipped demo file")


@dataclass(frozen=True)
class TerminalsSection:
    enrolment_code_ttl_h: float = opt(24.0, "Hours a one-time enrolment code stays valid", minval=0.1, maxval=720)


@dataclass(frozen=True)
class RulesSection:
    policy_city: str = opt("taiyuan", "Policy file under resources/policy/ (without .toml)")
    fraud_screening: bool = opt(True, "Cross-member fraud signals on every withdrawal (send to a clerk)")
    password_max_failures: int = opt(5, "Wrong query passwords before a member is locked out", minval=1, maxval=50)
    password_lockout_s: int = opt(900, "Seconds a member stays locked out", minval=10, maxval=86400)


@dataclass(frozen=True)
class SessionsSection:
    # Member sessions (ledger.sessions): opened only after the ledger verified the member itself.
    ttl_s: int = opt(600, "Seconds a member session lasts", minval=30, maxval=3600)
    reads_per_minute: int = opt(30, "Personal look-ups one terminal may make per minute (then 429)",
                                minval=1, maxval=100_000)
    distinct_members_alert: int = opt(40, "Distinct members one terminal may read within the window before "
                                          "an alert", minval=1, maxval=100_000)
    window_s: int = opt(3600, "Window of the distinct-member alert, in seconds", minval=60, maxval=86400)


@dataclass(frozen=True)
class LedgerConfig:
    version: int = opt(1, "Configuration format version", minval=1, maxval=1)
    demo: bool = opt(True, "Demo mode: demo terminals and keys allowed; false = production, refuses them")
    database: DatabaseSection = field(default_factory=DatabaseSection)
    server: ServerSection = field(default_factory=ServerSection)
    exchange: ExchangeSection = field(default_factory=ExchangeSection)
    keys: KeysSection = field(default_factory=KeysSection)
    terminals: TerminalsSection = field(default_factory=TerminalsSection)
    rules: RulesSection = field(default_factory=RulesSection)
    sessions: SessionsSection = field(default_factory=SessionsSection)


def parse_ledger_config(text: str, source: str = "<text>") -> LedgerConfig:
    data = load_toml_text(text, source)
    try:
        config: LedgerConfig = build_section(LedgerConfig, data)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    return config


def load_ledger_config(path: Path | None) -> LedgerConfig:
    if path is None:
        return LedgerConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return parse_ledger_config(text, str(path))


def help_config() -> str:
    return "\n".join(f"{key} = {default!r}\n    {text}" for key, default, text in describe_schema(LedgerConfig))


def demo_terminal_problems(active_keys: list[tuple[str, str, str]]) -> list[DemoCredential]:
    """Active terminal keys (key id, terminal id, public key) that are demo keys."""
    from infra.production import DEMO_TERMINAL_PUBLIC_KEYS

    demo = set(DEMO_TERMINAL_PUBLIC_KEYS.values())
    return [DemoCredential(f"terminal {terminal_id} (key {key_id})",
                           f"is enrolled with a demo key; run: hpf-ledger terminals revoke {terminal_id}",
                           f"使用演示密钥登记，请运行 hpf-ledger terminals revoke {terminal_id}")
            for key_id, terminal_id, public in active_keys if public in demo]
