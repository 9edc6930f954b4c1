-- wrk script for a plain GET (headers given with -H): prints one RESULT line, like webhooks.lua.
function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT requests=%d seconds=%.3f non_2xx_3xx=%d connect_errors=%d read_errors=%d"
            .. " write_errors=%d timeouts=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
            summary.requests, summary.duration / 1e6, e.status, e.connect, e.read, e.write, e.timeout,
            latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
