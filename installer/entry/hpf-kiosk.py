"""Entry script of the packaged hpf-kiosk program (see installer/bundle.py)."""

from hpf_launch import launch

launch("kiosk.app")
