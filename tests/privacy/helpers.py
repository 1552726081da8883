"""Helpers of the privacy tests: a broken copy of the register, a modified register in force."""

import shutil
from pathlib import Path

from guichet.privacy.register import REGISTER_DIR


def broken_copy(tmp_path: Path, file: str, old: str, new: str, at: str | None = None) -> tuple[Path, int]:
    """Copy the register to tmp_path, replace the first `old` of `file` by `new`; returns the folder and
    the (1-based) line where the replacement starts (or where `at` first appears from there on)."""
    folder = tmp_path / "register"
    shutil.copytree(REGISTER_DIR, folder)
    path = folder / file
    content = path.read_text(encoding="utf-8")
    assert old in content, f"{old!r} not in {file}"
    index = content.index(old)
    broken = content[:index] + new + content[index + len(old):]
    path.write_text(broken, encoding="utf-8")
    if at is not None:
        index = broken.index(at, index)
    return folder, broken[:index].count("\n") + 1
