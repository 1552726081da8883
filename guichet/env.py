"""Typed readers of environment variables, so that settings.py stays one declarative list."""

import os
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    """A string setting; `NAME_FILE` pointing at a file (a mounted secret) wins over `NAME`."""
    secret_file = os.environ.get(f"{name}_FILE")
    if secret_file:
        return Path(secret_file).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
