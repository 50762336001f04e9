#!/usr/bin/env python3
"""Async frame (context) sizes of a release binary's Swift async functions, largest first.

Every async function has an "async function pointer" symbol (mangled name ending in `Tu`): a
relative offset to the function and the 32-bit size of the context its caller allocates for it in
the task's allocator. A task keeps every task-allocator slab it ever grew, and a context larger than
a slab (about 1000 bytes) gets a slab of its own, so large contexts on the path of a long-lived
request (an idle stream) cost memory for the stream's whole life. Use with bench/idle-memory.py.

Usage:
  bench/async-frame-sizes.py [BINARY] [--filter TEXT] [--top N]
Default binary: .build/release/remote-bench-server. Needs readelf, nm and `swift demangle`.
"""
import argparse
import struct
import subprocess
import sys


def sections(binary):
    result = []
    output = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[0].startswith("["):
            try:
                result.append((int(fields[3], 16), int(fields[4], 16), int(fields[5], 16)))
            except ValueError:
                pass
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=".build/release/remote-bench-server")
    parser.add_argument("--filter", default="RemoteFunctions", help="keep mangled names containing this")
    parser.add_argument("--top", type=int, default=40)
    arguments = parser.parse_args()

    data = open(arguments.binary, "rb").read()
    table = sections(arguments.binary)
    found = []
    symbols = subprocess.run(["nm", arguments.binary], capture_output=True, text=True, check=True).stdout
    for line in symbols.splitlines():
        fields = line.split()
        if len(fields) != 3 or not fields[2].endswith("Tu") or arguments.filter not in fields[2]:
            continue
        address = int(fields[0], 16)
        for start, offset, size in table:
            if start and start <= address < start + size:
                position = offset + address - start
                _, context_size = struct.unpack("<iI", data[position:position + 8])
                found.append((context_size, fields[2]))
                break
    names = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(name for _, name in found),
                           capture_output=True, text=True, check=True).stdout.splitlines()
    rows = sorted(zip((size for size, _ in found), names), reverse=True)
    for size, name in rows[:arguments.top]:
        print(f"{size:6d}  {name.removeprefix('async function pointer to ')}")


if __name__ == "__main__":
    sys.exit(main())
