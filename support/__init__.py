"""Field support for technicians, without Qt: the support bundle, the terminal's diagnostic state
(devices, health, outbox) for the diagnostics screens and the heartbeat, and `hpf-diag bundle`.

It sits above `hardware` and `sync` (it reads both) and below the apps (tests/architecture.py).
"""
