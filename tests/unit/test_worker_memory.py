"""A worker process gives the memory it freed back to the system (glibc), and changes nothing elsewhere."""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import pytest

from workers import memory

BLOCKS_MB = 64
# In a fresh interpreter: allocate and touch 64 blocks of 1 MiB from the heap (a freed one first
# raises glibc's mmap threshold), each with a 100 KiB block after it that stays, free the 64,
# trim when asked; RSS when they were held and at the end, in MiB.
FREE_BLOCKS = f"""
import ctypes, json, sys
from workers import memory
def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS")) / 1024
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.free(libc.malloc(1 << 20))
blocks, kept = [], []
for _ in range({BLOCKS_MB}):
    blocks.append(libc.malloc(1 << 20))
    kept.append(libc.malloc(100 << 10))
    ctypes.memset(blocks[-1], 1, 1 << 20)
held = rss()
for block in blocks:
    libc.free(block)
trimmed = memory.trim_heap() if sys.argv[1] == "trim" else None
print(json.dumps({{"held": held, "after": rss(), "trimmed": trimmed}}))
"""


def free_blocks(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", FREE_BLOCKS, mode], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
def test_memory_freed_inside_the_heap_goes_back_to_the_system_once_trimmed():
    kept = free_blocks("keep")
    assert kept["held"] - kept["after"] < BLOCKS_MB / 4  # glibc alone keeps it
    trimmed = free_blocks("trim")
    assert trimmed["trimmed"] is True and trimmed["held"] - trimmed["after"] > BLOCKS_MB * 0.9


def test_nothing_happens_without_glibc(monkeypatch):
    monkeypatch.setattr(platform, "libc_ver", lambda: ("", ""))
    memory._glibc.cache_clear()
    try:
        assert memory.trim_heap() is False
    finally:
        memory._glibc.cache_clear()
