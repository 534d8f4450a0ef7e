-- wrk script: method, body and headers come from the environment so one script serves every
-- scenario. BENCH_CYCLE=N replaces {i} in the body with a counter modulo N (distinct entries).
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")
local cycle = tonumber(os.getenv("BENCH_CYCLE") or "0")
local counter = 0

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
  return wrk.format(method, nil, headers, b)
end
