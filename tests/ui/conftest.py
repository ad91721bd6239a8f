from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# The offscreen platform plugin (tests only) says this whenever a top-level window with size
# constraints is shown; it has no such plugin in production and means nothing here.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
