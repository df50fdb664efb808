#!/usr/bin/env python3
"""Compare abierto and frictionless-py on the same benchmark file.

    python3 compare.py --abierto abierto.json --abierto-time abierto.1.time [abierto.2.time ...] \
        --frictionless frictionless.json --frictionless-time frictionless.time

abierto.json is abierto's frictionless-shaped report; frictionless.json is the
output of frictionless_counts.py; the *.time files are `/usr/bin/time -v`
outputs. abierto runs in well under a second, where a virtual machine's noise
weighs most, so it may be timed several times: its wall time is then the median
and its peak RSS the highest. Prints error counts by code, rows/second, speed
ratio and peak RSS.
Exits 1 if the counts differ, the speed ratio is below --min-ratio, or
abierto's peak RSS reaches --max-rss-mib.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter


def read_time(path: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) from `/usr/bin/time -v` output."""
    text = open(path, encoding="utf-8").read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if not wall or not rss:
        sys.exit(f"{path}: not a /usr/bin/time -v output")
    seconds = 0.0
    for part in wall.group(1).split(":"):  # h:mm:ss or m:ss.ss
        seconds = seconds * 60 + float(part)
    return seconds, int(rss.group(1)) / 1024


def read_abierto(path: str) -> tuple[Counter[str], int | None]:
    """Counts by code and data rows from abierto's report JSON."""
    report = json.load(open(path, encoding="utf-8"))
    counts: Counter[str] = Counter(e["type"] for e in report.get("errors", []))
    rows = None
    for task in report.get("tasks", []):
        counts.update(e["type"] for e in task.get("errors", []))
        rows = task.get("stats", {}).get("rows", rows)
    if rows is None:
        rows = report.get("stats", {}).get("rows")
    return counts, rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--abierto", required=True)
    ap.add_argument("--abierto-time", required=True, nargs="+")
    ap.add_argument("--frictionless", required=True)
    ap.add_argument("--frictionless-time", required=True)
    ap.add_argument("--min-ratio", type=float, default=100.0)
    ap.add_argument("--max-rss-mib", type=float, default=32.0)
    args = ap.parse_args()

    a_counts, a_rows = read_abierto(args.abierto)
    f_report = json.load(open(args.frictionless, encoding="utf-8"))
    f_counts, f_rows = Counter(f_report["counts"]), f_report["rows"]
    a_runs = [read_time(path) for path in args.abierto_time]
    a_wall = statistics.median(wall for wall, _ in a_runs)
    a_rss = max(rss for _, rss in a_runs)
    f_wall, f_rss = read_time(args.frictionless_time)

    # Error counts by code
    print(f"{'code':<20}{'abierto':>12}{'frictionless':>14}  equal")
    for code in sorted(set(a_counts) | set(f_counts)):
        a, f = a_counts[code], f_counts[code]
        print(f"{code:<20}{a:>12}{f:>14}  {'yes' if a == f else 'NO'}")
    a_total, f_total = sum(a_counts.values()), sum(f_counts.values())
    print(f"{'total':<20}{a_total:>12}{f_total:>14}  {'yes' if a_counts == f_counts else 'NO'}")
    print()

    # Speed and memory (wall time includes start-up for both tools)
    # /usr/bin/time reports wall time in 0.01 s steps: treat 0.00 as 0.01 (rates become lower bounds)
    a_wall, f_wall = max(a_wall, 0.01), max(f_wall, 0.01)
    a_rate, f_rate = (a_rows or 0) / a_wall, (f_rows or 0) / f_wall
    ratio = a_rate / f_rate if f_rate > 0 else float("inf")
    print(f"{'':<20}{'abierto':>12}{'frictionless':>14}")
    print(f"{'rows':<20}{str(a_rows):>12}{str(f_rows):>14}")
    print(f"{'wall seconds':<20}{a_wall:>12.2f}{f_wall:>14.2f}"
          f"   (frictionless validate() alone: {f_report.get('seconds')} s)")
    if len(a_runs) > 1:
        walls = sorted(wall for wall, _ in a_runs)
        print(f"{'':<20}abierto: median of {len(walls)} runs, "
              f"{walls[0]:.2f}–{walls[-1]:.2f} s")
    print(f"{'rows/second':<20}{a_rate:>12,.0f}{f_rate:>14,.0f}")
    print(f"{'peak RSS MiB':<20}{a_rss:>12.1f}{f_rss:>14.1f}")
    print(f"speed ratio (abierto / frictionless): {ratio:,.1f}x")
    print()

    failures = []
    if a_counts != f_counts:
        failures.append("error counts differ")
    if a_rows != f_rows:
        print(f"warning: row counts differ ({a_rows} vs {f_rows})")
    if ratio < args.min_ratio:
        failures.append(f"speed ratio {ratio:.1f} < {args.min_ratio:g}")
    if a_rss >= args.max_rss_mib:
        failures.append(f"abierto peak RSS {a_rss:.1f} MiB >= {args.max_rss_mib:g} MiB")
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print("OK")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
