#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fpga_report.py - the report of one FPGA build (fpga/fpga.mk): utilisation and Fmax, pass or fail.

Reads yosys's `stat -json` and nextpnr's --report JSON (falling back to the "Max frequency for
clock" lines of nextpnr's log when the JSON has no timing), writes a plain-text report and exits
non-zero when place and route failed, a clock misses its target, or the report cannot be read.
"""
import argparse
import json
import re
import sys

# Cells counted from yosys's netlist, per family: (label, cell types).
BRAM_LABEL = "EBR"  # the SYNTH_CELLS row of block RAM, both families
SYNTH_CELLS = {
    "ice40": [
        ("LUT4", ["SB_LUT4"]),
        ("carry", ["SB_CARRY"]),
        ("flip-flops", ["SB_DFF", "SB_DFFE", "SB_DFFSR", "SB_DFFR", "SB_DFFS", "SB_DFFESR",
                        "SB_DFFER", "SB_DFFES", "SB_DFFSS", "SB_DFFESS", "SB_DFFN", "SB_DFFNE",
                        "SB_DFFNSR", "SB_DFFNR", "SB_DFFNS", "SB_DFFNESR", "SB_DFFNER",
                        "SB_DFFNES", "SB_DFFNSS", "SB_DFFNESS"]),
        ("EBR (SB_RAM40_4K, 4 Kbit)", ["SB_RAM40_4K", "SB_RAM40_4KNR", "SB_RAM40_4KNW",
                                       "SB_RAM40_4KNRNW"]),
        ("SPRAM (SB_SPRAM256KA, 256 Kbit)", ["SB_SPRAM256KA"]),
        ("DSP (SB_MAC16)", ["SB_MAC16"]),
        ("PLL", ["SB_PLL40_CORE", "SB_PLL40_PAD", "SB_PLL40_2_PAD", "SB_PLL40_2F_CORE",
                 "SB_PLL40_2F_PAD"]),
    ],
    "ecp5": [
        ("LUT4", ["LUT4"]),
        ("carry (CCU2C, 2 LUTs each)", ["CCU2C"]),
        ("LUT RAM (TRELLIS_DPR16X4)", ["TRELLIS_DPR16X4"]),
        ("flip-flops", ["TRELLIS_FF"]),
        ("EBR (DP16KD, 18 Kbit)", ["DP16KD", "PDPW16KD"]),
        ("DSP (MULT18X18D)", ["MULT18X18D"]),
        ("PLL", ["EHXPLLL"]),
    ],
}

# Device resources from nextpnr's report, per family: (label, bel type).
PNR_BELS = {
    "ice40": [
        ("logic cells (LUT4 + FF)", "ICESTORM_LC"),
        ("EBR", "ICESTORM_RAM"),
        ("SPRAM", "ICESTORM_SPRAM"),
        ("DSP", "ICESTORM_DSP"),
        ("PLL", "ICESTORM_PLL"),
        ("global buffers", "SB_GB"),
        ("IO", "SB_IO"),
    ],
    "ecp5": [
        ("LUT4 (TRELLIS_COMB)", "TRELLIS_COMB"),
        ("flip-flops (TRELLIS_FF)", "TRELLIS_FF"),
        ("LUT RAM (TRELLIS_RAMW)", "TRELLIS_RAMW"),
        ("EBR (DP16KD)", "DP16KD"),
        ("DSP (MULT18X18D)", "MULT18X18D"),
        ("PLL (EHXPLLL)", "EHXPLLL"),
        ("global clocks (DCCA)", "DCCA"),
        ("IO", "TRELLIS_IO"),
    ],
}

UTIL_RE = re.compile(r"^Info:\s+([A-Z0-9_]+):\s+(\d+)/\s*(\d+)\s+\d+%")
LATCH_RE = re.compile(r"^(?:ERROR: )?Latch inferred for signal `[^\\]*\\([^.]+)\.\\([^']+)'")
FMAX_RE = re.compile(r"Max frequency for clock\s+'([^']+)':\s*([0-9.]+)\s*MHz\s*\((PASS|FAIL)\s+at\s+([0-9.]+)\s*MHz\)")


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def fmax_from_log(path):
    """The last "Max frequency" line of each clock (nextpnr prints one per timing analysis)."""
    clocks = {}
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = FMAX_RE.search(line)
                if m:
                    clocks[m.group(1)] = (float(m.group(2)), float(m.group(4)))
    except OSError:
        pass
    return clocks


def util_from_log(path):
    """The last "Device utilisation" table of nextpnr's log (printed after packing, and again
    after placement), for a run that stopped before writing its report."""
    util = {}
    try:
        with open(path, errors="replace") as f:
            for line in f:
                if "Device utilisation" in line:
                    util = {}
                m = UTIL_RE.match(line)
                if m:
                    util[m.group(1)] = {"used": int(m.group(2)), "available": int(m.group(3))}
    except OSError:
        pass
    return util


def latches_from_log(path):
    """Signals yosys made latches of (module, signal), from its log."""
    found = []
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = LATCH_RE.match(line)
                if m and (m.group(1), m.group(2)) not in found:
                    found.append((m.group(1), m.group(2)))
    except OSError:
        pass
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", required=True)
    ap.add_argument("--family", required=True, choices=sorted(SYNTH_CELLS))
    ap.add_argument("--freq", required=True, type=float, help="target clock, MHz")
    ap.add_argument("--params", default="")
    ap.add_argument("--stat", required=True, help="yosys stat -json output")
    ap.add_argument("--synth-log", default="", help="yosys log")
    ap.add_argument("--pnr-report", required=True, help="nextpnr --report output")
    ap.add_argument("--pnr-log", required=True, help="nextpnr -l output")
    ap.add_argument("--pnr-status", type=int, default=0, help="nextpnr's exit status")
    ap.add_argument("--times", default="", help="step=seconds ...")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    lines = []
    problems = []
    out = lines.append

    out(f"FPGA build report: {a.board} ({a.family})")
    out(f"parameters: {a.params}")
    out(f"target clock: {a.freq:g} MHz")
    out("")

    stat = load_json(a.stat)
    cells = {}
    if stat:
        cells = stat.get("design", {}).get("num_cells_by_type", {})
        if not cells:  # one module: the design section may be missing
            mods = stat.get("modules", {})
            if len(mods) == 1:
                cells = next(iter(mods.values())).get("num_cells_by_type", {})
    if cells:
        out("synthesis (yosys):")
        for label, types in SYNTH_CELLS[a.family]:
            out(f"  {label:34s} {sum(cells.get(t, 0) for t in types):8d}")
        out("")
    else:
        problems.append(f"no yosys statistics in {a.stat}")

    latches = latches_from_log(a.synth_log) if a.synth_log else []
    if latches:
        out("yosys inferred latches (STYLE.md: none; a loop variable shared by several always")
        out("blocks is the usual cause):")
        for mod, sig in latches:
            out(f"  {mod}.{sig}")
        out("")
        problems.append(f"{len(latches)} latch(es) inferred; see {a.synth_log}")
    # The entry memories and the group table are block RAM; none at all means they became LUTs.
    bram_types = [t for label, types in SYNTH_CELLS[a.family] if label.startswith(BRAM_LABEL)
                  for t in types]
    if cells and not sum(cells.get(t, 0) for t in bram_types):
        problems.append("no block RAM: the memories were not mapped to EBR")

    rep = load_json(a.pnr_report) or {}
    util = rep.get("utilization") or rep.get("utilisation") or {}
    if not util:
        util = util_from_log(a.pnr_log)
    if util:
        out("place and route (nextpnr):")
        for label, bel in PNR_BELS[a.family]:
            u = util.get(bel)
            if u is None:
                continue
            used, avail = int(u.get("used", 0)), int(u.get("available", 0))
            pct = 100.0 * used / avail if avail else 0.0
            out(f"  {label:34s} {used:8d} / {avail:6d}  {pct:5.1f} %")
            if avail and used > avail:
                problems.append(f"{bel}: {used} used, {avail} available")
        out("")

    fmax = {}
    for clk, v in (rep.get("fmax") or {}).items():
        try:
            fmax[clk] = (float(v["achieved"]), float(v["constraint"]))
        except (KeyError, TypeError, ValueError):
            pass
    if not fmax:
        fmax = fmax_from_log(a.pnr_log)
    if fmax:
        out("timing (nextpnr, worst case):")
        for clk, (got, want) in sorted(fmax.items()):
            ok = got >= want
            margin = 100.0 * (got - want) / want if want else 0.0
            out(f"  clock {clk}: Fmax {got:.2f} MHz, target {want:g} MHz, margin {margin:+.0f} %"
                f"  {'PASS' if ok else 'FAIL'}")
            if not ok:
                problems.append(f"clock {clk}: Fmax {got:.2f} MHz < target {want:g} MHz")
            if abs(want - a.freq) > 0.01 * a.freq:
                out(f"    note: nextpnr's constraint ({want:g} MHz) is not the build's target "
                    f"({a.freq:g} MHz): check the PLL settings and *_FREQ")
        out("")
    elif a.pnr_status == 0:
        problems.append("no timing result in the nextpnr report or log")

    if a.pnr_status != 0:
        problems.append(f"nextpnr failed (exit status {a.pnr_status}); see {a.pnr_log}")
        try:
            with open(a.pnr_log, errors="replace") as f:
                errs = [l.rstrip() for l in f if l.startswith("ERROR")]
            problems.extend(errs[-3:])
        except OSError:
            pass

    if a.times:
        out("step times: " + ", ".join(f"{k} {v} s" for k, v in
                                        (t.split("=", 1) for t in a.times.split())))
        out("")

    if problems:
        out("RESULT: FAIL")
        for p in problems:
            out(f"  {p}")
    else:
        out("RESULT: PASS")

    text = "\n".join(lines) + "\n"
    with open(a.out, "w") as f:
        f.write(text)
    if problems:
        sys.stdout.write(text)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
