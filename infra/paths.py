"""Standard locations for configuration, data and logs (platformdirs).

`HPF_HOME` relocates all of them under one folder: tests, demos and portable installs use it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "hpf-terminal"
APP_AUTHOR = "hpf"


def _home_override() -> Path | None:
    home = os.environ.get("HPF_HOME")
    return Path(home) if home else None


def config_dir() -> Path:
    home = _home_override()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def data_dir() -> Path:
    home = _home_override()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    home = _home_override()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def default_config_file() -> Path:
    return config_dir() / "terminal.toml"
