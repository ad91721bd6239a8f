"""What every entry point shares: `--config PATH`, loading it, and a one-line error on failure."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from infra.config import Config, ConfigError, describe_schema, load_config
from infra.production import refuse_demo_credentials, terminal_problems


def base_parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--config", type=Path, metavar="PATH",
                        help="terminal configuration file (TOML); default: the standard location")
    parser.add_argument("--help-config", action="store_true",
                        help="list every configuration key with its default and exit")
    return parser


def config_or_exit(args: argparse.Namespace, program: str | None = None) -> Config:
    """Load the configuration named by `--config`; print the schema or a clear error and exit.

    With `demo = false`, a demo credential in the configuration (demo terminal key, demo QR key,
    demo technician PIN) stops the program with exit code 78, naming the key to change.
    """
    if getattr(args, "help_config", False):
        for key, default, help_text in describe_schema():
            print(f"{key} = {default!r}\n    {help_text}")
        raise SystemExit(0)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    refuse_demo_credentials(program or "hpf", terminal_problems(config))
    return config
