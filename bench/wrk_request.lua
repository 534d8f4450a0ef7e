-- wrk script: method, body and headers come from the environment so one script serves every
-- scenario. BENCH_CYCLE=N replaces {i} in the body with a counter modulo N (distinct entries).
-- BENCH_PATHS=a,b,… sends the requests to these paths in turn (else the URL's own path).
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")
local cycle = tonumber(os.getenv("BENCH_CYCLE") or "0")
local counter = 0
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^,]+") do paths[#paths + 1] = p end
local turn = 0

request = function()
  local headers = {}
  if token then headers["Authorization"] = "Bearer " .. token end
  local b = body
  if b then
    headers["Content-Type"] = "application/json"
    if cycle > 0 then
      counter = counter + 1
      local i = counter % cycle
      b = string.gsub(b, "{i}", string.format("%d.%d", math.floor(i / 256), i % 256))
    end
  end
  local path = nil
  if #paths > 0 then
    turn = turn + 1
    path = paths[turn % #paths + 1]
  end
  return wrk.format(method, path, headers, b)
end
