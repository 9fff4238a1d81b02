-- Prints one machine-readable line at the end of a wrk run; bench/run reads it.
-- Latencies and duration are in microseconds.

-- wrk 4.1 corrects latencies for coordinated omission by adding samples below the lowest one it recorded,
-- where its own percentile walk (from the minimum up) never finds them: with pipelining, or any run whose
-- latencies spread widely, latency:percentile(99) then returns 0. The top 1% are real samples, so find the
-- highest percentile q that wrk can still see and take q - 1: the same rank counted from the top.
function p99(latency)
  local v = latency:percentile(99)
  if v > 0 then return v end
  local lo, hi = 0, 99
  for _ = 1, 40 do
    local mid = (lo + hi) / 2
    if latency:percentile(mid) > 0 then lo = mid else hi = mid end
  end
  v = lo >= 1 and latency:percentile(lo - 1) or 0
  if v > 0 then return v end
  return latency.max
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), p99(latency),
    e.connect + e.read + e.write + e.timeout, e.status))
end
