-- Requests from a list, one after another: BENCH_REQUESTS is a tab-separated file
-- (method, path, session id, form body, Accept). Each thread takes every n-th line
-- (BENCH_THREADS threads). BENCH_MODE=once: each line is meant to be sent once (a
-- submit needs a fresh open attempt); past the end the list starts again and the
-- extra requests are counted as "wrapped", so the driver can tell the figure is off.
-- BENCH_MODE=cycle: the list is replayed round and round (saves, attempt pages).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

local requests = {}
local index = 0
local mode = os.getenv("BENCH_MODE") or "cycle"
sent = 0
wrapped = 0 -- a global: done() reads it with thread:get

function init(args)
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local me = tonumber(thread_id or 0)
  for n, row in ipairs(common.load(os.getenv("BENCH_REQUESTS"))) do
    if (n - 1) % threads == me then
      local method, path, cookie, body, accept = row[1], row[2], row[3], row[4], row[5]
      local has_body = body ~= nil and #body > 0
      -- Formatted once here: request() only hands out strings.
      requests[#requests + 1] = wrk.format(
        method, path, common.headers(cookie, accept, has_body), has_body and body or nil)
    end
  end
  if #requests == 0 then
    error("replay.lua: no requests for this thread in " .. tostring(os.getenv("BENCH_REQUESTS")))
  end
end

function request()
  sent = sent + 1
  index = index % #requests + 1
  if mode == "once" and sent > #requests then
    wrapped = sent - #requests
  end
  return requests[index]
end
