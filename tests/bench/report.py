#!/usr/bin/env python3
"""Merges the benchmark reports (bench_engine, run-status-bench.sh, bench_console --json) into one
table — figure, our median [min-max], the peer's, how many times better, the target — printed, written
as JSON (--json) and as a Markdown table for the README (--markdown)."""
import argparse
import datetime
import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchreport  # noqa: E402


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("reports", nargs="+")
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    parser.add_argument("--load", default="", help="load averages seen during the run")
    args = parser.parse_args()

    rows, sources = [], []
    for path in args.reports:
        with open(path) as f:
            report = json.load(f)
        sources.append({"title": report.get("title", path), "setup": report.get("setup", {})})
        rows += [row for row in report["figures"] if row.get("ours") or row.get("peer")]

    header = machine()
    if args.load:
        header["load"] = args.load
    title = "Batchdeck benchmark report: %d cores, %s, %s" % (header["cores"], header["cpu"], header["date"])
    print("\n" + title)
    if args.load:
        print("load average during the run: " + args.load)
    print(benchreport.table(rows))
    missed = [row["figure"] for row in rows if row.get("met") is False]
    print("\ntargets not met: " + ("; ".join(missed) if missed else "none"))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"title": title, "machine": header, "sources": sources, "figures": rows}, f, indent=2)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("Measured %s on %d cores (%s)%s.\n\n" % (
                header["date"], header["cores"], header["cpu"],
                ", load average " + args.load if args.load else ""))
            f.write(benchreport.markdown(rows) + "\n")


if __name__ == "__main__":
    main()
