#!/bin/sh
# Install or upgrade the HPF centre (ledger service) on Debian 12 from a wheel of this project:
#   sudo installer/centre/install.sh dist/hpf_terminal-*.whl [--with-exchange] [--dry-run]
# Installs the centre extra only (FastAPI, uvicorn, psycopg; no Qt) into a new virtual environment
# that /opt/hpf-centre then points to, the service user, the
# configuration (kept when present), the units; then migrates and (re)starts the ledger.
set -eu

PREFIX=/opt/hpf-centre
SERVICE_USER=hpf-ledger
CONFIG_DIR=/etc/hpf-ledger
UNIT_DIR=/etc/systemd/system
HERE=$(cd "$(dirname "$0")" && pwd)

WHEEL="${1:?usage: install.sh WHEEL [--with-exchange] [--dry-run]}"; shift
EXCHANGE=no; DRY=no
for arg in "$@"; do
  case "$arg" in
    --with-exchange) EXCHANGE=yes ;;
    --dry-run) DRY=yes ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done
run() { echo "+ $*"; [ "$DRY" = yes ] || "$@"; }

run apt-get install -y --no-install-recommends python3 python3-venv postgresql-client
getent passwd "$SERVICE_USER" >/dev/null || run useradd --system --home-dir /var/lib/hpf-ledger --shell /usr/sbin/nologin "$SERVICE_USER"
# Each release gets its own environment; /opt/hpf-centre is a link swapped in one step once the new
# one is complete, and the previous release stays for a rollback (relink, restart).
RELEASE="$PREFIX-$(date -u +%Y%m%d%H%M%S)"
run python3 -m venv "$RELEASE"
run "$RELEASE/bin/pip" install --quiet "$WHEEL[centre]"
run ln -sfn "$RELEASE" "$PREFIX.next"
run mv -T "$PREFIX.next" "$PREFIX"
run install -d -m 0750 -g "$SERVICE_USER" "$CONFIG_DIR"
[ -f "$CONFIG_DIR/ledger.toml" ] || run install -m 0640 -g "$SERVICE_USER" "$HERE/ledger.toml.example" "$CONFIG_DIR/ledger.toml"
for unit in hpf-ledger.service hpf-ledger-backup.service hpf-ledger-backup.timer hpf-exchange.service; do
  run install -m 0644 "$HERE/$unit" "$UNIT_DIR/$unit"
done
run systemctl daemon-reload
[ "$EXCHANGE" = yes ] && run systemctl enable --now hpf-exchange.service
run systemctl enable hpf-ledger.service hpf-ledger-backup.timer
# restart runs ExecStartPre (hpf-ledger migrate) first; a failed migration leaves the service stopped
run systemctl restart hpf-ledger.service
run systemctl start hpf-ledger-backup.timer
echo "centre installed: edit $CONFIG_DIR/ledger.toml, then: systemctl restart hpf-ledger; journalctl -u hpf-ledger"
