#!/usr/bin/env python3
"""A slow HTTP receiver on 127.0.0.1 for bench/crash-recovery.sh: answers every request with 200 {"ok":true} after
--delay-ms, and appends the request's Idempotency-Key header (or "-") to --log as soon as the request arrives, one a
line, so that a request cut off by a crash is counted too. Standard library only; one thread per connection.
"""
import argparse
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--delay-ms", type=int, default=50)
    parser.add_argument("--log", required=True, help="file receiving one Idempotency-Key a line")
    args = parser.parse_args()
    delay = args.delay_ms / 1000
    out = open(args.log, "a", buffering=1)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the engine's HttpClient reuses connections

        def handle_one(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            with lock:
                out.write((self.headers.get("Idempotency-Key") or "-") + "\n")
            time.sleep(delay)
            body = b'{"ok":true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = handle_one

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
