"""Shared by the benchmark scripts: figures as medians of samples, the report's JSON shape (the same
as bench_engine's --json) and the one table they are printed in."""
import json
import statistics

HIGHER_IS_BETTER = {"req/s"}


def samples(values):
    values = [float(v) for v in values]
    if not values:
        return {}
    return {"median": statistics.median_low(values) if len(values) % 2 == 0 else statistics.median(values),
            "min": min(values), "max": max(values), "samples": values}


def figure(key, label, unit, ours, peer=(), target="", goal=None, note=""):
    """goal: ("times", X) = at least X times better than the peer; ("at_most", X) = our median <= X."""
    row = {"key": key, "figure": label, "unit": unit, "ours": samples(ours), "peer": samples(peer),
           "target": target}
    ratio = times_better(row)
    if ratio is not None:
        row["times_better"] = ratio
    if goal and row["ours"]:
        kind, value = goal
        if kind == "times" and ratio is not None:
            row["met"] = ratio >= value
        elif kind == "at_most":
            row["met"] = row["ours"]["median"] <= value
    if note:
        row["note"] = note
    return row


def times_better(row):
    """How many times better our median is than the peer's (time and memory: lower is better)."""
    ours, peer = row.get("ours") or {}, row.get("peer") or {}
    if not ours or not peer or ours["median"] <= 0 or peer["median"] <= 0:
        return None
    if row["unit"] in HIGHER_IS_BETTER:
        return ours["median"] / peer["median"]
    return peer["median"] / ours["median"]


def number(value):
    if value >= 100:
        return "%.0f" % value
    if value >= 10:
        return "%.1f" % value
    return "%.3g" % value


def cell(s, unit):
    if not s:
        return ""
    return "%s %s [%s-%s]" % (number(s["median"]), unit, number(s["min"]), number(s["max"]))


def table(rows):
    header = ("figure", "ours: median [min-max]", "peer: median [min-max]", "ratio", "target", "met")
    lines = []
    for row in rows:
        ratio = row.get("times_better", times_better(row))
        met = row.get("met")
        lines.append((row["figure"], cell(row.get("ours"), row["unit"]), cell(row.get("peer"), row["unit"]),
                      "%.1fx" % ratio if ratio is not None else "", row.get("target", ""),
                      "" if met is None else ("yes" if met else "NO")))
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths)), "-" * (sum(widths) + 2 * (len(widths) - 1))]
    out += ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
    return "\n".join(out)


def markdown(rows):
    out = ["| figure | ours: median [min–max] | peer: median [min–max] | ratio | target |",
           "|---|---|---|---|---|"]
    for row in rows:
        ratio = row.get("times_better", times_better(row))
        met = row.get("met")
        target = row.get("target", "")
        if met is not None:
            target += " — met" if met else " — NOT met"
        out.append("| %s | %s | %s | %s | %s |" % (
            row["figure"], cell(row.get("ours"), row["unit"]), cell(row.get("peer"), row["unit"]),
            "%.1f×" % ratio if ratio is not None else "", target))
    return "\n".join(out)


def write(path, title, setup, rows):
    with open(path, "w") as f:
        json.dump({"title": title, "setup": setup, "figures": rows}, f, indent=2)
