"""Standard locations for configuration, data and logs (platformdirs).

`HPF_HOME` relocates all of them under one folder: tests, demos and portable installs use it.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "hpf-terminal"
APP_AUTHOR = "hpf"


def _home_override() -> Path | None:
    home = os.environ.get("HPF_HOME")
    return Path(home) if home else None


def config_dir() -> Path:
    home = _home_override()
    if home:
        return home / "config"
    import platformdirs  # when a standard location is asked for, not at import

    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def data_dir() -> Path:
    home = _home_override()
    if home:
        return home / "data"
    import platformdirs  # when a standard location is asked for, not at import

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    home = _home_override()
    if home:
        return home / "logs"
    import platformdirs  # when a standard location is asked for, not at import

    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def default_config_file() -> Path:
    return config_dir() / "terminal.toml"
