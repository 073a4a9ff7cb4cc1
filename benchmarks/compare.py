#!/usr/bin/env python3
# Copyright 2026-present the original author or authors.
# Licensed under the Apache License, Version 2.0: https://www.apache.org/licenses/LICENSE-2.0
"""Compares aio's figures in two BENCHMARKS.md files written by `benchmarks/bench.sh suite`.

Usage: benchmarks/compare.py OLD.md NEW.md [--threshold 5]

Every table row about aio (a cell naming aio, IO::AIO's rows excepted) and every column about
aio (a header starting with "aio") is matched by section, row and column. All these figures are
costs (time, latency, CPU, bytes): lower is better. A figure more than the threshold (percent)
above the old one is reported as slower; where both rows give a min-max spread it also says
whether the spreads overlap (then the change is within what the machine's noise did to one
variant in one run). A second table compares aio's ratios to its peers, each taken within its own
run: a figure slower while its ratios held is the machine, not aio.
"""
import re
import sys


def tables(path):
    """Yields (section, header cells, row cells) for every table row below a heading."""
    section = []
    header = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^(#+) (.*)", line)
            if m:
                level = len(m.group(1))
                section = section[: level - 1] + [m.group(2).strip()]
                header = None
                continue
            if not line.startswith("|"):
                header = None
                continue
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                continue
            if header is None:
                header = cells
                continue
            yield " / ".join(section[1:]), header, cells


def number(cell):
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)(?: ?x)?", cell)
    return float(m.group(1)) if m else None


def about_aio(text):
    t = text.replace("IO::AIO", "")
    return re.search(r"\baio\b", t) is not None


SKIP_COLUMNS = re.compile(r" / |^min$|^max$|threads|queued|in flight|^request$|^implementation$|^what$|\?")


def figures(path):
    """Returns {(section, row label, column): (value, min, max)} of aio's figures."""
    out = {}
    for section, header, cells in tables(path):
        if len(cells) != len(header):
            continue
        label_cells = [cells[0]] + [c for c in cells[1:] if number(c) is None]
        extra = [c for c, h in zip(cells, header) if h in ("threads", "queued", "in flight") and c not in label_cells]
        label = " | ".join(label_cells + extra)
        row_aio = any(about_aio(c) for c in label_cells)
        lo = hi = None
        if "min" in header and "max" in header:
            lo, hi = number(cells[header.index("min")]), number(cells[header.index("max")])
        for h, c in zip(header, cells):
            v = number(c)
            if v is None or SKIP_COLUMNS.search(h):
                continue
            if row_aio or h.lower().startswith("aio"):
                out[(section, label, h)] = (v, lo, hi)
    return out


def ratios(path):
    """Returns {(section, row label, column): (ratio, aio_first)} of every ratio of aio to a peer."""
    out = {}
    for section, header, cells in tables(path):
        if len(cells) != len(header):
            continue
        label = " | ".join([cells[0]] + [c for c in cells[1:] if number(c) is None and c not in ("yes", "no")])
        for h, c in zip(header, cells):
            v = number(c)
            if v is None or " / " not in h or "best pass" in h:
                continue
            left, right = h.split(" / ", 1)
            if about_aio(left) and not about_aio(right):
                out[(section, label, h)] = (v, True)
            elif about_aio(right.split(",")[0]) and not about_aio(left) and not about_aio(cells[0]):
                out[(section, label, h)] = (v, False)
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    threshold = 5.0
    if "--threshold" in argv:
        threshold = float(argv[argv.index("--threshold") + 1])
    old, new = figures(argv[1]), figures(argv[2])
    slower = within = 0
    shown = set()
    print(f"| section | row | column | old | new | change | verdict |")
    print("|---|---|---|---:|---:|---:|---|")
    for key in old:
        if key not in new:
            continue
        (a, alo, ahi), (b, blo, bhi) = old[key], new[key]
        if a == 0 or (key[0], a, b) in shown:
            continue  # a summary table repeating a figure shown above
        shown.add((key[0], a, b))
        change = (b / a - 1) * 100
        if change > threshold:
            if ahi is not None and blo is not None and blo <= ahi:
                verdict = "slower, spreads overlap"
                within += 1
            else:
                verdict = "**slower**"
                slower += 1
        elif change < -threshold:
            verdict = "faster"
        else:
            verdict = "same"
        print(f"| {key[0]} | {key[1]} | {key[2]} | {a:g} | {b:g} | {change:+.0f}% | {verdict} |")
    missing = [k for k in old if k not in new]
    print()
    print("Ratios against peers, each within its own run (they cancel what the machine did to both):")
    print()
    print("| section | row | column | old | new | aio's change | verdict |")
    print("|---|---|---|---:|---:|---:|---|")
    old_r, new_r = ratios(argv[1]), ratios(argv[2])
    worse = 0
    for key in old_r:
        if key not in new_r or old_r[key][0] == 0 or new_r[key][0] == 0:
            continue
        (a, aio_first), (b, _) = old_r[key], new_r[key]
        change = ((b / a) if aio_first else (a / b)) * 100 - 100
        verdict = "**worse**" if change > threshold else "better" if change < -threshold else "same"
        worse += change > threshold
        print(f"| {key[0]} | {key[1]} | {key[2]} | {a:g} | {b:g} | {change:+.0f}% | {verdict} |")
    print()
    print(f"{len(old)} figures of aio in the old run, {len(new)} in the new; {slower} slower by more than "
          f"{threshold:g}% beyond the spread, {within} slower within overlapping spreads; {len(missing)} not in the new run; "
          f"{worse} ratios against a peer worse by more than {threshold:g}%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
