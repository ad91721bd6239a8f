"""A Debian package (.deb) of a terminal bundle, built with dpkg-deb.

    python -m installer.deb [dist/hpf-terminal] [--out dist/] [--version 0.1.0]
    (or: ./dev build --deb, after the bundle is built)

What the package holds: the bundle in /opt/hpf-terminal (programs linked from /usr/bin), the
cage kiosk session (hpf-kiosk.service with its PAM stack), the udev rules, the configuration
template as a conffile (/etc/hpf-terminal/terminal.toml), and maintainer scripts that:

- postinst: make the service user hpf-kiosk (groups dialout, lp, video, audio), the data
  directory /var/lib/hpf-terminal (kept as it is on upgrade), let the user's audio session run
  (loginctl enable-linger: PipeWire/PulseAudio and speech-dispatcher for the voice prompts),
  reload udev and systemd, enable the kiosk at boot and restart it on upgrade;
- prerm: stop the kiosk, and record how many transactions still wait in the outbox
  (`hpf-sync status`), because after removal the programs are gone;
- postrm: `remove` keeps the data directory; `purge` refuses while that record (or the store
  itself) shows unsent transactions, unless HPF_FORCE_PURGE=1, then deletes the data directory.

The scripts read HPF_PREFIX / HPF_DATA_DIR / HPF_CONFIG_DIR only so tests can run them in a
scratch folder; a real installation never sets them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from installer import bundle

PACKAGE = "hpf-terminal"
PREFIX = "/opt/hpf-terminal"
DATA_DIR = "/var/lib/hpf-terminal"
CONFIG_DIR = "/etc/hpf-terminal"
LINUX = bundle.INSTALLER / "linux"
SCRIPTS = LINUX / "deb"  # postinst, prerm, postrm (POSIX sh)
# Run-time packages (as installer/linux/install.sh), plus audio for the voice prompts.
DEPENDS = ("cage", "xwayland", "fonts-noto-cjk", "fontconfig", "libzbar0", "libusb-1.0-0", "libpulse0",
           "speech-dispatcher", "espeak-ng", "speech-dispatcher-espeak-ng", "pipewire-pulse | pulseaudio",
           "wireplumber | pulseaudio",
           "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3", "libxkbcommon0", "libwayland-client0",
           "libwayland-cursor0", "libwayland-egl1", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4",
           "libxcb-keysyms1", "libxcb-shape0", "libxcb-render-util0", "libxcb-image0", "libxcb-xinerama0",
           "libxcb-randr0", "adduser", "systemd", "udev",
           # the system libraries the bundle leaves to the system (installer/bundle.py SYSTEM_PROVIDED)
           "libcups2", "libglib2.0-0", "libx11-6", "libx11-xcb1", "libxcb1", "libfreetype6", "libsystemd0",
           "libsndfile1", "libjpeg62-turbo", "libpng16-16", "libv4l-0", "libudev1")





def project_version() -> str:
    data = tomllib.loads((bundle.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def control(version: str, installed_kb: int, arch: str = "amd64") -> str:
    return (f"Package: {PACKAGE}\nVersion: {version}\nSection: misc\nPriority: optional\nArchitecture: {arch}\n"
            f"Maintainer: HPF Terminal maintainers <hpf-terminal@invalid>\nInstalled-Size: {installed_kb}\n"
            f"Depends: {', '.join(DEPENDS)}\n"
            "Description: HPF Terminal lobby kiosk and counter programs (住房公积金自助终端)\n"
            " The terminal product of HPF Terminal: hpf-kiosk in a cage kiosk session on tty1, hpf-counter,\n"
            " hpf-diag and hpf-sync, with udev rules and a service user. The data directory\n"
            " /var/lib/hpf-terminal (outbox, keys, logs) survives upgrades and removal; purging refuses\n"
            " while transactions wait for the centre, unless HPF_FORCE_PURGE=1.\n")


def stage(app_dir: Path, root: Path, version: str) -> Path:
    """Lay out the package tree under `root`; returns it."""
    opt = root / PREFIX.lstrip("/")
    shutil.copytree(app_dir, opt, symlinks=True)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    for program in sorted(p.name for p in opt.iterdir() if p.is_symlink()):
        (usr_bin / program).symlink_to(f"{PREFIX}/{program}")
    for src, dest in ((LINUX / "hpf-kiosk.service", "lib/systemd/system/hpf-kiosk.service"),
                      (LINUX / "70-hpf-terminal.rules", "lib/udev/rules.d/70-hpf-terminal.rules"),
                      (LINUX / "hpf-kiosk.pam", "etc/pam.d/hpf-kiosk"),
                      (LINUX / "terminal.toml", "etc/hpf-terminal/terminal.toml")):
        target = root / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
        target.chmod(0o644)
    debian = root / "DEBIAN"
    debian.mkdir()
    size_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    (debian / "control").write_text(control(version, size_kb), encoding="utf-8")
    (debian / "conffiles").write_text("/etc/hpf-terminal/terminal.toml\n/etc/pam.d/hpf-kiosk\n", encoding="utf-8")
    for name in ("postinst", "prerm", "postrm"):
        shutil.copyfile(SCRIPTS / name, debian / name)
        (debian / name).chmod(0o755)
    return root


def build_deb(app_dir: Path, out_dir: Path, version: str | None = None) -> Path:
    version = version or project_version()
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{PACKAGE}_{version}_amd64.deb"
    with tempfile.TemporaryDirectory(prefix="hpf-deb-") as tmp:
        root = stage(app_dir, Path(tmp) / "root", version)
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)], check=True,
                       capture_output=True)
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m installer.deb", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle", nargs="?", type=Path, default=bundle.ROOT / "dist" / bundle.DIST_NAME)
    parser.add_argument("--out", type=Path, default=bundle.ROOT / "dist")
    parser.add_argument("--version", default=None)
    args = parser.parse_args(argv)
    if not (args.bundle / bundle.LAUNCHER).exists():
        print(f"no bundle at {args.bundle}: run ./dev build first", file=sys.stderr)
        return 2
    if shutil.which("dpkg-deb") is None:
        print("dpkg-deb not found (Debian/Ubuntu only)", file=sys.stderr)
        return 2
    deb = build_deb(args.bundle, args.out, args.version)
    print(f"{deb}: {os.path.getsize(deb) / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
