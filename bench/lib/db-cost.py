#!/usr/bin/python3
"""What one database pays per run, for bench/db-cost-per-run.sh: snapshots of PostgreSQL's counters and a report of
their differences. Needs psycopg2 (Debian's python3-psycopg2, hence /usr/bin/python3) and, for the WAL attribution,
pg_waldump and read access to the cluster's pg_wal (root).

    db-cost.py snapshot --dsn DSN --out FILE.json
    db-cost.py wal --pg-wal DIR --waldump PATH A.json B.json --out FILE.json
    db-cost.py report --idle A.json B.json --case NAME RUNS A.json B.json [--case ...]

A snapshot holds the time, the database's xact_commit (pg_stat_database), the cluster's pg_current_wal_lsn() and
pg_stat_wal, the commits of every other database (to say whether the cluster was shared during a window), and
n_tup_ins/upd/hot_upd/del of every table of the database (pg_stat_user_tables). Backends publish their counts up to
10 s late: the caller waits 11 s after the load before taking the second snapshot.

The WAL of a window is cluster-wide; the part of this database is read from the WAL itself with pg_waldump (`wal`,
run at once after the window while a replication slot holds the segments: other databases on the cluster may write
gigabytes a minute): every record whose block references name this database (rel <tablespace>/<database oid>/
<relfilenode>) and every record of a transaction that wrote such a block (its commit record included); written next
to B.json as B.wal.json. Each case's counters minus what the idle server
did over the same number of seconds (the --idle window: the engine's and jobs' polls) are divided by the case's runs.
"""
import argparse
import json
import re
import subprocess
import sys
import time

SNAPSHOT_SQL = {
    "db": "SELECT oid, datname FROM pg_database WHERE datname = current_database()",
    "commits": "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()",
    "others": "SELECT coalesce(sum(xact_commit), 0) FROM pg_stat_database WHERE datname IS DISTINCT FROM current_database()",
    "lsn": "SELECT pg_current_wal_lsn()::text, pg_current_wal_lsn() - '0/0'::pg_lsn",
    "wal": "SELECT wal_records, wal_fpi, wal_bytes FROM pg_stat_wal",
    "tables": "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables",
}


def snapshot(args):
    import psycopg2

    connection = psycopg2.connect(args.dsn)
    cursor = connection.cursor()
    # one transaction (one commit of its own in the window); a fresh statistics read for each query
    cursor.execute("SET stats_fetch_consistency = none")
    out = {"time": time.time()}
    cursor.execute(SNAPSHOT_SQL["db"])
    out["db_oid"], out["db"] = cursor.fetchone()
    cursor.execute(SNAPSHOT_SQL["commits"])
    out["commits"], out["rollbacks"] = cursor.fetchone()
    cursor.execute(SNAPSHOT_SQL["others"])
    out["other_commits"] = int(cursor.fetchone()[0])
    cursor.execute(SNAPSHOT_SQL["lsn"])
    out["lsn"], lsn_bytes = cursor.fetchone()
    out["lsn_bytes"] = int(lsn_bytes)
    cursor.execute(SNAPSHOT_SQL["wal"])
    out["wal_records"], out["wal_fpi"], wal_bytes = cursor.fetchone()
    out["wal_bytes"] = int(wal_bytes)
    cursor.execute(SNAPSHOT_SQL["tables"])
    out["tables"] = {name: [ins, upd, hot, dele] for name, ins, upd, hot, dele in cursor.fetchall()}
    connection.commit()
    connection.close()
    with open(args.out, "w") as f:
        json.dump(out, f)


# rmgr: Heap        len (rec/tot):     54/   206, tx:        737, lsn: 0/01714F20, prev ..., desc: ..., blkref #0: rel 1663/16384/16390 blk 0 FPW
RECORD = re.compile(r"len \(rec/tot\):\s*(\d+)/\s*(\d+), tx:\s*(\d+),")
REL = re.compile(r"rel \d+/(\d+)/\d+")


def wal_of_database(waldump, pg_wal, start, end, db_oid):
    """[bytes, full-page-image bytes, records, commit records] of the window's WAL that belong to the database, or
    None. Commit records are the commits that wrote something (a read-only transaction writes no WAL and waits for no
    flush, though pg_stat_database counts it as a commit)."""
    try:
        dump = subprocess.run([waldump, "-p", pg_wal, "-s", start, "-e", end], capture_output=True, text=True,
                              timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"pg_waldump failed: {e}", file=sys.stderr)
        return None
    if dump.returncode != 0 and not dump.stdout:
        print(f"pg_waldump failed: {dump.stderr.strip()[:300]}", file=sys.stderr)
        return None
    db = str(db_oid)
    per_tx = {}  # xid -> [bytes, fpi bytes, records, commit records, touches the database]
    mine = [0, 0, 0, 0]
    for line in dump.stdout.splitlines():
        m = RECORD.search(line)
        if not m:
            continue
        rec, tot, xid = int(m.group(1)), int(m.group(2)), int(m.group(3))
        ours = any(d == db for d in REL.findall(line))
        if xid == 0:
            if ours:
                mine[0] += tot
                mine[1] += tot - rec
                mine[2] += 1
            continue
        t = per_tx.setdefault(xid, [0, 0, 0, 0, False])
        t[0] += tot
        t[1] += tot - rec
        t[2] += 1
        t[3] += 1 if "rmgr: Transaction" in line and "desc: COMMIT" in line else 0
        t[4] = t[4] or ours
    for t in per_tx.values():
        if t[4]:
            for k in range(4):
                mine[k] += t[k]
    return mine


def load(path):
    with open(path) as f:
        return json.load(f)


def diff(a, b):
    d = {
        "seconds": b["time"] - a["time"],
        "commits": b["commits"] - a["commits"],
        "other_commits": b["other_commits"] - a["other_commits"],
        "cluster_wal": b["lsn_bytes"] - a["lsn_bytes"],
        "tables": {},
    }
    for name, after in b["tables"].items():
        before = a["tables"].get(name, [0, 0, 0, 0])
        d["tables"][name] = [x - y for x, y in zip(after, before)]
    return d


def wal(args):
    a, b = load(args.snapshots[0]), load(args.snapshots[1])
    with open(args.out, "w") as f:
        json.dump(wal_of_database(args.waldump, args.pg_wal, a["lsn"], b["lsn"], a["db_oid"]), f)


def wal_read(b_path):
    try:
        return load(b_path.replace(".json", ".wal.json"))
    except (OSError, ValueError):
        return None


def report(args):
    idle_a, idle_b = load(args.idle[0]), load(args.idle[1])
    idle = diff(idle_a, idle_b)
    idle["wal"] = wal_read(args.idle[1])
    per_second = lambda x: x / idle["seconds"]
    idle_wal = f"{per_second(idle['wal'][0]):.0f} B/s" if idle["wal"] else "n/a"
    print(f"idle server over {idle['seconds']:.0f} s: {per_second(idle['commits']):.2f} commits/s, "
          f"WAL of this database {idle_wal} (subtracted below, pro rata)")
    rows = []
    tables = {}
    for name, runs, a_path, b_path in args.case:
        runs = int(runs)
        a, b = load(a_path), load(b_path)
        d = diff(a, b)
        d["wal"] = wal_read(b_path)
        scale = d["seconds"] / idle["seconds"]
        commits = (d["commits"] - idle["commits"] * scale) / runs
        if d["wal"] and idle["wal"]:
            wal = (d["wal"][0] - idle["wal"][0] * scale) / runs
            fpi = (d["wal"][1] - idle["wal"][1] * scale) / runs
            records = (d["wal"][2] - idle["wal"][2] * scale) / runs
            flushes = (d["wal"][3] - idle["wal"][3] * scale) / runs
            wal_text = (f"{flushes:>8.2f} {wal:8.0f} {fpi:8.0f} {records:7.1f}")
        else:
            wal_text = f"{'n/a':>8} {'n/a':>8} {'n/a':>8} {'n/a':>7}"
        rows_written = 0.0
        for table, counts in d["tables"].items():
            base = idle["tables"].get(table, [0, 0, 0, 0])
            net = [(c - i * scale) / runs for c, i in zip(counts, base)]
            if any(abs(x) >= 0.005 for x in net):
                tables.setdefault(table, {})[name] = net
            rows_written += net[0] + net[1] + net[3]
        cluster = d["cluster_wal"] / runs
        rows.append(f"{name:<16} {runs:>6} {d['seconds']:>6.0f} {commits:>8.2f} {rows_written:>8.2f} {wal_text} "
                    f"{cluster:>10.0f} {d['other_commits']:>8}")
    print()
    print(f"{'case':<16} {'runs':>6} {'window':>6} {'commits':>8} {'rows':>8} {'writing':>8} {'WAL B':>8} {'FPI B':>8} {'records':>7} "
          f"{'cluster B':>10} {'others':>8}")
    for row in rows:
        print(row)
    print()
    print("rows per run by table (inserted / updated (of them HOT) / deleted), net of the idle server:")
    names = [c[0] for c in args.case]
    print(f"{'table':<30} " + " ".join(f"{n:>24}" for n in names))
    for table in sorted(tables):
        cells = []
        for n in names:
            v = tables[table].get(n)
            cells.append(f"{v[0]:5.2f} / {v[1]:5.2f} ({v[2]:4.2f}) / {v[3]:4.2f}" if v else f"{'-':>24}")
        print(f"{table:<30} " + " ".join(f"{c:>24}" for c in cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("--dsn", required=True)
    s.add_argument("--out", required=True)
    w = sub.add_parser("wal")
    w.add_argument("--pg-wal", required=True)
    w.add_argument("--waldump", required=True)
    w.add_argument("--out", required=True)
    w.add_argument("snapshots", nargs=2)
    r = sub.add_parser("report")
    r.add_argument("--idle", nargs=2, required=True)
    r.add_argument("--case", nargs=4, action="append", required=True, metavar=("NAME", "RUNS", "A", "B"))
    args = parser.parse_args()
    {"snapshot": snapshot, "wal": wal, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
