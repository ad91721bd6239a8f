"""Entry script of the packaged hpf-ledger program (see installer/bundle.py)."""

from hpf_launch import launch

launch("ledger.cli")
