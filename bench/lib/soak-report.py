#!/usr/bin/env python3
"""Figures for bench/soak.sh. Standard library only.

  soak-report.py latency REQUESTS.TSV FROM TO
      p50 and p99 (ms) of the webhook answers (both webhook kinds) and of the run list, and the request count,
      between two epoch times: "hook_p50 hook_p99 list_p50 list_p99 requests"
  soak-report.py trends SAMPLES.CSV REQUESTS.TSV WARMUP_MINUTES P99_RATIO
      prints the slope table of the sampled series (after the warm-up) and one PASS/FAIL line per check;
      exits 1 when a check failed.

Slopes are ordinary least squares over the samples after the warm-up, per hour, and relative to the series' mean
(percent of the mean per hour). A series passes when its slope is within max(absolute, relative x mean) per hour
(the tolerances in LIMITS; a rise smaller than the series' noise floor over the whole window also passes), or when it
rose once and levelled off: the last third of the samples holds no new high (its maximum is at most the maximum
before it, plus a margin for tables), as a pool growing to its size does; a leak keeps making new highs.
A table is bounded by the same rule; with retention short, rows and pages are reused and both stay level.
"""
import csv
import sys

# series: (absolute tolerance per hour, relative tolerance per hour as a fraction of the mean, the smallest rise over
# the whole window worth calling growth, and the margin over the earlier high still counted as levelled).
# heap_after_gc_mb: a leak of 100 bytes per request at ~150 requests/s is ~54 MB/h: caught.
# threads: a thread per hour or a few per minute accumulate visibly; pools grow to their maximum during the warm-up.
# db_connections: the pool holds at most 32; a leaked connection per minute is 60/h.
# open_fds: a leaked socket or file per 1000 requests is ~500/h.
# tables: without retention they grow by the run rate (rows) and megabytes per hour; with it they swing between two
# retention ticks, so a new high within a quarter of the earlier one is still level.
LIMITS = {
    "heap_after_gc_mb": (32.0, 0.10, 16.0, 0.0),
    "threads": (12.0, 0.05, 8.0, 0.0),
    "db_connections": (8.0, 0.10, 4.0, 0.0),
    "open_fds": (40.0, 0.05, 20.0, 0.0),
    "runs_rows": (2000.0, 0.50, 0.0, 0.25),
    "steps_rows": (5000.0, 0.50, 0.0, 0.25),
    "deliveries_rows": (2000.0, 0.50, 0.0, 0.25),
    "runs_mb": (8.0, 0.50, 2.0, 0.25),
    "steps_mb": (8.0, 0.50, 2.0, 0.25),
    "deliveries_mb": (8.0, 0.50, 2.0, 0.25),
    "app_tables_mb": (16.0, 0.50, 4.0, 0.25),
}
TABLES = ("runs_rows", "steps_rows", "deliveries_rows", "runs_mb", "steps_mb", "deliveries_mb", "app_tables_mb")


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def read_requests(path, t_from=None, t_to=None):
    out = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 5:
                continue
            t = float(parts[0])
            if t_from is not None and not (t_from <= t < t_to):
                continue
            out.append((t, parts[1], int(parts[2]), float(parts[3])))
    return out


def latency(path, t_from, t_to):
    rows = read_requests(path, float(t_from), float(t_to))
    hook = [ms for _, k, s, ms in rows if k.startswith("webhook")]
    lst = [ms for _, k, s, ms in rows if k == "list"]
    print("%.1f %.1f %.1f %.1f %d" % (percentile(hook, 0.5), percentile(hook, 0.99), percentile(lst, 0.5),
                                      percentile(lst, 0.99), len(rows)))


def slope(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return 0.0, my
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx, my


def trends(samples_path, requests_path, warmup_minutes, p99_ratio):
    with open(samples_path) as f:
        rows = list(csv.DictReader(f))
    kept = [r for r in rows if float(r["minute"]) >= warmup_minutes]
    failures = 0
    if len(kept) < 3:
        print("FAIL  fewer than 3 samples after the %.1f-minute warm-up (%d): nothing to fit" % (warmup_minutes, len(kept)))
        return 1
    hours = [float(r["minute"]) / 60 for r in kept]
    series = [c for c in rows[0].keys() if c not in ("epoch", "minute")]
    print()
    print("Trends over %d samples after a %.1f-minute warm-up (least squares; slope per hour, and relative to the mean)"
          % (len(kept), warmup_minutes))
    print("%-18s %10s %10s %10s %10s %12s %9s %9s  %s" % ("series", "first", "last", "min", "max", "slope/h",
                                                         "%mean/h", "limit/h", "check"))
    verdicts = []
    for name in series:
        ys = []
        for r in kept:
            try:
                ys.append(float(r[name]))
            except (TypeError, ValueError):
                ys.append(float("nan"))
        pairs = [(x, y) for x, y in zip(hours, ys) if y == y]
        if len(pairs) < 3:
            continue
        b, mean = slope([p[0] for p in pairs], [p[1] for p in pairs])
        rel = (b / mean * 100) if mean else 0.0
        limit = LIMITS.get(name)
        verdict, limit_text = "", "-"
        if limit:
            absolute, relative, min_change, margin = limit
            window = pairs[-1][0] - pairs[0][0]
            allowed = max(absolute, relative * abs(mean), min_change / window if window > 0 else 0.0)
            limit_text = "%.1f" % allowed
            vals = [p[1] for p in pairs]
            cut = len(vals) - max(1, len(vals) // 3)
            levelled = max(vals[cut:]) <= max(vals[:cut]) * (1 + margin)
            verdict = "PASS" if b <= allowed or levelled else "FAIL"
            verdicts.append((name, verdict, b, rel, allowed, levelled and b > allowed, max(vals[:cut]), max(vals[cut:])))
        vals = [p[1] for p in pairs]
        print("%-18s %10.1f %10.1f %10.1f %10.1f %12.2f %8.1f%% %9s  %s" % (name, vals[0], vals[-1], min(vals),
                                                                         max(vals), b, rel, limit_text, verdict))
    print()
    for name, verdict, b, rel, allowed, levelled, high_before, high_last in verdicts:
        if verdict == "FAIL":
            failures += 1
        what = "bounded" if name in TABLES else "flat"
        note = ""
        if levelled:
            note = "; over the limit, but levelled: last third's high %.1f against %.1f before" % (high_last, high_before)
        elif b > allowed:
            note = "; the last third made a new high: %.1f > %.1f before" % (high_last, high_before)
        print("%s  %s %s: slope %+.2f/h (%+.1f%% of its mean per hour), allowed %.1f/h%s"
              % (verdict, name, what, b, rel, allowed, note))

    # p99 stable: the last third of the load (after the warm-up) against the first third
    reqs = read_requests(requests_path)
    t0 = float(rows[0]["epoch"]) - 60 * float(rows[0]["minute"])  # the load's start
    t_warm = t0 + 60 * warmup_minutes
    t_end = max(t for t, _, _, _ in reqs) if reqs else t_warm
    third = (t_end - t_warm) / 3
    for label, kinds in (("webhook", ("webhook", "webhook_http")), ("run list", ("list",))):
        first = [ms for t, k, s, ms in reqs if k in kinds and t_warm <= t < t_warm + third]
        last = [ms for t, k, s, ms in reqs if k in kinds and t >= t_end - third]
        a, z = percentile(first, 0.99), percentile(last, 0.99)
        ratio = z / a if a else float("inf")
        verdict = "PASS" if ratio <= p99_ratio else "FAIL"
        if verdict == "FAIL":
            failures += 1
        print("%s  %s p99 stable: last third %.1f ms (%d requests) / first third %.1f ms (%d) = %.2f (allowed %.2f)"
              % (verdict, label, z, len(last), a, len(first), ratio, p99_ratio))
    return 1 if failures else 0


def main():
    if sys.argv[1] == "latency":
        latency(*sys.argv[2:5])
        return 0
    if sys.argv[1] == "trends":
        return trends(sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]))
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
