-- wrk script for Hawk-authenticated GETs: every request uses the next line of BENCH_HAWK_FILE,
-- "<request-target>\t<Authorization header>", each signed with a fresh nonce by the harness (wrk's
-- Lua has no HMAC). Run with one wrk thread: each thread has its own copy of the list.
--
-- The requests are formatted in init() (after wrk has set the Host header, before it starts its
-- clock), so that the client spends no Lua time per request: formatting them per request made
-- wrk, not the server, the bottleneck (about half of the client's CPU was LuaJIT).
local requests = {}
local i = 0

init = function(args)
  for line in io.lines(os.getenv("BENCH_HAWK_FILE")) do
    local tab = string.find(line, "\t", 1, true)
    requests[#requests + 1] = wrk.format("GET", string.sub(line, 1, tab - 1),
                                         {["Authorization"] = string.sub(line, tab + 1)})
  end
end

request = function()
  i = i + 1
  local r = requests[i]
  if r == nil then error("ran out of signed requests: generate more") end
  return r
end
