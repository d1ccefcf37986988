"""Writing files so that a reader never sees half of one, nothing is overwritten by surprise, and the
output directory of a run belongs to that run alone.

Failures of the disk (full, read-only, no permission, a name too long) become one Dutch line
(`InputError`), and the temporary file is removed on every path out, an interrupt included. A new file
(no --force) is written without a name where Linux allows it (O_TMPFILE) and named when whole: nothing to
remove, and one change of its folder instead of three.

Temporary files carry the id of the run that made them (`.~<name>.<random>.<run>.tmp`): a run removes
its own, and those of runs dead for a day, never another command's that is still writing (a `ratio
--rapport` into the folder a `fill` cleans up). The lock file is opened without following a symlink.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import secrets
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from ..errors import InputError, system_reason

TEMP_PREFIX = ".~"
TEMP_SUFFIX = ".tmp"
LOCK_NAME = ".zorginkoop.lock"
STALE_AFTER_SECONDS = 24 * 3600  # a temporary file untouched this long belongs to a run that died

# The id in this run's temporary file names; worker processes take their parent's (`join_run`).
_RUN = [f"{os.getpid():x}{secrets.token_hex(3)}"]


def run_id() -> str:
    return _RUN[0]


def join_run(run: str) -> None:
    """In a worker process: name temporary files as the parent run does, so it can remove them."""
    _RUN[0] = run


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()

# Writing: "no access" means no permission to write (the rest is the shared table of errors.py).
_WRITE_REASONS = {errno.EACCES: "geen schrijfrechten", errno.EPERM: "geen schrijfrechten"}


def disk_error(path: Path, err: OSError) -> InputError:
    """An OSError of the file system as one Dutch line naming the path."""
    reason = _WRITE_REASONS.get(err.errno or 0) or system_reason(err)
    return InputError(f"{path}: kan niet schrijven: {reason}", field="out", value=str(path))


def prepare_directory(directory: Path) -> None:
    """Make `directory` (and its parents), or say in Dutch why it cannot be one."""
    for parent in (directory, *directory.parents):
        if parent.exists() and not parent.is_dir():
            raise InputError(f"{directory}: {parent} is een bestand, geen map; kies een map voor --out", field="out",
                             value=str(directory))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise disk_error(directory, err) from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError(f"{directory}: kan niet schrijven: geen schrijfrechten", field="out", value=str(directory))


# This process's temporary files that are not yet in place or removed. An interrupt (a SIGTERM turned
# into an exception) may land between creating one and the `finally` that removes it; the set lets the
# process remove what is left before it ends (`remove_own_temporaries`).
OWN_TEMPORARIES: set[Path] = set()
_TERM = {getattr(signal, "SIGTERM", 15)}


def _temporary(path: Path) -> Path:
    # No interrupt between creating the file and noting it down (where signal masks exist).
    blocking = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if blocking:
        signal.pthread_sigmask(signal.SIG_BLOCK, _TERM)
    try:
        fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.stem[:40]}.", suffix=f".{run_id()}{TEMP_SUFFIX}",
                                    dir=path.parent)
        os.close(fd)
        OWN_TEMPORARIES.add(Path(name))
    except OSError as err:
        raise disk_error(path, err) from None
    finally:
        if blocking:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _TERM)
    return Path(name)


@dataclass(frozen=True)
class _Unnamed:
    """A file being written that has no name yet (Linux's O_TMPFILE): nothing is left behind when the run
    stops, and naming it is one step that fails when the name is taken. Two workers writing a thousand
    workbooks into one folder spent half their time on the folder's lock with a temporary name per file
    (create, link, remove: three changes of the folder against one)."""

    fd: int

    @property
    def path(self) -> Path:  # where a writer opens it
        return Path(f"/proc/self/fd/{self.fd}")


# /proc/self/fd opened once per process (None: not there), by process id: opened before a fork, it is the
# parent's table of files in the worker ("self" is resolved when it is opened).
_PROC_FD: dict[int, int | None] = {}


def _proc_fd() -> int | None:
    pid = os.getpid()
    if pid not in _PROC_FD:
        try:
            _PROC_FD[pid] = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except (OSError, AttributeError):
            _PROC_FD[pid] = None
    return _PROC_FD[pid]


def _unnamed(folder: Path) -> _Unnamed | None:
    """A new file without a name in `folder`, or None where the system or the file system has none
    (Windows, macOS, a network share): then a temporary name is used."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or _proc_fd() is None:
        return None
    try:
        return _Unnamed(os.open(folder, flag | os.O_RDWR | os.O_CLOEXEC, _FILE_MODE))
    except OSError:
        return None


def _write(tmp: Path | _Unnamed, content: Content) -> None:
    if callable(content):
        content(tmp.path if isinstance(tmp, _Unnamed) else tmp)
        return
    # An unnamed file straight through its descriptor: opening it again by its /proc path made writing a
    # workbook of 17 KiB three times as slow (0.10 against 0.03 ms).
    with open(tmp.fd if isinstance(tmp, _Unnamed) else tmp, "wb", closefd=not isinstance(tmp, _Unnamed)) as handle:
        for piece in [content] if isinstance(content, bytes) else content:
            handle.write(piece)


def _named(tmp: _Unnamed, path: Path) -> Path:
    """What an unnamed file holds, copied to a temporary name beside `path` (where it cannot be linked)."""
    named = _temporary(path)
    with os.fdopen(os.dup(tmp.fd), "rb") as source, open(named, "wb") as target:
        source.seek(0)
        shutil.copyfileobj(source, target)
    return named


def remove_own_temporaries() -> None:
    """Remove this process's temporary files that are still there (before it ends on an interrupt)."""
    for tmp in list(OWN_TEMPORARIES):
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        OWN_TEMPORARIES.discard(tmp)


def _put(tmp: Path | _Unnamed, path: Path, overwrite: bool) -> None:
    """Move a finished temporary file to `path` (an unnamed one: give it that name); without `overwrite`, a
    name that is taken stays as it is."""
    if isinstance(tmp, _Unnamed):
        os.fchmod(tmp.fd, _FILE_MODE)
        try:
            os.link(str(tmp.fd), path, src_dir_fd=_proc_fd(), follow_symlinks=True)
            return
        except FileExistsError:
            raise InputError(f"{path} bestaat al (gebruik --force om te overschrijven)", field="out",
                             value=str(path)) from None
        except OSError:  # not linkable here: under a temporary name, as below
            named = _named(tmp, path)
            try:
                _put(named, path, overwrite)
            finally:
                with contextlib.suppress(OSError):
                    named.unlink(missing_ok=True)
                OWN_TEMPORARIES.discard(named)
            return
    os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; the result should be an ordinary file
    if overwrite:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails when the name is taken, also when it appeared meanwhile
    except FileExistsError:
        raise InputError(f"{path} bestaat al (gebruik --force om te overschrijven)", field="out",
                         value=str(path)) from None
    except OSError:
        # No hard links here (a FAT drive, some network shares): check, then rename.
        if path.exists():
            raise InputError(f"{path} bestaat al (gebruik --force om te overschrijven)", field="out",
                             value=str(path)) from None
        os.replace(tmp, path)


# What goes into a file: its bytes (whole, or in pieces written one after the other), or a function that
# writes it at the path it is given (openpyxl's save).
Content = bytes | list[bytes] | Callable[[Path], None]


def write_atomically(path: Path, write: Content, *, overwrite: bool = True, new_folder: bool = True) -> Path:
    """Let `write` fill a temporary file beside `path` (or write those bytes there), then move it into
    place in one step.

    An interrupted run leaves no half-written `path`. Without `overwrite`, an existing `path` is an
    InputError, and a file that appears meanwhile is not replaced.
    """
    return write_together([(path, write)], overwrite=overwrite, new_folder=new_folder)[0]


def write_together(items: Sequence[tuple[Path, Content]], *, overwrite: bool = True,
                   new_folder: bool = True) -> list[Path]:
    """Write every file to a temporary name first and move them into place only when all are written:
    a full disk or an error leaves none of them (a summary.xlsx never appears without its summary.csv).
    Without `new_folder`, a folder that is not there is refused rather than made (a file the user named:
    a typo in its folder should not make a new one)."""
    for path, _ in items:
        _check_target(path, overwrite=overwrite, new_folder=new_folder)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise disk_error(path.parent, err) from None
    temporaries: list[Path | _Unnamed] = []
    try:
        for path, write in items:
            # A new file is named in one step that fails when the name is taken; one that replaces (--force)
            # gets a temporary name first and is renamed over the old one.
            temporaries.append((None if overwrite else _unnamed(path.parent)) or _temporary(path))
            try:
                _write(temporaries[-1], write)
            except OSError as err:
                failure = disk_error(path, err)
                _release(err)
                raise failure from None
        placed: list[tuple[Path, os.stat_result]] = []
        try:
            for tmp, (path, _) in zip(temporaries, items, strict=True):
                try:
                    written = os.fstat(tmp.fd) if isinstance(tmp, _Unnamed) else os.stat(tmp)
                    _put(tmp, path, overwrite)
                except OSError as err:
                    raise disk_error(path, err) from None
                placed.append((path, written))
        except BaseException:
            # A later name taken meanwhile (another program made summary.csv): the new files already put in
            # place go again, so none is there without the others. Replaced ones (--force) cannot come back.
            if not overwrite:
                for path, written in placed:
                    with contextlib.suppress(OSError):
                        if os.path.samestat(os.stat(path), written):
                            path.unlink()
            raise
    finally:
        for tmp in temporaries:
            with contextlib.suppress(OSError):
                if isinstance(tmp, _Unnamed):
                    os.close(tmp.fd)  # an unnamed file that was not put in place is gone with it
                else:
                    tmp.unlink(missing_ok=True)
            OWN_TEMPORARIES.discard(tmp)
    return [path for path, _ in items]


def _check_target(path: Path, *, overwrite: bool, new_folder: bool) -> None:
    """A name that can become the file: not empty, not a folder, device or pipe (which `--force` would
    replace by a file), not taken without `overwrite`, in a folder that is there unless `new_folder`."""
    if path.name in {"", ".", ".."}:
        raise InputError(f"{str(path) or '(leeg)'}: geen bestandsnaam; geef de naam van het bestand dat u wilt",
                         field="out", value=str(path))
    try:
        taken = path.exists() or path.is_symlink()
        ordinary = path.is_file() or not path.exists()
        folder = path.parent.is_dir()
    except OSError as err:  # a name longer than the file system allows, a folder without access
        raise disk_error(path, err) from None
    if not ordinary:
        raise InputError(f"{path} is een map of apparaat, geen gewoon bestand; kies een andere naam", field="out",
                         value=str(path))
    if taken and not overwrite:
        raise InputError(f"{path} bestaat al (gebruik --force om te overschrijven)", field="out", value=str(path))
    if not folder and not new_folder:
        raise InputError(f"{path}: de map {path.parent} bestaat niet; maak die eerst, of kies een bestaande map",
                         field="out", value=str(path))


def _release(err: BaseException) -> None:
    """Let go now of what a failed writer left open: openpyxl's ZipFile, kept alive by the frames of
    the traceback. Closing it writes its directory to the same full disk; Python would print that second
    failure as an "Exception ignored in ZipFile.__del__" traceback after the Dutch line, so it is muted
    (it is the failure already reported)."""
    previous = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        while err is not None:
            traceback.clear_frames(err.__traceback__)
            err.__traceback__ = None
            err = err.__context__  # type: ignore[assignment]
        gc.collect()
    finally:
        sys.unraisablehook = previous


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (a hard link, a symlink, another spelling of the path)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def remove_stale_temporaries(directory: Path) -> None:
    """Remove from `directory` this run's temporary files (a worker stopped mid-write) and those that
    no run has touched for a day (left by a run that was killed). Another command's temporary file,
    still being written, is never touched: its name carries its own run id."""
    mine = f".{run_id()}{TEMP_SUFFIX}"
    deadline = time.time() - STALE_AFTER_SECONDS
    with contextlib.suppress(OSError):
        for candidate in directory.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                info = candidate.lstat()
                if candidate.name.endswith(mine) or info.st_mtime < deadline:
                    candidate.unlink()


class OutputLock:
    """An exclusive lock on an output directory for the length of a run: a second `fill` into the same
    directory is refused instead of mixing its workbooks and summary with the first's. The operating
    system releases it when the process dies, so a killed run never blocks the next."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / LOCK_NAME
        self._handle: int | None = None

    def __enter__(self) -> OutputLock:
        prepare_directory(self.directory)
        # Never through a symlink: one planted here would make the run create or lock a file elsewhere.
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            self._handle = os.open(self.path, flags, 0o644)
        except OSError as err:
            if err.errno == errno.ELOOP or self.path.is_symlink():
                raise self._foreign() from None
            raise disk_error(self.path, err) from None
        if not stat.S_ISREG(os.fstat(self._handle).st_mode):
            os.close(self._handle)
            self._handle = None
            raise self._foreign()
        if not _try_lock(self._handle):
            os.close(self._handle)
            self._handle = None
            raise InputError(f"{self.directory}: er loopt al een andere zorginkoop-opdracht die in deze map schrijft; "
                             "wacht tot die klaar is of kies een andere map", field="out", value=str(self.directory))
        return self

    def _foreign(self) -> InputError:
        return InputError(f"{self.path}: is geen gewoon bestand (een snelkoppeling of iets anders); de toolkit "
                          "gebruikt deze naam als slot van de map. Verwijder het of kies een andere map voor --out",
                          field="out", value=str(self.path))

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
            os.close(self._handle)  # closing releases the lock
            self._handle = None


def _try_lock(handle: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
