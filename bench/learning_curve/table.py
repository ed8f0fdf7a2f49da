#!/usr/bin/env python3
"""Markdown table of a learning curve: quality.csv or checkpoint_quality.csv of one or more runs, side by side.
Usage: table.py NAME=CSV [NAME=CSV ...] [--every N]   (EMA generator columns; the raw generator's precision and
recall in brackets; coverage, a count-robust diversity number, where the log has it, "-" where it does not)"""
import csv
import sys


def rows(path):
    with open(path) as f:
        return {int(r["step"]): r for r in csv.DictReader(f)}


def coverage(q):
    value = q.get("coverage_ema") or ""  # absent from logs written before coverage existed, empty in their rows
    return f"{float(value):.2f}" if value else "-"


def main():
    every = 500
    args = [a for a in sys.argv[1:]]
    if "--every" in args:
        i = args.index("--every")
        every = int(args[i + 1])
        del args[i:i + 2]
    runs = [(a.split("=", 1)[0], rows(a.split("=", 1)[1])) for a in args]
    steps = sorted({s for _, r in runs for s in r if s % every == 0})
    head = "| step | " + " | ".join(f"{n}: precision (raw) / recall (raw) / coverage / KID / W1" for n, _ in runs) + " |"
    print(head)
    print("|---|" + "---|" * len(runs))
    for s in steps:
        cells = []
        for _, r in runs:
            q = r.get(s)
            cells.append("" if q is None else
                         f"{float(q['precision_ema']):.2f} ({float(q['precision_raw']):.2f}) / "
                         f"{float(q['recall_ema']):.2f} ({float(q['recall_raw']):.2f}) / {coverage(q)} / "
                         f"{float(q['kid_ema']):.3f} / {float(q['histogram_w1_ema']):.3f}")
        print(f"| {s:,} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
