"""Entry script of the one packaged executable; programs are links to it (see hpf_launch)."""

from hpf_launch import launch_by_name

launch_by_name()
