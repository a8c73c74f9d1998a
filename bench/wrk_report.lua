-- wrk script for bench/run.py: rotates through the request paths in the file given after `--` (one per line)
-- and prints one JSON line, prefixed BENCH_JSON, with the p50/p95/p99 latencies and the error counts.
local paths = {}
local counter = 0

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      paths[#paths + 1] = line
    end
  end
  counter = math.random(1, 1000)
end

function request()
  if #paths == 0 then
    return wrk.format()
  end
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
