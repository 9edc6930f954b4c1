#!/usr/bin/env python3
"""Summarises the CPU samples of a JFR recording: per layer, its own share (each sample counted once, for the layer
of the frame nearest the leaf that belongs to one: what the layer's own code costs, JDK calls it makes included) and
its inclusive share (samples with a frame of the layer anywhere: the layer and all it calls); then the top self frames
(the leaf method).

    bench/lib/jfr-top.py recording.jfr [--top 15]

Reads `jfr print --json --stack-depth 512 --events jdk.ExecutionSample` (jfr prints 5 frames unless told) (the JDK's jfr tool). Only threads that did work are sampled, so
the shares are of the server's busy CPU, not of the machine."""
import argparse
import collections
import json
import subprocess
import sys

# (name, substrings of "class.method" any of which puts a sample in the layer); order is the printing order
LAYERS = [
    ("web: Grizzly (HTTP parsing, I/O)", ["org.glassfish.grizzly."]),
    ("web: servlet container (Catalina pipeline)", ["org.apache.catalina.", "com.sun.enterprise.web."]),
    ("web: Flowline filters, mappers, request log", ["dev.flowline.platform.rest."]),
    ("web: Jakarta Security (Soteria, JASPIC)", ["org.glassfish.soteria.", "jakarta.security.enterprise.",
                                                 "com.sun.web.security.", "org.glassfish.jaspic.",
                                                 "com.sun.enterprise.security."]),
    ("web: Jersey (matching, providers, filters)", ["org.glassfish.jersey."]),
    ("JSON-B (Yasson)", ["org.eclipse.yasson."]),
    ("JSON-P (Parsson)", ["org.eclipse.parsson.", "org.glassfish.json."]),
    ("CDI/EJB (Weld, EJB container)", ["org.jboss.weld.", "com.sun.ejb.", "org.glassfish.ejb."]),
    ("JTA (transactions)", ["com.sun.enterprise.transaction.", "com.sun.jts."]),
    ("JPA (EclipseLink)", ["org.eclipse.persistence."]),
    ("JDBC (PostgreSQL driver)", ["org.postgresql."]),
    ("Flowline webhooks (triggers)", ["dev.flowline.triggers."]),
    ("Flowline runs (accept)", ["dev.flowline.runs."]),
    ("Flowline engine", ["dev.flowline.engine."]),
    ("Flowline auth (sessions)", ["dev.flowline.auth."]),
    ("crypto (HMAC, SHA)", ["javax.crypto.", "sun.security.", "com.sun.crypto."]),
    ("logging", ["java.util.logging.", "com.sun.enterprise.server.logging."]),
]


def frames(event):
    trace = event["values"].get("stackTrace")
    if not trace:
        return []
    out = []
    for f in trace.get("frames", []):
        m = f.get("method") or {}
        t = (m.get("type") or {}).get("name", "?")
        out.append(t.replace("/", ".") + "." + m.get("name", "?"))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("recording")
    p.add_argument("--top", type=int, default=15)
    p.add_argument("--frame", action="append", default=[],
                   help="also print the inclusive share of samples with a frame starting with this (repeatable), e.g."
                        " dev.flowline.auth.SessionService.authenticate")
    a = p.parse_args()
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "512", "--events", "jdk.ExecutionSample", a.recording],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    total = 0
    layers = collections.Counter()
    own = collections.Counter()
    leaves = collections.Counter()
    asked = collections.Counter()
    for e in events:
        fs = frames(e)
        if not fs:
            continue
        total += 1
        leaves[fs[0]] += 1
        joined = "\n".join(fs)
        for name, needles in LAYERS:
            if any(n in joined for n in needles):
                layers[name] += 1
        owner = "other (JVM, JDK and libraries outside these layers)"
        for frame in fs:
            hit = next((name for name, needles in LAYERS if any(frame.startswith(n) for n in needles)), None)
            if hit:
                owner = hit
                break
        own[owner] += 1
        for wanted in a.frame:
            if any(frame.startswith(wanted) for frame in fs):
                asked[wanted] += 1
    if total == 0:
        print("no samples")
        return 1
    print(f"{total} CPU samples")
    print("  own  incl.  layer")
    for name in [n for n, _ in LAYERS] + ["other (JVM, JDK and libraries outside these layers)"]:
        print(f"{own[name] * 100 / total:5.1f}% {layers[name] * 100 / total:5.1f}%  {name}")
    for wanted in a.frame:
        print(f"{asked[wanted] * 100 / total:5.1f}% incl.  {wanted}")
    print(f"top self frames:")
    for frame, n in leaves.most_common(a.top):
        print(f"  {n * 100 / total:5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
