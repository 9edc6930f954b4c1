#!/usr/bin/env python3
"""Open-model load for bench/soak.sh: requests are sent at fixed times (not after the previous answer), so a slow
server shows as latency and lateness instead of a lower rate. Standard library only.

Per second, at --rate runs/s: 70% signed webhooks to the plain workflow, 20% signed webhooks to the HTTP workflow,
10% manual runs of the delayed workflow (POST .../runs with the session token); and --read-rate each of: the
workspace's run list (GET .../runs?limit=50), a recently started run's steps (GET .../runs/{id}/steps) and
GET /api/v1/me. Every request is written to <out>/requests.tsv as

    <epoch seconds at send> TAB <kind> TAB <status or 0 for a socket error> TAB <milliseconds> TAB <late ms>

(late: how long after its planned time it was sent, i.e. the load generator's own backlog), and every run id
answered to a webhook (202) or a manual start (201) to <out>/accepted.tsv as <kind> TAB <run id>.
"""
import argparse
import hashlib
import hmac
import http.client
import json
import queue
import random
import threading
import time


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--workspace", required=True)
    p.add_argument("--hook", required=True, help="path,secret of the plain webhook workflow")
    p.add_argument("--hook-http", required=True, help="path,secret of the HTTP-step webhook workflow")
    p.add_argument("--manual", required=True, help="id of the delayed manual workflow")
    p.add_argument("--rate", type=float, required=True, help="runs started per second (webhooks and manual)")
    p.add_argument("--read-rate", type=float, required=True, help="per second, each of: run list, steps, /me")
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--workers", type=int, default=48)
    p.add_argument("--out", required=True)
    p.add_argument("--prefix", required=True, help="delivery ids are <prefix>-<i>")
    args = p.parse_args()

    hooks = {}
    for kind, spec in (("webhook", args.hook), ("webhook_http", args.hook_http)):
        path, secret = spec.split(",", 1)
        hooks[kind] = (path, secret.encode("utf-8"))
    ws = args.workspace
    auth = {"Authorization": "Bearer " + args.token}
    recent = []  # recently accepted run ids, for the steps reads
    recent_lock = threading.Lock()
    out_lock = threading.Lock()
    log = open(args.out + "/requests.tsv", "a", buffering=1)  # line by line: sampled while running
    accepted = open(args.out + "/accepted.tsv", "a", buffering=1)
    counter = [0]

    def build(kind):
        """Answers (method, path, body, headers) for one request of this kind."""
        if kind in hooks:
            path, key = hooks[kind]
            with out_lock:
                counter[0] += 1
                n = counter[0]
            body = '{"n":%d}' % n
            ts = str(int(time.time()))
            mac = hmac.new(key, (ts + "." + body).encode("utf-8"), hashlib.sha256).hexdigest()
            return "POST", path, body, {"Content-Type": "application/json", "X-Flowline-Timestamp": ts,
                                        "X-Flowline-Signature": "sha256=" + mac,
                                        "X-Flowline-Delivery": "%s-%d" % (args.prefix, n)}
        if kind == "manual":
            return "POST", "/api/v1/workspaces/%s/workflows/%s/runs" % (ws, args.manual), '{"input":{}}', \
                dict(auth, **{"Content-Type": "application/json"})
        if kind == "list":
            return "GET", "/api/v1/workspaces/%s/runs?limit=50" % ws, None, auth
        if kind == "steps":
            with recent_lock:
                run = random.choice(recent) if recent else None
            if run is None:
                return None
            return "GET", "/api/v1/workspaces/%s/runs/%s/steps" % (ws, run), None, auth
        if kind == "me":
            return "GET", "/api/v1/me", None, auth
        raise ValueError(kind)

    work = queue.Queue()

    def worker():
        conn = None
        while True:
            item = work.get()
            if item is None:
                return
            planned, kind = item
            req = build(kind)
            if req is None:
                continue
            method, path, body, headers = req
            sent = time.time()
            status, data = 0, b""
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(args.host, args.port, timeout=30)
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn = None
            ms = (time.time() - sent) * 1000
            run_id = None
            if (kind in hooks and status == 202) or (kind == "manual" and status == 201):
                try:
                    answer = json.loads(data)
                    run_id = answer.get("runId") or answer.get("id")
                    if answer.get("duplicate"):
                        run_id = None  # never expected: each delivery id is sent once
                        status = 299
                except ValueError:
                    pass
            with out_lock:
                log.write("%.3f\t%s\t%d\t%.2f\t%.1f\n" % (sent, kind, status, ms, (sent - planned) * 1000))
                if run_id:
                    accepted.write("%s\t%s\n" % (kind, run_id))
            if run_id:
                with recent_lock:
                    recent.append(run_id)
                    if len(recent) > 200:
                        del recent[:100]

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.workers)]
    for t in threads:
        t.start()

    # One schedule of kinds per second, spread evenly; fractional rates carry over from second to second.
    mix = [("webhook", 0.7 * args.rate), ("webhook_http", 0.2 * args.rate), ("manual", 0.1 * args.rate),
           ("list", args.read_rate), ("steps", args.read_rate), ("me", args.read_rate)]
    start = time.time()
    owed = {k: 0.0 for k, _ in mix}
    second = 0
    while second < args.seconds:
        plan = []
        for kind, per_second in mix:
            owed[kind] += per_second
            n = int(owed[kind])
            owed[kind] -= n
            plan += [(kind, (i + random.random()) / max(n, 1)) for i in range(n)]
        plan.sort(key=lambda x: x[1])
        for kind, offset in plan:
            at = start + second + offset
            delay = at - time.time()
            if delay > 0:
                time.sleep(delay)
            work.put((at, kind))
        second += 1
    for _ in threads:
        work.put(None)
    for t in threads:
        t.join(60)
    with out_lock:
        log.flush()
        accepted.flush()


if __name__ == "__main__":
    main()
