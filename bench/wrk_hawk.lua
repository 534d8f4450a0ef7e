-- wrk script for Hawk-authenticated GETs: every request uses the next line of BENCH_HAWK_FILE,
-- "<request-target>\t<Authorization header>", each signed with a fresh nonce by the harness (wrk's
-- Lua has no HMAC). Run with one wrk thread: each thread has its own copy of the list.
local lines = {}
for line in io.lines(os.getenv("BENCH_HAWK_FILE")) do
  local tab = string.find(line, "\t", 1, true)
  lines[#lines + 1] = {string.sub(line, 1, tab - 1), string.sub(line, tab + 1)}
end
local i = 0

request = function()
  i = i + 1
  local entry = lines[i]
  if entry == nil then error("ran out of signed requests: generate more") end
  return wrk.format("GET", entry[1], {["Authorization"] = entry[2]})
end
