#!/usr/bin/env python3
"""Writes pre-signed Flowline webhook requests for wrk (bench/lib/webhooks.lua), one a line, tab-separated:

    <X-Flowline-Timestamp> TAB <X-Flowline-Signature> TAB <X-Flowline-Delivery> TAB <raw JSON body>

The signature is the documented one (dev.flowline.workflows.WebhookSignature):
sha256=<lowercase hex HMAC-SHA256(secret as UTF-8, timestamp + "." + raw body)>. All requests carry the timestamp of
the moment they were signed, so they are accepted for 5 minutes. Standard library only.
"""
import argparse
import hashlib
import hmac
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secret", required=True, help="the webhook's signing secret (whsec_...)")
    parser.add_argument("--count", type=int, required=True, help="how many requests")
    parser.add_argument("--delivery-prefix", required=True, help="delivery ids are <prefix>-<i>")
    args = parser.parse_args()

    key = args.secret.encode("utf-8")
    timestamp = str(int(time.time()))
    out = sys.stdout
    for i in range(args.count):
        body = '{"n":%d}' % i
        mac = hmac.new(key, (timestamp + "." + body).encode("utf-8"), hashlib.sha256).hexdigest()
        out.write("%s\tsha256=%s\t%s-%d\t%s\n" % (timestamp, mac, args.delivery_prefix, i, body))


if __name__ == "__main__":
    main()
