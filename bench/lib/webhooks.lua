-- wrk script: POSTs pre-signed webhook requests (bench/lib/sign-webhooks.py) and records what was accepted.
--   wrk -t T -c C -d 20s -s webhooks.lua http://127.0.0.1:8080/hooks/<id> -- <requests file> <T> <answers prefix>
-- Thread i sends lines i, i+T, i+2T, ... of the file, so no two requests share a delivery id unless a thread runs
-- out of lines and starts again (then the server answers the same run, counted as a duplicate, and `wrapped`>0).
-- Each thread writes the runId of every 202 to <answers prefix>-<i>.txt. done() prints one RESULT line.

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    local file, nthreads, prefix = args[1], tonumber(args[2]), args[3]
    local path = wrk.path
    requests = {}
    local i = 0
    for line in io.lines(file) do
        if i % nthreads == id then
            local ts, sig, delivery, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
            requests[#requests + 1] = wrk.format("POST", path, {
                ["Content-Type"] = "application/json",
                ["X-Flowline-Timestamp"] = ts,
                ["X-Flowline-Signature"] = sig,
                ["X-Flowline-Delivery"] = delivery,
            }, body)
        end
        i = i + 1
    end
    next_request = 0
    wrapped, accepted, duplicates, other = 0, 0, 0, 0
    statuses = {}
    other_statuses = ""
    answers = io.open(prefix .. "-" .. id .. ".txt", "w")
    answers:setvbuf("line")
end

function request()
    next_request = next_request + 1
    if next_request > #requests then
        next_request, wrapped = 1, wrapped + 1
    end
    return requests[next_request]
end

function response(status, headers, body)
    if status == 202 then
        if body:find('"duplicate":true', 1, true) then
            duplicates = duplicates + 1
        else
            accepted = accepted + 1
        end
        answers:write(body:match('"runId":"([^"]+)"') or "?", "\n")
    else
        other = other + 1
        statuses[status] = (statuses[status] or 0) + 1
        local parts = {}
        for s, n in pairs(statuses) do parts[#parts + 1] = s .. ":" .. n end
        other_statuses = table.concat(parts, ",")
    end
end

function done(summary, latency, requests)
    local a, d, o, w, os = 0, 0, 0, 0, ""
    for _, t in ipairs(threads) do
        a = a + t:get("accepted")
        d = d + t:get("duplicates")
        o = o + t:get("other")
        w = w + t:get("wrapped")
        local s = t:get("other_statuses")
        if s ~= "" then os = os .. (os == "" and "" or ",") .. s end
    end
    local e = summary.errors
    io.write(string.format("RESULT requests=%d seconds=%.3f accepted=%d duplicates=%d other=%d other_statuses=%s"
            .. " wrapped=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d p50_ms=%.2f p99_ms=%.2f"
            .. " max_ms=%.2f\n",
            summary.requests, summary.duration / 1e6, a, d, o, os == "" and "-" or os, w, e.connect, e.read, e.write,
            e.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
