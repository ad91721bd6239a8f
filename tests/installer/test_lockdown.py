"""The Linux kiosk lockdown files: systemd unit, PAM stack, udev rules, install script."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from installer import bundle

LINUX = bundle.INSTALLER / "linux"
UNIT = LINUX / "hpf-kiosk.service"
RULES = LINUX / "70-hpf-terminal.rules"
PAM = LINUX / "hpf-kiosk.pam"
INSTALL = LINUX / "install.sh"


def _script_var(name: str) -> str:
    """A plain assignment NAME=value (or NAME=(a b c)) at the top of install.sh."""
    m = re.search(rf"^{name}=(\([^)]*\)|\S+)$", INSTALL.read_text(encoding="utf-8"), re.M)
    assert m, f"install.sh has no {name}="
    return m.group(1).strip("()")


KIOSK_USER = _script_var("KIOSK_USER")
KIOSK_GROUPS = _script_var("KIOSK_GROUPS").split()
PREFIX = _script_var("PREFIX")
CONFIG_DIR = _script_var("CONFIG_DIR")


def parse_unit(text: str) -> dict[str, list[tuple[str, str]]]:
    """A systemd unit file as {section: [(key, value), ...]} (keys may repeat, as systemd allows)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        key, sep, value = line.partition("=")
        assert sep and current is not None and re.fullmatch(r"[A-Za-z]+", key), f"line {number}: {raw!r}"
        current.append((key, value))
    return sections


def _one(section: list[tuple[str, str]], key: str) -> str:
    values = [v for k, v in section if k == key]
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


def test_the_unit_runs_the_packaged_kiosk_as_the_kiosk_user_in_cage() -> None:
    unit = parse_unit(UNIT.read_text(encoding="utf-8"))
    assert set(unit) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    assert _one(service, "User") == KIOSK_USER == _one(service, "Group")
    exec_start = _one(service, "ExecStart").split()
    assert exec_start[0] == "/usr/bin/cage" and "--" in exec_start
    program = exec_start[exec_start.index("--") + 1:]
    assert program == [f"{PREFIX}/hpf-kiosk", "--config", f"{CONFIG_DIR}/terminal.toml"]
    assert _one(service, "Restart") == "always"
    assert _one(service, "StandardOutput") == _one(service, "StandardError") == "journal"
    assert _one(service, "PAMName") == PAM.stem
    env = dict(v.split("=", 1) for k, v in service if k == "Environment")
    assert env["HPF_HOME"] == f"/var/lib/{_one(service, 'StateDirectory')}" == _script_var("KIOSK_HOME")
    assert _one(service, "TTYPath") == "/dev/tty1" and ("Conflicts", "getty@tty1.service") in unit["Unit"]
    assert _one(unit["Install"], "WantedBy") == "graphical.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_every_line_of_the_unit(tmp_path: Path) -> None:
    copy = tmp_path / UNIT.name
    shutil.copy(UNIT, copy)
    done = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    # cage and the packaged kiosk are not installed on a build machine; everything else must pass
    problems = [line for line in (done.stdout + done.stderr).splitlines()
                if line.strip() and "is not executable" not in line and "No such file or directory" not in line]
    assert problems == []


def test_the_pam_stack_opens_a_logind_session() -> None:
    rows = [line.split() for line in PAM.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert all(len(r) >= 3 and r[0] in ("auth", "account", "session", "password") for r in rows)
    assert ["session", "required", "pam_systemd.so"] in rows


UDEV_TOKEN = re.compile(r'(?P<key>[A-Z_]+)(?:\{(?P<attr>[A-Za-z0-9_]+)\})?(?P<op>==|!=|\+=|-=|:=|=)"(?P<value>[^"]*)"')
UDEV_MATCH_KEYS = {"ACTION", "SUBSYSTEM", "SUBSYSTEMS", "KERNEL", "KERNELS", "ENV", "ATTR", "ATTRS", "DRIVERS",
                   "TAG"}
UDEV_ASSIGN_KEYS = {"GROUP", "MODE", "OWNER", "SYMLINK", "TAG", "ENV", "RUN"}


def parse_rules(text: str, *, include_commented: bool) -> list[list[re.Match[str]]]:
    rules = []
    for line in text.splitlines():
        if include_commented and re.match(r"^#[A-Z]+[{=!]", line):
            line = line[1:]
        if not line.strip() or line.startswith("#"):
            continue
        tokens = [t.strip() for t in line.split(", ")]
        matches = [UDEV_TOKEN.fullmatch(t) for t in tokens]
        assert all(matches), f"cannot parse udev rule: {line!r}"
        rules.append([m for m in matches if m])
    return rules


def test_every_udev_rule_matches_something_and_grants_a_group_the_kiosk_user_has() -> None:
    rules = parse_rules(RULES.read_text(encoding="utf-8"), include_commented=True)
    assert len(rules) >= 7
    for tokens in rules:
        matches = [t for t in tokens if t["op"] in ("==", "!=")]
        assigns = [t for t in tokens if t["op"] not in ("==", "!=")]
        assert matches and assigns
        assert all(t["key"] in UDEV_MATCH_KEYS for t in matches)
        assert all(t["key"] in UDEV_ASSIGN_KEYS for t in assigns)
        for t in assigns:
            if t["key"] == "GROUP":
                assert t["value"] in [*KIOSK_GROUPS, KIOSK_USER]
            if t["key"] == "MODE":
                assert re.fullmatch(r"0[0-7]{3}", t["value"]) and t["value"][3] == "0"  # never world-accessible


def test_the_active_udev_rules_cover_reader_printer_and_cameras() -> None:
    active = parse_rules(RULES.read_text(encoding="utf-8"), include_commented=False)
    subsystems = {t["value"]: next(g["value"] for g in r if g["key"] == "GROUP")
                  for r in active for t in r if t["key"] == "SUBSYSTEM"}
    assert subsystems == {"tty": "dialout", "usb": "lp", "usbmisc": "lp", "video4linux": "video"}
    assert sorted(KIOSK_GROUPS) == ["dialout", "lp", "video"]


# -- install.sh ---------------------------------------------------------------------------------------


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "hpf-kiosk").write_text("#!/bin/sh\n", encoding="utf-8")
    (folder / "hpf-kiosk").chmod(0o755)
    return folder


def _install(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(INSTALL), *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "LC_ALL": "C"})


def test_the_install_script_is_valid_bash() -> None:
    assert subprocess.run(["bash", "-n", str(INSTALL)], capture_output=True, timeout=30).returncode == 0


def test_dry_run_prints_every_step_and_changes_nothing(tmp_path: Path, fake_bundle: Path) -> None:
    image = tmp_path / "image"
    done = _install("--dry-run", "--root", str(image), "--bundle", str(fake_bundle))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    steps = [
        f"would run: useradd --root {image} --system --user-group --home-dir /var/lib/hpf-terminal",
        f"--groups dialout\\,lp\\,video {KIOSK_USER}",
        f"would run: cp -a {fake_bundle} {image}{PREFIX}.new",
        f"would run: install -m 0640 {LINUX}/terminal.toml {image}{CONFIG_DIR}/terminal.toml",
        f"would run: install -D -m 0644 {RULES} {image}/etc/udev/rules.d/70-hpf-terminal.rules",
        f"would run: install -D -m 0644 {PAM} {image}/etc/pam.d/hpf-kiosk",
        f"would run: install -D -m 0644 {UNIT} {image}/etc/systemd/system/hpf-kiosk.service",
        f"would run: systemctl --root={image} enable hpf-kiosk.service",
        f"would run: systemctl --root={image} set-default graphical.target",
    ]
    positions = [out.find(step) for step in steps]
    assert -1 not in positions, [s for s, p in zip(steps, positions, strict=True) if p < 0]
    assert positions == sorted(positions)  # in this order
    assert "packages: skipped" in out and "cage" in out  # an image gets its packages from its builder
    assert not image.exists()


def test_without_a_build_the_script_says_what_to_do(tmp_path: Path) -> None:
    done = _install("--dry-run", "--bundle", str(tmp_path))
    assert done.returncode == 1
    assert "./dev build" in done.stderr


def test_an_unknown_option_is_refused() -> None:
    done = _install("--frobnicate")
    assert done.returncode == 2 and "unknown option --frobnicate" in done.stderr


def _image(tmp_path: Path) -> Path:
    image = tmp_path / "image"
    (image / "etc").mkdir(parents=True)
    (image / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (image / "etc" / "group").write_text("root:x:0:\ndialout:x:20:\nlp:x:7:\nvideo:x:44:\n", encoding="utf-8")
    (image / "etc" / "shadow").write_text("root:*:19000:0:99999:7:::\n", encoding="utf-8")
    (image / "etc" / "gshadow").write_text("root:*::\ndialout:*::\nlp:*::\nvideo:*::\n", encoding="utf-8")
    (image / "etc" / "shadow").chmod(0o640)
    target = image / "lib" / "systemd" / "system" / "graphical.target"
    target.parent.mkdir(parents=True)
    target.write_text("[Unit]\nDescription=Graphical Interface\n", encoding="utf-8")
    return image


@pytest.mark.skipif(os.geteuid() != 0 or not all(shutil.which(t) for t in ("useradd", "systemctl")),
                    reason="installing into an image needs root, useradd and systemctl")
def test_installing_into_an_image_twice_changes_nothing_the_second_time(tmp_path: Path, fake_bundle: Path) -> None:
    image = _image(tmp_path)
    first = _install("--root", str(image), "--bundle", str(fake_bundle))
    assert first.returncode == 0, first.stderr
    assert re.search(rf"^{KIOSK_USER}:x:\d+:\d+:", (image / "etc/passwd").read_text(encoding="utf-8"), re.M)
    groups = (image / "etc/group").read_text(encoding="utf-8")
    assert all(re.search(rf"^{g}:x:\d+:{KIOSK_USER}$", groups, re.M) for g in KIOSK_GROUPS)
    assert (image / PREFIX.lstrip("/") / "hpf-kiosk").is_file()
    config = image / CONFIG_DIR.lstrip("/") / "terminal.toml"
    assert oct(config.stat().st_mode & 0o777) == "0o640"
    assert (image / "etc/systemd/system/graphical.target.wants/hpf-kiosk.service").is_symlink()
    config.write_text('demo = false\n', encoding="utf-8")  # the technician's edit

    second = _install("--root", str(image), "--bundle", str(fake_bundle))
    assert second.returncode == 0, second.stderr
    assert "[install] + " not in second.stdout  # nothing to do
    assert config.read_text(encoding="utf-8") == "demo = false\n"
