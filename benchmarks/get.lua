-- One GET, the same for every request (no Lua per request): the ceiling and the
-- pages that read. BENCH_COOKIE is a session id, empty for an anonymous visitor.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

wrk.method = "GET"
wrk.headers = common.headers(os.getenv("BENCH_COOKIE"), os.getenv("BENCH_ACCEPT"), false)
