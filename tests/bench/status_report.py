#!/usr/bin/env python3
"""Turns run-status-bench.sh's wrk samples (TSV: key, side, name, req/s, p50, p99, errors) into the
status figures: printed as a table and, with --json, written in the shape report.py merges."""
import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchreport  # noqa: E402

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def milliseconds(text):
    for suffix in ("us", "ms", "s", "m"):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * UNITS_MS[suffix]
    raise ValueError("unknown wrk latency %r" % text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("samples")
    parser.add_argument("--connections", type=int, required=True)
    parser.add_argument("--duration", type=int, required=True)
    parser.add_argument("--distinct", type=int, required=True)
    parser.add_argument("--json")
    args = parser.parse_args()

    rps = collections.defaultdict(list)
    p50 = collections.defaultdict(list)
    p99 = collections.defaultdict(list)
    errors = []
    with open(args.samples) as f:
        for line in f:
            key, side, name, r, a, b, err = (line.rstrip("\n").split("\t") + [""])[:7]
            rps[key, side].append(float(r))
            p50[key, side].append(milliseconds(a))
            p99[key, side].append(milliseconds(b))
            if err.strip():
                errors.append("%s: %s" % (name, err.strip()))

    load = f"wrk -t2 -c{args.connections}, {args.duration} s per run"
    one = "1 SUBMITTED job, answer cached (peer: COMPLETED, its best case)"
    many = f"{args.distinct} SUBMITTED jobs at random (peer asks the provider)"
    rows = [
        benchreport.figure("status_one_rps", f"status, {one}", "req/s", rps["one", "ours"],
                           rps["completed", "peer"], "≥ 20×", ("times", 20)),
        benchreport.figure("status_one_p50_ms", "status, one job: p50 latency", "ms", p50["one", "ours"],
                           p50["completed", "peer"]),
        benchreport.figure("status_one_p99_ms", "status, one job: p99 latency", "ms", p99["one", "ours"],
                           p99["completed", "peer"], "≤ 5 ms", ("at_most", 5)),
        benchreport.figure("status_completed_rps", "status, a COMPLETED job", "req/s", rps["completed", "ours"],
                           rps["completed", "peer"]),
        benchreport.figure("status_completed_p99_ms", "status, a COMPLETED job: p99 latency", "ms",
                           p99["completed", "ours"], p99["completed", "peer"]),
        benchreport.figure("status_distinct_rps", f"status, {many}", "req/s", rps["distinct", "ours"],
                           rps["distinct", "peer"]),
        benchreport.figure("status_distinct_p50_ms", f"status, {args.distinct} jobs: p50 latency", "ms",
                           p50["distinct", "ours"], p50["distinct", "peer"]),
        benchreport.figure("status_distinct_p99_ms", f"status, {args.distinct} jobs: p99 latency", "ms",
                           p99["distinct", "ours"], p99["distinct", "peer"]),
        benchreport.figure("status_peer_submitted_rps", "status, peer: a SUBMITTED job (asks the provider)",
                           "req/s", [], rps["submitted", "peer"]),
    ]
    print(f"\nstatus endpoint ({load})")
    print(benchreport.table(rows))
    if errors:
        print("\nerrors:\n  " + "\n  ".join(errors))
    if args.json:
        setup = {"load": load, "connections": args.connections, "duration_s": args.duration,
                 "distinct_jobs": args.distinct, "errors": errors}
        benchreport.write(args.json, "status endpoint", setup, rows)


if __name__ == "__main__":
    main()
