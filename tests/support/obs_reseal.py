#!/usr/bin/env python3
"""Make the end line of observations files again after a test edited them.

An observations file (docs/observations-format.md) ends with `end<TAB>N<TAB>CRC`: N the number
of lines before it, CRC the CRC-32 of their bytes, in hex. A test that edits a figure or a
name on purpose, to see what a stage does with it, rewrites that line so that the file is
refused (or not) for what the test changed, not for a checksum.

Usage: python3 tests/support/obs_reseal.py FILE...   (each rewritten in place)
"""
import sys
import zlib


def reseal(data):
    """data (bytes, with or without its end line) sealed with a new end line."""
    end = data.rfind(b"end\t")
    if end >= 0 and (end == 0 or data[end - 1:end] == b"\n"):
        data = data[:end]
    if data and not data.endswith(b"\n"):
        data += b"\n"
    return data + b"end\t%d\t%08x\n" % (data.count(b"\n"), zlib.crc32(data))


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            sealed = reseal(f.read())
        with open(path, "wb") as f:
            f.write(sealed)
