"""The centre's service files: systemd units, backup timer, nginx example, install script."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from installer import bundle
from ledger.cli import _parser
from tests.installer.test_lockdown import _one, parse_unit

CENTRE = bundle.INSTALLER / "centre"
CONFIG = "/etc/hpf-ledger/ledger.toml"
UNITS = ("hpf-ledger.service", "hpf-exchange.service", "hpf-ledger-backup.service", "hpf-ledger-backup.timer")


def _unit(name: str) -> dict[str, list[tuple[str, str]]]:
    return parse_unit((CENTRE / name).read_text(encoding="utf-8"))


def test_the_ledger_unit_migrates_then_serves_from_the_config_as_its_own_user() -> None:
    service = _unit("hpf-ledger.service")["Service"]
    assert _one(service, "User") == "hpf-ledger" == _one(service, "Group")
    pre, start = shlex.split(_one(service, "ExecStartPre")), shlex.split(_one(service, "ExecStart"))
    assert pre[:2] == ["/opt/hpf-centre/bin/hpf-ledger", "migrate"] and start[1] == "serve"
    assert pre[2:] == start[2:] == ["--config", CONFIG]
    _parser().parse_args(pre[1:])  # the command line the unit runs is one hpf-ledger accepts
    assert "serve" in _parser().format_help()
    assert _one(service, "Restart") == "on-failure" and _one(service, "ProtectSystem") == "strict"


def test_the_backup_timer_runs_a_backup_command_hpf_ledger_accepts() -> None:
    service = _unit("hpf-ledger-backup.service")["Service"]
    command = shlex.split(_one(service, "ExecStart"))
    assert command[0] == "/opt/hpf-centre/bin/hpf-ledger"
    args = _parser().parse_args(command[1:])
    assert args.command == "backup" and args.config == CONFIG and args.out == "/var/lib/hpf-ledger/backups/"
    assert _one(_unit("hpf-ledger-backup.timer")["Timer"], "Persistent") == "true"


def test_the_exchange_simulator_unit_runs_hpf_exchange_serve_with_the_same_config() -> None:
    start = shlex.split(_one(_unit("hpf-exchange.service")["Service"], "ExecStart"))
    assert start == ["/opt/hpf-centre/bin/hpf-exchange", "serve", "--config", CONFIG]


def test_nginx_terminates_tls_and_proxies_to_the_loopback_ledger() -> None:
    text = (CENTRE / "nginx-hpf-ledger.conf").read_text(encoding="utf-8")
    assert re.search(r"^\s*listen 443 ssl;", text, re.M) and "return 301 https://" in text
    assert re.search(r"server 127\.0\.0\.1:(\d+);", text)
    protocols = re.search(r"ssl_protocols ([^;]+);", text)
    assert protocols and set(protocols.group(1).split()) == {"TLSv1.2", "TLSv1.3"}
    assert text.count("{") == text.count("}")
    example = (CENTRE / "ledger.toml.example").read_text(encoding="utf-8")
    import tomllib

    config = tomllib.loads(example)
    upstream = re.search(r"server (127\.0\.0\.1:\d+);", text)
    assert upstream and config["server"]["bind"] == upstream.group(1)
    assert {"url"} <= set(config["database"]) and "url" in config["exchange"] and config["server"]["workers"] >= 1


def test_the_install_script_is_valid_shell_and_installs_the_centre_extra_only() -> None:
    script = (CENTRE / "install.sh").read_text(encoding="utf-8")
    subprocess.run(["sh", "-n", str(CENTRE / "install.sh")], check=True)
    assert '"$WHEEL[centre]"' in script and "terminal]" not in script
    for unit in UNITS:
        assert unit in script


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("name", UNITS)
def test_systemd_accepts_every_centre_unit(name: str, tmp_path: Path) -> None:
    for unit in UNITS:  # the timer needs its service beside it
        shutil.copy(CENTRE / unit, tmp_path / unit)
    done = subprocess.run(["systemd-analyze", "verify", str(tmp_path / name)], capture_output=True, text=True,
                          timeout=60)
    # the centre is not installed on a build machine; everything else must pass
    problems = [line for line in (done.stdout + done.stderr).splitlines()
                if line.strip() and "is not executable" not in line and "No such file or directory" not in line]
    assert problems == []
