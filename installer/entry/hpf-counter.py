"""Entry script of the packaged hpf-counter program (see installer/bundle.py)."""

from hpf_launch import launch

launch("counter_app.app")
