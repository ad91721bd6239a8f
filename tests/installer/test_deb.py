"""The Debian package of a terminal bundle: its contents, and maintainer scripts that keep the data.

Built here from a stand-in bundle (no PyInstaller run); the scripts run in a scratch folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from installer import bundle, deb

pytestmark = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed")


def _fake_bundle(tmp_path: Path, unsent: int | None) -> Path:
    app = tmp_path / "dist" / bundle.DIST_NAME
    (app / "_internal").mkdir(parents=True)
    status = "exit 0" if unsent is None else (
        f'echo \'{{"unsent": {unsent}, "for_clerk": 0}}\'; [ {unsent} = 0 ] && exit 0 || exit 3')
    (app / bundle.LAUNCHER).write_text(f"#!/bin/sh\n{status}\n", encoding="utf-8")
    (app / bundle.LAUNCHER).chmod(0o755)
    for program in bundle.VARIANTS["terminal"].programs:
        (app / program).symlink_to(bundle.LAUNCHER)
    return app


def test_the_package_holds_the_bundle_the_kiosk_session_and_keeps_the_config(tmp_path: Path) -> None:
    package = deb.build_deb(_fake_bundle(tmp_path, 0), tmp_path / "out", "0.2.0")
    assert package.name == "hpf-terminal_0.2.0_amd64.deb"
    info = subprocess.run(["dpkg-deb", "--info", str(package)], capture_output=True, text=True, check=True).stdout
    assert "Package: hpf-terminal" in info and "Version: 0.2.0" in info
    assert "cage" in info and "speech-dispatcher" in info and "pipewire-pulse | pulseaudio" in info
    listing = subprocess.run(["dpkg-deb", "--contents", str(package)], capture_output=True, text=True,
                             check=True).stdout
    for path in ("./opt/hpf-terminal/hpf-terminal", "./opt/hpf-terminal/hpf-kiosk -> hpf-terminal",
                 "./usr/bin/hpf-diag -> /opt/hpf-terminal/hpf-diag", "./lib/systemd/system/hpf-kiosk.service",
                 "./lib/udev/rules.d/70-hpf-terminal.rules", "./etc/pam.d/hpf-kiosk",
                 "./etc/hpf-terminal/terminal.toml"):
        assert path in listing, path
    assert "root/root" in listing and "./var/lib/hpf-terminal" not in listing  # data is made, never shipped
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "--control", str(package), str(control)], check=True)
    assert (control / "conffiles").read_text(encoding="utf-8").split() == ["/etc/hpf-terminal/terminal.toml",
                                                                            "/etc/pam.d/hpf-kiosk"]
    for script in ("postinst", "prerm", "postrm"):
        assert os.access(control / script, os.X_OK)
        subprocess.run(["sh", "-n", str(control / script)], check=True)


def _script(name: str, tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_text((deb.SCRIPTS / name).read_text(encoding="utf-8"), encoding="utf-8")
    path.chmod(0o755)
    # no systemd, loginctl or udevadm reachable: only what the scripts do to the data directory is tested
    clean = {"PATH": "/usr/bin:/bin", "HPF_DATA_DIR": str(tmp_path / "data"), "HPF_CONFIG_DIR": str(tmp_path / "etc"),
             **env}
    return subprocess.run([str(path), *args], capture_output=True, text=True, env=clean, timeout=60)


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "terminal.db").write_bytes(b"outbox")
    return data


def test_removal_keeps_the_data_and_purge_refuses_while_transactions_wait(tmp_path: Path) -> None:
    app = _fake_bundle(tmp_path, 3)
    data = _data(tmp_path)
    assert _script("prerm", tmp_path, "remove", HPF_PREFIX=str(app)).returncode == 0
    assert '"unsent": 3' in (data / ".unsent-at-removal").read_text(encoding="utf-8")
    assert _script("postrm", tmp_path, "remove").returncode == 0
    assert (data / "terminal.db").exists()
    refused = _script("postrm", tmp_path, "purge")
    assert refused.returncode == 1 and "3 transaction(s)" in refused.stderr and "3 笔业务未上传" in refused.stderr
    assert (data / "terminal.db").exists()
    forced = _script("postrm", tmp_path, "purge", HPF_FORCE_PURGE="1")
    assert forced.returncode == 0 and not data.exists()


def test_purge_deletes_the_data_once_everything_reached_the_centre(tmp_path: Path) -> None:
    app = _fake_bundle(tmp_path, 0)
    data = _data(tmp_path)
    assert _script("prerm", tmp_path, "remove", HPF_PREFIX=str(app)).returncode == 0
    assert _script("postrm", tmp_path, "purge").returncode == 0 and not data.exists()


def test_purge_without_a_readable_count_assumes_transactions_wait(tmp_path: Path) -> None:
    app = _fake_bundle(tmp_path, None)  # hpf-sync printed nothing (say, no configuration)
    data = _data(tmp_path)
    _script("prerm", tmp_path, "remove", HPF_PREFIX=str(app))
    refused = _script("postrm", tmp_path, "purge")
    assert refused.returncode == 1 and "unknown transaction(s)" in refused.stderr and data.exists()
    (data / ".unsent-at-removal").unlink()  # no record at all: the store is asked directly (python3 here)
    import sqlite3

    (data / "terminal.db").unlink()
    with sqlite3.connect(data / "terminal.db") as conn:
        conn.execute("CREATE TABLE outbox (seq INTEGER, state TEXT)")
        conn.executemany("INSERT INTO outbox VALUES (?, ?)", [(1, "acknowledged"), (2, "pending")])
    conn.close()
    refused = _script("postrm", tmp_path, "purge", PATH=os.environ.get("PATH", "/usr/bin:/bin"))
    assert refused.returncode == 1 and "1 transaction(s)" in refused.stderr


def test_an_upgrade_keeps_the_data_directory_as_it_is(tmp_path: Path) -> None:
    data = _data(tmp_path)
    assert _script("prerm", tmp_path, "upgrade", "0.2.0").returncode == 0
    assert _script("postrm", tmp_path, "upgrade", "0.2.0").returncode == 0
    assert (data / "terminal.db").read_bytes() == b"outbox" and not (data / ".unsent-at-removal").exists()


def test_the_package_depends_on_everything_the_install_script_installs() -> None:
    import re

    script = (bundle.INSTALLER / "linux" / "install.sh").read_text(encoding="utf-8")
    block = re.search(r"^PACKAGES=\(([^)]*)\)", script, re.M)
    assert block is not None
    installed = {w for line in block.group(1).splitlines() for w in line.split("#")[0].split()}
    declared = {alternative.strip() for dep in deb.DEPENDS for alternative in dep.split("|")}
    assert "libcups2" in installed and installed - declared == set()
