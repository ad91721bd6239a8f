"""Counter start-up (issue 14 item 3): the ID card reader before the windows, the printer and the
document camera on a thread after the first frame, into the same device manager."""

from pathlib import Path

from counter_app.services import attach_devices, attach_devices_later, build_services
from infra.config import parse_config


class _Runtime:
    def __init__(self, store: object) -> None:
        self.store = store


def test_the_reader_starts_first_and_the_printer_joins_it_later(tmp_path: Path) -> None:
    from sync.store import open_store

    # camera "none": its simulator needs OpenCV, which this test does not need to load to show the order
    config = parse_config('[terminal]\nrole = "counter"\n[devices.camera]\nkind = "none"\n')
    store = open_store(tmp_path / "t.db")
    services = build_services(config, _Runtime(store), window="1")
    try:
        attach_devices(services, config, poll=False, later=True)
        manager = services.extras["devices"]
        assert services.id_reader is not None and manager.started("id_reader") is services.id_reader
        assert services.printer is None and "printer" not in manager.specs  # not before the first frame
        attach_devices_later(services, config)
        services.extras["starting"].join(30)
        assert services.printer is not None and manager.started("printer") is services.printer
        assert services.camera is None and "camera" not in manager.specs  # kind "none": left out, as before
    finally:
        services.close()
        store.close()
