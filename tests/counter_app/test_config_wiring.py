"""The `[counter]` section of the terminal configuration reaches the desk and the sign-in lockout."""

from pathlib import Path

from counter_app.services import build_services
from infra.config import parse_config


class _Runtime:
    def __init__(self, store: object) -> None:
        self.store = store


def test_lockout_and_window_come_from_the_config(tmp_path: Path) -> None:
    from sync.store import open_store

    config = parse_config('[terminal]\nrole = "counter"\n[counter]\nwindow = "7"\nlockout_failures = 4\n'
                          "lockout_minutes = 30\n")
    store = open_store(tmp_path / "t.db")
    try:
        services = build_services(config, _Runtime(store), window=config.counter.window)
        assert services.desk.settings.window == "7"
        policy = services.desk.staff.policy
        assert (policy.max_failures, policy.lock_minutes) == (4, 30)
    finally:
        store.close()
