"""Memory while claim files are read: keep freed memory for reuse during the read, give it back between
phases. On glibc only; elsewhere these do nothing."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import pyarrow as pa

_TUNED: list[bool] = []
_TRIM: list[Callable[[int], int]] = []  # glibc's malloc_trim, once tune_allocator found it


def tune_allocator() -> None:
    """Keep freed memory for reuse instead of returning it to the system at once (glibc only, once).

    Each batch makes a few dozen NumPy temporaries of a megabyte or two. glibc serves those with a fresh
    `mmap` and gives them back when freed, so every batch pays the kernel to map and zero its pages
    again: on these machines a third of the run in system time, and much of its variance (measured on
    the production of 5 million lines: 1.50 s with 0.7 s system time, 1.21 s with 0.2 s after this).
    Allocations below 32 MiB now come from the heap, which is trimmed only past 512 MiB free at its
    top. Peak memory is unchanged: memory kept is memory the run used. Nothing happens elsewhere
    (musl, macOS, Windows) or when ZORGINKOOP_MALLOC=system.
    """
    if _TUNED or os.environ.get("ZORGINKOOP_MALLOC") == "system" or not sys.platform.startswith("linux"):
        return
    _TUNED.append(True)
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # <malloc.h>
    mallopt(m_mmap_threshold, 32 << 20)
    mallopt(m_trim_threshold, 512 << 20)
    _TRIM.append(libc.malloc_trim)


def release_memory() -> None:
    """Give the memory that reading freed back to the system before the next phase allocates its own:
    kept for reuse (`tune_allocator`, and Arrow's pool likewise) it would count on top of the arrays the
    reports are assembled from (measured on 50 million lines: 1.2 GB peak before, under 1 GB after)."""
    pa.default_memory_pool().release_unused()
    for trim in _TRIM:
        trim(0)


__all__ = ["release_memory", "tune_allocator"]
