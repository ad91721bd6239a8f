#!/usr/bin/env bash
# Install HPF Terminal as a locked-down lobby kiosk on Debian 12 (or newer).
#
#   sudo installer/linux/install.sh [--bundle DIR] [--dry-run] [--root DIR] [--skip-packages]
#
# What it does, each step only when needed (a second run changes nothing):
#   1. Debian packages the kiosk needs at run time (cage, CJK font, zbar, libusb, Qt's Wayland/X11 libs)
#   2. the unprivileged user hpf-kiosk, in the groups dialout (ID-card reader), lp (receipt printer)
#      and video (cameras)
#   3. the packaged programs (./dev build -> dist/hpf-terminal) into /opt/hpf-terminal
#   4. /etc/hpf-terminal/terminal.toml from the template, only if there is none (never overwritten)
#   5. the udev rules, the PAM stack and the systemd unit, then enables hpf-kiosk.service at boot
#      (and restarts a running kiosk when its programs or unit changed)
#
# --dry-run  print every step it would take and change nothing (no root needed)
# --root DIR install into a system image mounted at DIR instead of this machine (no apt, no udevadm)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUNDLE="$(cd "$HERE/../.." && pwd)/dist/hpf-terminal"
ROOT=""
DRY_RUN=0
SKIP_PACKAGES=0

KIOSK_USER=hpf-kiosk
KIOSK_GROUPS=(dialout lp video)
KIOSK_HOME=/var/lib/hpf-terminal
PREFIX=/opt/hpf-terminal
CONFIG_DIR=/etc/hpf-terminal
UNIT=hpf-kiosk.service
# Run-time packages: the compositor and Xwayland (Qt's X11 fallback), a CJK font (Qt and raster
# receipts), zbar (pyzbar), libusb (USB printers), PulseAudio client (QtTextToSpeech loads it),
# speech-dispatcher with espeak-ng (voice prompts; its Mandarin voice), and the system libraries the Qt platform plugins open.
PACKAGES=(cage xwayland fonts-noto-cjk fontconfig libzbar0 libusb-1.0-0 libpulse0 speech-dispatcher
  espeak-ng speech-dispatcher-espeak-ng
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libwayland-client0 libwayland-cursor0
  libwayland-egl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-randr0
  libcups2 libglib2.0-0 libx11-6 libx11-xcb1 libxcb1 libfreetype6 libsndfile1 libv4l-0)  # left to the system by the bundle

usage() { awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "${BASH_SOURCE[0]}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --bundle) BUNDLE="${2:?--bundle needs a directory}"; shift ;;
    --root) ROOT="${2:?--root needs a directory}"; ROOT="${ROOT%/}"; shift ;;
    --skip-packages) SKIP_PACKAGES=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '[install] %s\n' "$*"; }
# Every change goes through run: printed always, executed unless --dry-run.
run() {
  local shown
  shown="$(printf '%q ' "$@")"
  if [ "$DRY_RUN" = 1 ]; then say "would run: ${shown% }"; else say "+ ${shown% }"; "$@"; fi
}

if [ "$DRY_RUN" = 0 ] && [ "$(id -u)" != 0 ]; then
  echo "install.sh: run as root (sudo), or with --dry-run to see the steps" >&2; exit 1
fi
if [ ! -x "$BUNDLE/hpf-kiosk" ]; then
  echo "install.sh: no packaged hpf-kiosk in $BUNDLE; run ./dev build first or pass --bundle DIR" >&2; exit 1
fi

# Copy FILE to DEST (under --root) with MODE, only when the content differs.
put_file() {
  local src="$1" dest="$ROOT$2" mode="$3"
  if [ -f "$dest" ] && cmp -s "$src" "$dest"; then say "up to date: $2"; return 1; fi
  run install -D -m "$mode" "$src" "$dest"
  return 0
}

# 1. packages
if [ "$SKIP_PACKAGES" = 1 ] || [ -n "$ROOT" ]; then
  say "packages: skipped (${ROOT:+--root; install them in the image: }${PACKAGES[*]})"
else
  missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "packages: all installed"
  else
    run apt-get update -qq
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

# 2. the kiosk user (a local system user: looked up in the passwd/group files, also under --root)
root_args=()
[ -n "$ROOT" ] && root_args=(--root "$ROOT")
member_of() { awk -F: -v u="$KIOSK_USER" '{n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) print $1}' \
  "$ROOT/etc/group" 2>/dev/null || true; }
if grep -q "^$KIOSK_USER:" "$ROOT/etc/passwd" 2>/dev/null; then
  current=" $(member_of | tr '\n' ' ') "
  for g in "${KIOSK_GROUPS[@]}"; do
    case "$current" in *" $g "*) ;; *) run usermod "${root_args[@]}" -a -G "$g" "$KIOSK_USER" ;; esac
  done
  say "user $KIOSK_USER: present"
else
  groups_csv="$(IFS=,; echo "${KIOSK_GROUPS[*]}")"
  run useradd "${root_args[@]}" --system --user-group --home-dir "$KIOSK_HOME" --no-create-home \
    --shell /usr/sbin/nologin --comment "HPF Terminal kiosk" --groups "$groups_csv" "$KIOSK_USER"
fi
# The group as a number, so chgrp also works for an image under --root (the name until it exists).
kiosk_gid="$(awk -F: -v g="$KIOSK_USER" '$1 == g {print $3}' "$ROOT/etc/group" 2>/dev/null || true)"
kiosk_gid="${kiosk_gid:-$KIOSK_USER}"

# 3. the programs: copied beside the old ones, then swapped, so a failed copy leaves a working kiosk
restart=0  # a running kiosk picks up new programs or a new unit only when restarted
if [ -d "$ROOT$PREFIX" ] && diff -rq "$BUNDLE" "$ROOT$PREFIX" >/dev/null 2>&1; then
  say "programs: $PREFIX up to date"
else
  restart=1
  run rm -rf "$ROOT$PREFIX.new"
  run mkdir -p "$(dirname "$ROOT$PREFIX")"
  run cp -a "$BUNDLE" "$ROOT$PREFIX.new"
  run rm -rf "$ROOT$PREFIX.old"
  [ -d "$ROOT$PREFIX" ] && run mv "$ROOT$PREFIX" "$ROOT$PREFIX.old"
  run mv "$ROOT$PREFIX.new" "$ROOT$PREFIX"
  run rm -rf "$ROOT$PREFIX.old"
fi

# 4. configuration: the template once; the technician's file is never overwritten
if [ -f "$ROOT$CONFIG_DIR/terminal.toml" ]; then
  say "configuration: $CONFIG_DIR/terminal.toml kept"
else
  run install -d -m 0750 "$ROOT$CONFIG_DIR"
  # readable by the kiosk user only: it holds the ledger secret once filled in
  run install -m 0640 "$HERE/terminal.toml" "$ROOT$CONFIG_DIR/terminal.toml"
  run chgrp "$kiosk_gid" "$ROOT$CONFIG_DIR" "$ROOT$CONFIG_DIR/terminal.toml"
  say "configuration: edit $CONFIG_DIR/terminal.toml (demo = false, terminal id, ledger, devices)"
fi

# 5. udev rules, PAM stack, systemd unit
if put_file "$HERE/70-hpf-terminal.rules" /etc/udev/rules.d/70-hpf-terminal.rules 0644 && [ -z "$ROOT" ]; then
  run udevadm control --reload
  run udevadm trigger --subsystem-match=tty --subsystem-match=usb --subsystem-match=usbmisc \
    --subsystem-match=video4linux
fi
put_file "$HERE/hpf-kiosk.pam" /etc/pam.d/hpf-kiosk 0644 || true
if put_file "$HERE/$UNIT" "/etc/systemd/system/$UNIT" 0644 && [ -z "$ROOT" ]; then
  run systemctl daemon-reload
  restart=1
fi
systemctl_args=()
[ -n "$ROOT" ] && systemctl_args=("--root=$ROOT")
if [ -n "$ROOT" ]; then
  enabled() { [ -L "$ROOT/etc/systemd/system/graphical.target.wants/$UNIT" ]; }
  default_target() { basename "$(readlink "$ROOT/etc/systemd/system/default.target" 2>/dev/null || echo none)"; }
else
  enabled() { systemctl is-enabled --quiet "$UNIT" 2>/dev/null; }
  default_target() { systemctl get-default 2>/dev/null || echo none; }
fi
if enabled; then
  say "service: $UNIT enabled"
else
  run systemctl "${systemctl_args[@]}" enable "$UNIT"
fi
if [ "$(default_target)" = graphical.target ]; then
  say "boot target: graphical.target"
else
  run systemctl "${systemctl_args[@]}" set-default graphical.target
fi

if [ -z "$ROOT" ] && [ "$restart" = 1 ] && systemctl is-active --quiet "$UNIT" 2>/dev/null; then
  run systemctl restart "$UNIT"
fi

say "done. Start now with: systemctl start $UNIT (or reboot); logs: journalctl -u $UNIT"
