#!/usr/bin/env python3
"""POSTs signed Flowline webhooks at a steady rate and records every answer, for bench/frozen-instance.sh and
bench/rolling-restart.sh (wrk, in bench/webhook-runs.sh, measures the most a server takes; these need a known load
and the fate of each request). Each request is signed when it is sent (HMAC-SHA256 over timestamp + "." + body, as
bench/lib/sign-webhooks.py), with its own X-Flowline-Delivery <prefix>-<i> and body {"n": i}; the URLs are used in
turn. One line per request is appended to --out as soon as it is answered:

    <i> TAB <url index> TAB <HTTP status, or ERR:<what> when no answer came> TAB <runId or -> TAB <milliseconds>

It stops after --count requests, after --seconds, or when --stop-file exists, whichever comes first, and waits for
the requests in flight. Standard library only; --connections threads, each with its own keep-alive connection.
"""
import argparse
import hashlib
import hmac
import http.client
import json
import os
import threading
import time
from urllib.parse import urlsplit


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secret", required=True)
    parser.add_argument("--url", action="append", required=True, help="http://127.0.0.1:PORT/api/v1/hooks/ID")
    parser.add_argument("--rate", type=float, default=20, help="requests per second, all connections together")
    parser.add_argument("--count", type=int, default=0, help="0: no limit")
    parser.add_argument("--seconds", type=float, default=0, help="0: no limit")
    parser.add_argument("--stop-file")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--delivery-prefix", required=True)
    parser.add_argument("--first", type=int, default=0, help="number of the first request (n and delivery id)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    key = args.secret.encode("utf-8")
    targets = [urlsplit(u) for u in args.url]
    out = open(args.out, "a", buffering=1)
    lock = threading.Lock()
    started = time.monotonic()
    state = {"next": args.first}

    def take():
        """The next request's number and the moment to send it, or None when the load is over."""
        with lock:
            i = state["next"]
            if args.count and i - args.first >= args.count:
                return None
            if args.seconds and time.monotonic() - started >= args.seconds:
                return None
            if args.stop_file and os.path.exists(args.stop_file):
                return None
            state["next"] = i + 1
            return i, started + (i - args.first) / args.rate

    def worker():
        connections = {}
        while True:
            job = take()
            if job is None:
                break
            i, due = job
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            which = i % len(targets)
            target = targets[which]
            body = '{"n":%d}' % i
            timestamp = str(int(time.time()))
            mac = hmac.new(key, (timestamp + "." + body).encode("utf-8"), hashlib.sha256).hexdigest()
            headers = {"Content-Type": "application/json", "X-Flowline-Timestamp": timestamp,
                       "X-Flowline-Signature": "sha256=" + mac,
                       "X-Flowline-Delivery": "%s-%d" % (args.delivery_prefix, i)}
            sent = time.monotonic()
            status, run_id = "ERR", "-"
            for tries in (1, 2):
                connection = connections.get(which)
                if connection is None:
                    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=args.timeout)
                    connections[which] = connection
                try:
                    connection.request("POST", target.path, body=body, headers=headers)
                    answer = connection.getresponse()
                    payload = answer.read()
                    status = str(answer.status)
                    if answer.status in (200, 202):
                        run_id = json.loads(payload).get("runId", "-")
                    if answer.getheader("Connection", "").lower() == "close":
                        connection.close()
                        connections.pop(which, None)
                    break
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                    # a kept-alive connection the server closed before this request: the request was not read,
                    # send it again once on a new connection (what any HTTP client does); else it counts as an error
                    connection.close()
                    connections.pop(which, None)
                    status = "ERR:" + type(e).__name__
                    if tries == 2:
                        break
                except OSError as e:
                    connection.close()
                    connections.pop(which, None)
                    status = "ERR:" + type(e).__name__
                    break
            elapsed = (time.monotonic() - sent) * 1000
            with lock:
                out.write("%d\t%d\t%s\t%s\t%.1f\n" % (i, which, status, run_id, elapsed))

    threads = [threading.Thread(target=worker) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
