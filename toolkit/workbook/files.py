"""Writing files so that a reader never sees half of one, and nothing is overwritten by surprise."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()


def write_atomically(path: Path, write: Callable[[Path], None], *, overwrite: bool = True) -> Path:
    """Let `write` fill a temporary file beside `path`, then move it into place in one step.

    An interrupted run leaves at most a hidden `.~*.tmp` file, never a half-written `path`. Without
    `overwrite`, an existing `path` is an InputError, and a file that appears meanwhile is not replaced
    (the final step is a hard link, which fails when the name is taken).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and path.exists():
        raise InputError(f"{path} bestaat al (gebruik --force om te overschrijven)", field="out", value=str(path))
    fd, name = tempfile.mkstemp(prefix=f".~{path.stem}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; the result should be an ordinary file
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise InputError(f"{path} bestaat al (gebruik --force om te overschrijven)", field="out",
                                 value=str(path)) from None
            except OSError:
                # No hard links here (a FAT drive, some network shares): checked above, then rename.
                if path.exists():
                    raise InputError(f"{path} bestaat al (gebruik --force om te overschrijven)", field="out",
                                     value=str(path)) from None
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
