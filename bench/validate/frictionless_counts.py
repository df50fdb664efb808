#!/usr/bin/env python3
"""Validate DATA.csv against SCHEMA.json with frictionless-py, print error counts as JSON.

    python frictionless_counts.py DATA.csv SCHEMA.json

Prints {"tool", "version", "valid", "rows", "seconds", "counts": {code: n}} where
"seconds" is the time spent in validate() (imports excluded).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter

import frictionless
from frictionless import Resource, Schema


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    data = os.path.abspath(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as fh:
        schema = Schema.from_descriptor(json.load(fh))
    # frictionless treats absolute or "../" paths as unsafe: use a plain name in its directory
    os.chdir(os.path.dirname(data))
    resource = Resource(os.path.basename(data), encoding="utf-8", schema=schema)
    start = time.perf_counter()
    report = resource.validate(limit_errors=sys.maxsize)
    seconds = time.perf_counter() - start

    counts: Counter[str] = Counter(e.type for e in report.errors)
    rows = None
    for task in report.tasks:
        counts.update(e.type for e in task.errors)
        rows = task.stats.get("rows")
    print(json.dumps({
        "tool": "frictionless",
        "version": frictionless.__version__,
        "valid": report.valid,
        "rows": rows,
        "seconds": round(seconds, 3),
        "counts": dict(sorted(counts.items())),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
