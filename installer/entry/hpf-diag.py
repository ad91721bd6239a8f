"""Entry script of the packaged hpf-diag program (see installer/bundle.py)."""

from hpf_launch import launch

launch("support.diag")
