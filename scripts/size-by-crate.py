#!/usr/bin/env python3
"""Code and unwind data of an unstripped ELF library, per crate (scripts/size-report.sh).

Usage: size-by-crate.py LIB [--functions N]   (needs aarch64-linux-gnu-nm and -readelf)

Prints two tables, largest first:
- `.text` by crate, from the symbols' sizes;
- unwind data by crate: each function's FDE in `.eh_frame`, its 8-byte slot in
  `.eh_frame_hdr` and its LSDA in `.gcc_except_table` (landing pads' call-site tables),
  attributed to the function the FDE covers. With `panic = "unwind"` nearly every function
  has an FDE, so the count of functions matters as much as their size (ADR 0017).
With `--functions N`, then the N functions with the largest landing-pad tables (LSDA) and
the N with the most code plus unwind data, to find what to shrink.
"""

import bisect
import collections
import re
import struct
import subprocess
import sys


def crate_of(name):
    # The crate of a symbol is the first path segment of its item, or of the type its impl
    # block is for (`<serde_json::de::Deserializer<R> as ...>::f` is serde_json).
    item = name.lstrip("<&*").removeprefix("mut ").removeprefix("dyn ")
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", item)
    if m:
        crate = m.group(1)
    elif name.startswith(("uniffi_talus_ffi_", "ffi_talus_ffi_")):
        crate = "talus_ffi"  # the exported scaffolding, with the API bodies inlined
    elif name.startswith("OUTLINED_FUNCTION"):
        crate = "(outlined)"  # code the -Oz machine outliner shares between crates
    elif re.fullmatch(r"[A-Za-z_][\w.]*", name):
        crate = "C"
    else:
        crate = "other"
    return "std" if crate in ("core", "alloc") else crate


def functions(lib):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-C", "-S", "--defined-only", lib],
                         capture_output=True, text=True, check=True).stdout
    funcs, seen = [], set()
    for line in out.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4 and parts[2] in "tTwW":
            address = int(parts[0], 16)
            # Functions folded by the linker (ADR 0027) share an address: count it once.
            if address not in seen:
                seen.add(address)
                funcs.append((address, int(parts[1], 16), parts[3]))
    return sorted(funcs)


def section(lib, name):
    out = subprocess.run(["aarch64-linux-gnu-readelf", "-SW", lib],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = re.search(r"\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m and m.group(1) == name:
            return int(m.group(2), 16), int(m.group(3), 16), int(m.group(4), 16)
    return None


def uleb(b, i):
    value, shift = 0, 0
    while True:
        byte = b[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def sleb(b, i):
    value, shift = 0, 0
    while True:
        byte = b[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return (value - (1 << shift) if byte & 0x40 else value), i


def pointer(encoding, b, i, address):
    """Reads a DW_EH_PE-encoded pointer at b[i] (which sits at `address`)."""
    fmt = encoding & 0x0F
    if fmt == 0x0B:
        value, size = struct.unpack_from("<i", b, i)[0], 4
    elif fmt == 0x03:
        value, size = struct.unpack_from("<I", b, i)[0], 4
    elif fmt == 0x0C:
        value, size = struct.unpack_from("<q", b, i)[0], 8
    elif fmt == 0x00:
        value, size = struct.unpack_from("<Q", b, i)[0], 8
    else:
        raise ValueError(f"pointer encoding {encoding:#x}")
    if encoding & 0x70 == 0x10:  # pc-relative
        value += address
    return value, i + size


def fdes(lib):
    """(function start, FDE bytes, LSDA address or None) for every FDE in .eh_frame."""
    addr, offset, size = section(lib, ".eh_frame")
    with open(lib, "rb") as f:
        f.seek(offset)
        eh = f.read(size)
    cies, out, i = {}, [], 0
    while i + 4 <= len(eh):
        length = struct.unpack_from("<I", eh, i)[0]
        if length == 0:
            break
        start, end = i, i + 4 + length
        cie_id = struct.unpack_from("<I", eh, i + 4)[0]
        if cie_id == 0:
            j = i + 9
            aug = b""
            while eh[j] != 0:
                aug += eh[j:j + 1]
                j += 1
            j += 1
            _, j = uleb(eh, j)
            _, j = sleb(eh, j)
            _, j = uleb(eh, j)
            cie = {"aug": aug, "fde": 0, "lsda": None}
            if aug.startswith(b"z"):
                _, k = uleb(eh, j)
                for c in aug[1:].decode():
                    if c == "R":
                        cie["fde"] = eh[k]
                        k += 1
                    elif c == "L":
                        cie["lsda"] = eh[k]
                        k += 1
                    elif c == "P":
                        enc = eh[k]
                        _, k = pointer(enc, eh, k + 1, addr + k + 1)
            cies[start] = cie
        else:
            cie = cies[i + 4 - cie_id]
            j = i + 8
            pc, j = pointer(cie["fde"], eh, j, addr + j)
            _, j = pointer(cie["fde"] & 0x0F, eh, j, 0)
            lsda = None
            if cie["aug"].startswith(b"z"):
                aug_len, j = uleb(eh, j)
                if cie["lsda"] is not None and aug_len > 0:
                    lsda, _ = pointer(cie["lsda"], eh, j, addr + j)
            out.append((pc, length + 4, lsda or None))
        i = end
    return out


def main():
    lib = sys.argv[1]
    funcs = functions(lib)
    text = collections.Counter()
    for _, size, name in funcs:
        text[crate_of(name)] += size
    print(".text by crate (KiB, from the unstripped library's symbols; C is SQLite):")
    for crate, size in text.most_common(14):
        print(f"  {crate:<16} {size / 1024:8.0f}")

    entries = fdes(lib)
    except_table = section(lib, ".gcc_except_table")
    lsdas = sorted({lsda for _, _, lsda in entries if lsda})
    lsda_size = {}
    if except_table:
        table_end = except_table[0] + except_table[2]
        for k, a in enumerate(lsdas):
            lsda_size[a] = (lsdas[k + 1] if k + 1 < len(lsdas) else table_end) - a
    starts = [f[0] for f in funcs]
    unwind, count = collections.Counter(), collections.Counter()
    for pc, fde_bytes, lsda in entries:
        k = bisect.bisect_right(starts, pc) - 1
        crate = crate_of(funcs[k][2]) if k >= 0 else "other"
        unwind[crate] += fde_bytes + 8 + lsda_size.get(lsda, 0)
        count[crate] += 1
    total = sum(unwind.values())
    print(f"unwind data by crate (KiB: FDE + .eh_frame_hdr slot + LSDA; "
          f"{len(entries)} FDEs, {total / 1024:.0f} KiB in all; functions in brackets):")
    for crate, size in unwind.most_common(10):
        print(f"  {crate:<16} {size / 1024:8.0f}  ({count[crate]})")
    if "--functions" in sys.argv:
        top = int(sys.argv[sys.argv.index("--functions") + 1])
        per_function(funcs, entries, lsda_size, starts, top)


def per_function(funcs, entries, lsda_size, starts, top):
    lsda_of, unwind_of = collections.Counter(), collections.Counter()
    for pc, fde_bytes, lsda in entries:
        k = bisect.bisect_right(starts, pc) - 1
        if k >= 0:
            lsda_of[k] += lsda_size.get(lsda, 0)
            unwind_of[k] += fde_bytes + 8 + lsda_size.get(lsda, 0)
    print(f"largest landing-pad tables (LSDA bytes | code bytes | function), "
          f"{sum(lsda_of.values())} bytes in {sum(1 for v in lsda_of.values() if v)} tables:")
    for k, size in lsda_of.most_common(top):
        print(f"  {size:6d} {funcs[k][1]:7d}  {funcs[k][2][:160]}")
    print("largest functions (code + unwind bytes | code | unwind | function):")
    total = sorted(range(len(funcs)), key=lambda k: -(funcs[k][1] + unwind_of[k]))
    for k in total[:top]:
        print(f"  {funcs[k][1] + unwind_of[k]:7d} {funcs[k][1]:7d} {unwind_of[k]:6d}  "
              f"{funcs[k][2][:160]}")


if __name__ == "__main__":
    main()
