"""A worker process gives the heap's free pages back to the system after each task (glibc;
elsewhere nothing).

glibc keeps what a process frees inside its heap; OpenVINO and OpenCV free a page's working
memory there after every page (about 90 MB on a worker reading bills), and an idle worker held
it. Trimmed after each task, a worker on 10 bills held about 70 MB less between tasks and peaked
8-15 MB lower, its pages as fast (``python -m benchmarks.workermemory``; README, *Speed*).
Tried and not kept, as they cost page time: large blocks mapped apart from the heap
(``M_MMAP_THRESHOLD``, pages +13%), OpenVINO's buffers released after each page (+9-16%).
"""

from __future__ import annotations

import ctypes
import platform
from functools import cache


@cache
def _glibc() -> ctypes.CDLL | None:
    """This process's C library when it is glibc, else None."""
    if platform.libc_ver()[0] != "glibc":
        return None
    libc = ctypes.CDLL(None)
    return libc if hasattr(libc, "malloc_trim") else None


def trim_heap() -> bool:
    """Give the heap's free pages back to the system; False where none were given back or the C
    library is not glibc."""
    libc = _glibc()
    return bool(libc and libc.malloc_trim(0))
