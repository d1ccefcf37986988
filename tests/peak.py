"""The peak memory of a child process itself.

`ru_maxrss` from `wait4` also counts what the child shared with its parent at the fork: Linux keeps the
parent's high-water mark through the exec, so a child of a test process that has grown to 400 MB reports
400 MB whatever it used. Where /proc exists, the child's own high-water mark (VmHWM, which starts afresh
at the exec) is read while it runs; it only grows, so the last reading before the child ends holds its
peak but for the final poll interval.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any

POLL = 0.01  # seconds


def _vmhwm(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM")), None)
    except OSError:
        return None


def wait_with_peak(process: subprocess.Popen[Any], *, timeout: float | None = None) -> tuple[int, int]:
    """(exit code, peak RSS in bytes) of `process`, polled until it ends; TimeoutError after `timeout` s
    (the process is killed)."""
    start = time.monotonic()
    peak = 0
    while True:
        seen = _vmhwm(process.pid)  # before wait4: once reaped, /proc/<pid> is gone
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if seen is not None:
            peak = max(peak, seen)
        if timeout is not None and time.monotonic() - start > timeout:
            process.kill()
            process.wait()
            raise TimeoutError(f"{process.args} ran for more than {timeout} s")
        time.sleep(POLL)
    process.returncode = os.waitstatus_to_exitcode(status)
    if not Path("/proc/self/status").exists():
        peak = usage.ru_maxrss * 1024  # elsewhere: the upper bound wait4 gives
    return process.returncode, peak
