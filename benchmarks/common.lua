-- Shared by the benchmark scripts: wrk loads each script in every thread and
-- once more in the main state, where done() runs.
local common = {}

-- A tab-separated file, one request per line: method, path, cookie, body, accept.
function common.load(path)
  local rows = {}
  for line in io.lines(path) do
    if #line > 0 then
      local fields = {}
      for value in (line .. "\t"):gmatch("([^\t]*)\t") do
        fields[#fields + 1] = value
      end
      rows[#rows + 1] = fields
    end
  end
  return rows
end

-- Headers every request carries: the session cookie and the CSRF pair.
function common.headers(cookie, accept, has_body)
  local headers = {}
  local csrf = os.getenv("BENCH_CSRF") or ""
  local jar = {}
  if cookie and #cookie > 0 then jar[#jar + 1] = "sessionid=" .. cookie end
  if #csrf > 0 then
    jar[#jar + 1] = "csrftoken=" .. csrf
    headers["X-CSRFToken"] = csrf
  end
  if #jar > 0 then headers["Cookie"] = table.concat(jar, "; ") end
  if accept and #accept > 0 then headers["Accept"] = accept end
  if has_body then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  return headers
end

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  threads[#threads + 1] = thread
end

-- One line the driver reads: throughput, latency percentiles (microseconds), errors.
function done(summary, latency, requests)
  local wrapped = 0
  for _, thread in ipairs(threads) do
    wrapped = wrapped + (tonumber(thread:get("wrapped")) or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d,'
      .. ' "p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect_errors": %d, "read_errors": %d,'
      .. ' "write_errors": %d, "status_errors": %d, "timeouts": %d, "wrapped": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout, wrapped))
end

return common
