"""Keep the crawl process's memory flat: give large freed buffers back to the operating system.

Every fetched page is a buffer of 100 KB or more, allocated and freed thousands of times, and every
Parquet flush builds tens of MB of temporaries. glibc's malloc raises its mmap threshold to the
size of the first such buffer freed, so later ones come from the heap, which fragments and does not
shrink: without these calls the reactor's RSS grows by 100 MB and more in a crawl. No-ops where
glibc is absent (macOS, musl).

- ``pin_mmap_threshold()``, once at start-up: buffers above 128 KiB always come from ``mmap`` and
  go back to the system when freed.
- ``trim()``, after a burst of temporaries (each Parquet row group and file written): free heap
  pages and pyarrow's pool go back too.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

_M_MMAP_THRESHOLD = -3  # mallopt parameter (malloc.h); setting it also stops the dynamic raise
MMAP_THRESHOLD = 128 * 1024  # glibc's own initial value


@cache
def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def pin_mmap_threshold(size: int = MMAP_THRESHOLD) -> bool:
    """Serve allocations above ``size`` bytes with ``mmap``, always; ``False`` without glibc."""
    libc = _glibc()
    return bool(libc and libc.mallopt(_M_MMAP_THRESHOLD, size))


def trim() -> None:
    """Return free heap memory (and pyarrow's pooled memory) to the operating system."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
