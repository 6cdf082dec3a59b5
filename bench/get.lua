-- wrk script for scripts/bench-load: plain GETs of the URL given to wrk;
-- only adds one line the script reads, with the rate and percentiles in
-- fixed units (wrk's own report switches between us, ms and s).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "GET requests=%d rate=%.1f p50_ms=%.2f p99_ms=%.2f status_errors=%d socket_errors=%d timeouts=%d bytes=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write, e.timeout, summary.bytes))
end
