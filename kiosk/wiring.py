"""Build the kiosk's services from the terminal configuration (production and demo alike).

Each part is built independently: a part whose module or device can't be set up is left out
(logged), and the screens that need it show themselves as unavailable.
"""

from __future__ import annotations

from typing import Any

from domain.member_token import TokenVerifier, load_public_keys
from infra.config import Config
from infra.logs import get_logger
from kiosk.services import Services

log = get_logger("kiosk")


def services_from_config(config: Config, *, start_sync: bool = True) -> Services:
    services = Services(config)
    attach_sync(services, _sync_runtime(config))
    if start_sync and services.sync is not None:
        services.sync.start()
    try:
        services.token_verifier = TokenVerifier(load_public_keys())
    except (OSError, ValueError) as exc:
        log.error("QR sign-in disabled: the centre's token keys could not be loaded: %s", exc)
    attach_devices(services, config)
    return services


def _sync_runtime(config: Config) -> Any:
    from sync.runtime import SyncRuntime
    try:
        return SyncRuntime.from_config(config)
    except Exception as exc:  # a broken store must not keep the terminal from showing the calculator
        log.error("local store / sync could not start: %s", exc)
        return None


def attach_sync(services: Services, runtime: Any) -> None:
    """The sync runtime serves as ledger client, outbox, status source and snapshot source."""
    services.sync = runtime
    if runtime is None:
        return
    services.ledger = runtime.client
    services.outbox = runtime
    services.engine = runtime
    services.snapshots = runtime


def attach_devices(services: Services, config: Config) -> None:
    """Devices from the configuration, through the hardware manager when it is available."""
    try:
        from hardware.manager import DeviceManager  # type: ignore[import-not-found]
    except ImportError:
        log.info("hardware manager not available: devices not attached")
        return
    try:
        manager = DeviceManager.from_config(config)
        manager.start()
    except Exception as exc:
        log.error("devices could not be started: %s", exc)
        return
    services.devices = manager
    services.id_reader = manager.get("id_reader")
    services.scanner = manager.get("scanner")
    services.printer = manager.get("printer")
