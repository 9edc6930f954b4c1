#!/usr/bin/env python3
"""Probes a Flowline server while its database goes away (bench/db-outage.sh): one thread per target, each sending a
request every --interval seconds (the next one after the answer, at most --timeout seconds later), and writes one
tab-separated line per answer to stdout:

    <epoch seconds sent> TAB <target> TAB <status, or "error:<reason>"> TAB <seconds to answer> TAB <Retry-After or ->
    TAB <Content-Type or -> TAB <problem type, or the runId of a 202, or ->

Targets: live (GET /health/live), ready (GET /health/ready), api (GET /api/v1/me with --token), list (GET
--list-path with --token) and hook (POST --hook-path with the next pre-signed request of --requests, the format of
sign-webhooks.py). Runs until SIGTERM. Standard library only.
"""
import argparse
import json
import signal
import sys
import threading
import time
import urllib.error
import urllib.request

stop = threading.Event()
out_lock = threading.Lock()


def emit(sent, target, status, seconds, headers, body):
    retry_after = headers.get("Retry-After", "-") if headers else "-"
    content_type = headers.get("Content-Type", "-") if headers else "-"
    detail = "-"
    try:
        document = json.loads(body) if body else {}
        detail = document.get("type") or document.get("runId") or document.get("status") or "-"
    except (ValueError, AttributeError):
        pass
    with out_lock:
        sys.stdout.write("%.3f\t%s\t%s\t%.3f\t%s\t%s\t%s\n" % (sent, target, status, seconds, retry_after,
                                                               content_type, detail))
        sys.stdout.flush()


def probe(target, make_request, interval, timeout):
    while not stop.is_set():
        request = make_request()
        if request is None:
            return
        sent = time.time()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                emit(sent, target, answer.status, time.time() - sent, answer.headers, answer.read().decode())
        except urllib.error.HTTPError as answer:
            emit(sent, target, answer.code, time.time() - sent, answer.headers, answer.read().decode())
        except Exception as e:  # refused, reset, timed out: the answer is the error's class
            emit(sent, target, "error:" + type(e).__name__, time.time() - sent, None, None)
        stop.wait(interval)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--list-path", required=True)
    parser.add_argument("--hook-path", required=True)
    parser.add_argument("--requests", required=True, help="pre-signed webhook requests (sign-webhooks.py)")
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    with open(args.requests) as f:
        signed = [line.rstrip("\n").split("\t", 3) for line in f if line.strip()]
    signed_iter = iter(signed)

    def get(path, token=None):
        def make():
            headers = {"Authorization": "Bearer " + token} if token else {}
            return urllib.request.Request(args.base + path, headers=headers)
        return make

    def hook():
        line = next(signed_iter, None)
        if line is None:
            return None
        timestamp, signature, delivery, body = line
        return urllib.request.Request(args.base + args.hook_path, data=body.encode(), method="POST", headers={
            "Content-Type": "application/json", "X-Flowline-Timestamp": timestamp,
            "X-Flowline-Signature": signature, "X-Flowline-Delivery": delivery})

    targets = {"live": get("/health/live"), "ready": get("/health/ready"),
               "api": get("/api/v1/me", args.token), "list": get(args.list_path, args.token), "hook": hook}
    threads = [threading.Thread(target=probe, args=(name, make, args.interval, args.timeout), daemon=True)
               for name, make in targets.items()]
    for thread in threads:
        thread.start()
    while not stop.is_set():
        stop.wait(0.2)
    for thread in threads:
        thread.join(args.timeout + 1)


if __name__ == "__main__":
    main()
