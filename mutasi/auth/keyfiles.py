"""Secret files on disk: private from their first byte, in a directory only their owner reads.

Writing a file and then `chmod`-ing it leaves a moment (or, after a crash, for ever) in which
the umask's 0644 lets every local user read a private key; and `mkdir(exist_ok=True)` keeps
whatever mode an older directory had. Here a secret file is created with its final mode by
`open(O_CREAT | O_EXCL)` under a temporary name and linked into place, so a reader sees either
no file or the whole private one; a keys directory is made (or tightened to) 0700.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """`path` as a directory only its owner can enter; an existing one is tightened."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(PRIVATE_DIR)
    return path


def write_once(path: Path, data: bytes, mode: int = PRIVATE_FILE) -> bool:
    """Create `path` holding `data` with `mode` from the start; keep it if it exists already
    (another process won the race). Return whether this call created it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(descriptor, mode)  # the umask may have narrowed it; never widened
        os.write(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    finally:
        temporary.unlink()


def replace_private(path: Path, data: bytes) -> None:
    """Write (or overwrite) a private file atomically: 0600 from its first byte."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(descriptor, PRIVATE_FILE)
        os.write(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, path)
