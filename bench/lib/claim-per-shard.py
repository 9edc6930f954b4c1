#!/usr/bin/python3
"""The claim of JpaRunQueue run against one database holding every workspace, and against N databases each holding a
share of the workspaces (a simulation of a database distributed by workspace_id), for bench/claim-per-shard.sh.
Needs psycopg2 (Debian's python3-psycopg2, hence /usr/bin/python3).

    claim-per-shard.py --single DSN --shard DSN --shard DSN ... --claim-sql FILE [settings]

FILE is the claim as PREPARE claim(...) (bench/lib/claim-sql.py). Each database must be migrated and hold no runs.
For each scenario (even: every workspace the same backlog; skewed: one workspace half of it) and each layout:
  single        every claimer claims from the one database;
  round-robin   every claimer claims from the shards in turn (each starts at its own shard), as an instance would
                that keeps one connection pool per shard and visits them one claim at a time;
  groups        claimer c claims only from the shards s with s % claimers == c (a claim per shard group: each
                instance owns some shards), in turn among its own;
the same backlog (same workspaces, same runs, workspace -> shard by a hash of its id) is seeded, then --claimers
threads (the instances, one connection per database each) loop: claim --limit runs (the real statement, its own
transaction), then mark them SUCCEEDED (a second transaction, as the engine's success write), until every seeded run
is claimed or --max-seconds. A claim that returns nothing is an empty probe. Printed per layout: runs/s, claims/s,
mean ms of a claim that took runs, how many claims found nothing on a database that still had runs (missed: another
claimer held the workflow rows) and on a drained one (empty probes, and their mean ms), when each workspace got its
first run (p50, max), when the quiet workspaces' last run was claimed, and when each shard gave its last runs.
"""
import argparse
import hashlib
import statistics
import threading
import time
import uuid

import psycopg2

EXECUTE = "EXECUTE claim(now(), %s, now() + interval '1 minute', %s, 3)"
DONE = "UPDATE workflow_runs SET status = 'SUCCEEDED', finished_at = now() WHERE id = ANY(%s::uuid[])"


def connect(dsn, prepare=None):
    c = psycopg2.connect(dsn)
    c.autocommit = True
    if prepare:
        with c.cursor() as cur:
            cur.execute(prepare)
    return c


def shard_of(workspace, shards):
    return int(hashlib.md5(workspace.bytes).hexdigest(), 16) % shards


def seed_workspaces(dsns, workspaces, shards):
    """Workspace and workflow rows: all in the single database, each shard its own (hash of the workspace id)."""
    single, shard_dsns = dsns
    for dsn, members in [(single, workspaces)] + [
            (d, [w for w in workspaces if shard_of(w[0], shards) == i]) for i, d in enumerate(shard_dsns)]:
        c = connect(dsn)
        with c.cursor() as cur:
            cur.execute("TRUNCATE workflow_runs, workflows, workspaces CASCADE")
            for ws, wf, name in members:
                cur.execute("INSERT INTO workspaces (id, name, plan_tier, created_at, updated_at)"
                            " VALUES (%s, %s, 'WORKSPACE', now(), now())", (str(ws), name))
                cur.execute("INSERT INTO workflows (id, workspace_id, name, trigger_type, current_version,"
                            " concurrency_limit, created_at, updated_at)"
                            " VALUES (%s, %s, 'shard bench', 'trigger.manual', 1, 100, now(), now())",
                            (str(wf), str(ws)))
                cur.execute("INSERT INTO workflow_versions (workflow_id, number, definition, created_at)"
                            " VALUES (%s, 1, '{}', now())", (str(wf),))
        c.close()


def seed_runs(dsn, backlog):
    """backlog: [(workspace, workflow, runs)]; queued a millisecond apart over the last minutes, all due."""
    c = connect(dsn)
    with c.cursor() as cur:
        cur.execute("TRUNCATE workflow_runs CASCADE")
        for ws, wf, n in backlog:
            if n:
                cur.execute("INSERT INTO workflow_runs (id, workspace_id, workflow_id, workflow_version, status, trigger,"
                            " queued_at, next_attempt_at)"
                            " SELECT gen_random_uuid(), %s, %s, 1, 'QUEUED', 'MANUAL', t, t FROM"
                            " (SELECT now() - interval '10 minutes' + random() * interval '9 minutes' AS t"
                            "  FROM generate_series(1, %s)) s", (str(ws), str(wf), n))
        cur.execute("VACUUM ANALYZE workflow_runs")
    c.close()


class Drain:
    def __init__(self, dsns, claim_sql, claimers, limit, max_seconds, workspace_of_workflow):
        self.dsns = dsns
        self.claim_sql = claim_sql
        self.claimers = claimers
        self.limit = limit
        self.max_seconds = max_seconds
        self.lock = threading.Lock()
        self.claims = []  # (claimer, db index, seconds from start, ms, runs)
        self.first = {}  # workspace -> seconds of its first claimed run
        self.last = {}  # workspace -> seconds of its last claimed run
        self.claimed = 0
        self.cpu_ticks = 0  # CPU the database backends spent on this drain (claims and success writes)
        self.workspace_of_workflow = workspace_of_workflow

    def run(self, plan, total):
        """plan(c) -> list of db indexes claimer c visits in turn."""
        self.total = total
        self.start = time.monotonic()
        threads = [threading.Thread(target=self.claimer, args=(c, plan(c))) for c in range(self.claimers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.monotonic() - self.start

    def claimer(self, c, order):
        connections = {i: connect(self.dsns[i], self.claim_sql) for i in set(order)}
        backends = {}
        for i, conn in connections.items():
            with conn.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                backends[i] = cur.fetchone()[0]
        started = {i: backend_ticks(pid) for i, pid in backends.items()}
        owner = f"sim{c}"
        turn = 0
        empty_round = 0
        try:
            while True:
                now = time.monotonic() - self.start
                with self.lock:
                    if self.claimed >= self.total or now > self.max_seconds:
                        return
                i = order[turn % len(order)]
                turn += 1
                cur = connections[i].cursor()
                t0 = time.monotonic()
                cur.execute(EXECUTE, (owner, self.limit))
                rows = cur.fetchall()
                ms = (time.monotonic() - t0) * 1000
                at = t0 - self.start
                if rows:
                    cur.execute(DONE, ([str(r[0]) for r in rows],))
                    empty_round = 0
                else:
                    empty_round += 1
                cur.close()
                with self.lock:
                    self.claims.append((c, i, at, ms, len(rows)))
                    self.claimed += len(rows)
                    for r in rows:
                        ws = str(r[7])  # RETURNING ..., r.workspace_id
                        self.first.setdefault(ws, at)
                        self.last[ws] = at
                # every database this claimer visits is empty: it has nothing left to do (an engine would poll on)
                if empty_round >= len(order):
                    return
        finally:
            used = sum(backend_ticks(pid) - started[i] for i, pid in backends.items())
            with self.lock:
                self.cpu_ticks += used
            for conn in connections.values():
                conn.close()


def backend_ticks(pid):
    """User + system CPU clock ticks of a PostgreSQL backend so far (/proc: the bench runs on the database's machine,
    as root). The CPU a claim costs, whatever else the machine runs: wall times on a shared machine are not."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return 0


TICKS = __import__("os").sysconf("SC_CLK_TCK")


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", required=True)
    parser.add_argument("--shard", action="append", required=True)
    parser.add_argument("--claim-sql", required=True)
    parser.add_argument("--workspaces", type=int, default=128)
    parser.add_argument("--backlog", type=int, default=24000)
    parser.add_argument("--claimers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=90)
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--scenarios", default="even,skewed")
    parser.add_argument("--scaling", default="8,16,32,64,128", help="workflows with due runs, one claim's cost each")
    parser.add_argument("--scaling-runs", type=int, default=60)
    parser.add_argument("--scaling-repeats", type=int, default=20)
    parser.add_argument("--layouts", default="single,round-robin,groups")
    args = parser.parse_args()
    claim_sql = open(args.claim_sql).read()
    shards = len(args.shard)
    dsns = [args.single] + args.shard  # index 0: the single database; 1..N the shards

    rng = uuid.UUID  # ids from a fixed seed: the same placement in every run of the script
    workspaces = []
    for i in range(args.workspaces):
        ws = rng(hashlib.md5(f"ws{i}".encode()).hexdigest())
        wf = rng(hashlib.md5(f"wf{i}".encode()).hexdigest())
        workspaces.append((ws, wf, f"shard bench {i}"))
    seed_workspaces((args.single, args.shard), workspaces, shards)
    placement = [shard_of(ws, shards) for ws, _, _ in workspaces]
    print(f"{args.workspaces} workspaces (one workflow each, concurrencyLimit 100) over {shards} shards by a hash of "
          f"the workspace id: {[placement.count(s) for s in range(shards)]} per shard; {args.claimers} claimers "
          f"(instances), claims of {args.limit}")
    workspace_of_workflow = {str(wf): str(ws) for ws, wf, _ in workspaces}

    header = (f"{'scenario':<8} {'layout':<12} {'runs':>6} {'secs':>6} {'runs/s':>7} {'claims/s':>8} {'claim ms':>8} {'db cpu ms/claim':>15} {'/run':>5} "
              f"{'missed':>6} {'empty':>6} {'empty ms':>8} {'1st p50':>7} {'1st max':>7} {'quiet done':>10}  shards drained at (s)")
    results = []
    for scenario in filter(None, args.scenarios.split(",")):
        if scenario == "even":
            per = [args.backlog // args.workspaces] * args.workspaces
        else:  # skewed: workspace 0 half the backlog, the others share the rest
            rest = args.backlog // 2 // (args.workspaces - 1)
            per = [args.backlog // 2] + [rest] * (args.workspaces - 1)
        total = sum(per)
        noisy = str(workspaces[0][0]) if scenario == "skewed" else None
        shard_backlog = [sum(n for n, s in zip(per, placement) if s == k) for k in range(shards)]
        print(f"{scenario}: {total} runs; per shard {shard_backlog}")
        for layout in args.layouts.split(","):
            if layout == "single":
                seed_runs(dsns[0], [(ws, wf, n) for (ws, wf, _), n in zip(workspaces, per)])
                plan = lambda c: [0]
            else:
                for k in range(shards):
                    seed_runs(dsns[k + 1], [(ws, wf, n) for (ws, wf, _), n, s in zip(workspaces, per, placement)
                                            if s == k])
                if layout == "round-robin":
                    plan = lambda c: [1 + (c + j) % shards for j in range(shards)]
                else:
                    plan = lambda c: [1 + s for s in range(shards) if s % args.claimers == c] or [1 + c % shards]
            drain = Drain(dsns, claim_sql, args.claimers, args.limit, args.max_seconds, workspace_of_workflow)
            seconds = drain.run(plan, total)
            full = [ms for _, _, _, ms, n in drain.claims if n]
            # a database's last claim that took runs: when it was drained
            drained = {}
            for _, i, at, _, n in drain.claims:
                if n:
                    drained[i] = max(drained.get(i, 0), at)
            # a claim that found nothing on a database that gave runs later missed them (another claimer held its
            # workflow rows, or the claims counter moved: the exact concurrency limit); after that, it probed an
            # empty database
            empty = [ms for _, i, at, ms, n in drain.claims if not n and at > drained.get(i, -1)]
            missed = [ms for _, i, at, ms, n in drain.claims if not n and at <= drained.get(i, -1)]
            firsts = list(drain.first.values())
            quiet = [t for ws, t in drain.last.items() if ws != noisy]
            last_claim = max((at for _, _, at, _, n in drain.claims if n), default=seconds)
            dry = " ".join(f"{drained.get(k + 1, float('nan')):.1f}" for k in range(shards)) \
                if layout != "single" else "-"
            line = (f"{scenario:<8} {layout:<12} {drain.claimed:>6} {last_claim:>6.1f} "
                    f"{drain.claimed / last_claim:>7.0f} {len(full) / last_claim:>8.0f} "
                    f"{statistics.mean(full) if full else float('nan'):>8.2f} "
                    f"{drain.cpu_ticks * 1000 / TICKS / max(1, len(drain.claims)):>15.2f} "
                    f"{drain.cpu_ticks * 1000 / TICKS / max(1, drain.claimed):>5.2f} {len(missed):>6} {len(empty):>6} "
                    f"{statistics.mean(empty) if empty else float('nan'):>8.2f} {pct(firsts, 50):>7.2f} "
                    f"{max(firsts):>7.2f} {max(quiet):>10.1f}  {dry}")
            print(line, flush=True)
            results.append(line)
            if drain.claimed < total:
                print(f"  (stopped after {args.max_seconds} s with {total - drain.claimed} runs unclaimed)")

    # one claim's cost by the number of workflows with due runs (what a shard divides), alone on one connection
    scaling = []
    if args.scaling:
        for w in [int(x) for x in args.scaling.split(",")]:
            # the single database holds every workspace; the first w get runs
            seed_runs(dsns[0], [(ws, wf, args.scaling_runs) for ws, wf, _ in workspaces[:w]])
            c = connect(dsns[0], claim_sql)
            cur = c.cursor()
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
            times = []
            hits = ""
            for k in range(args.scaling_repeats + 1):
                before = backend_ticks(pid)
                cur.execute("BEGIN")
                if k == 0:  # the plan and its buffers, once (not counted)
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + EXECUTE, ("explain", args.limit))
                    hits = next((l[0].strip() for l in cur.fetchall() if "Buffers:" in l[0]), "")
                else:
                    cur.execute(EXECUTE, ("explain", args.limit))
                    cur.fetchall()
                cur.execute("ROLLBACK")
                if k:
                    times.append(backend_ticks(pid) - before)
            c.close()
            # CPU of the backend per claim (clock ticks summed over the repeats: one tick is 10 ms)
            times = [sum(times) * 1000 / TICKS / len(times)]
            scaling.append((w, times, hits))

    # the cost of a probe of an empty database, alone (the first shard, emptied if a drain was cut short)
    c = connect(dsns[1], claim_sql)
    cur = c.cursor()
    cur.execute("UPDATE workflow_runs SET status = 'SUCCEEDED', finished_at = now() WHERE status IN ('QUEUED', 'RUNNING')")
    cur.execute("VACUUM ANALYZE workflow_runs")
    cur.execute("SELECT pg_backend_pid()")
    probe_pid = cur.fetchone()[0]
    probe_ticks = backend_ticks(probe_pid)
    times = []
    for _ in range(args.probes):
        t0 = time.monotonic()
        cur.execute(EXECUTE, ("probe", args.limit))
        cur.fetchall()
        times.append((time.monotonic() - t0) * 1000)
    probe_cpu = (backend_ticks(probe_pid) - probe_ticks) * 1000 / TICKS / args.probes
    cur.execute("BEGIN")
    cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + EXECUTE, ("probe", args.limit))
    plan_text = "\n".join(r[0] for r in cur.fetchall())
    cur.execute("ROLLBACK")
    c.close()
    print()
    print(header)
    for line in results:
        print(line)
    print()
    if scaling:
        print(f"one claim of {args.limit} alone, rolled back, {args.scaling_repeats} times each; {args.scaling_runs} due "
              f"runs per workflow; the database backend's CPU per claim (/proc), and the buffers of one EXPLAIN ANALYZE:")
        base = None
        for w, cpu_ms, hits in scaling:
            cpu = cpu_ms[0]
            base = base or cpu or 1
            print(f"  {w:>4} workflows with due runs: {cpu:8.1f} ms of CPU per claim, x{cpu / base:.1f} of the first; "
                  f"{hits}")
    print(f"empty probe alone: {args.probes} claims on an empty shard, one connection: "
          f"p50 {pct(times, 50):.2f} ms, p99 {pct(times, 99):.2f} ms (round trip included); "
          f"{probe_cpu:.2f} ms of the backend's CPU each")
    execution = [l for l in plan_text.splitlines() if "Execution Time" in l or "Buffers" in l][:1]
    print(f"  its plan: {plan_text.splitlines()[-1].strip()}; {execution[0].strip() if execution else ''}")


if __name__ == "__main__":
    main()
