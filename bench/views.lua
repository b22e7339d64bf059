-- wrk script for bench/run's "views" scenario: every request is a returning
-- reader's NEW view of a metered article, so that Masthead records one meter
-- view (a conditional insert in SQLite) per request.
--
--   wrk -t T ... -s bench/views.lua URL -- COOKIES PATHS OFFSET T
--
-- COOKIES: a file of "reader=..." cookie pairs, one a line (readers minted
--          beforehand, each with one view recorded, of an article not in PATHS);
-- PATHS:   a file of article paths, one a line;
-- OFFSET:  the first pair index to use (bench/run passes the next_index that
--          the previous run printed, so that no pair is ever requested twice);
-- T:       wrk's thread count (-t), the stride between a thread's indices.
--
-- Pair index i is reader (i mod R) reading article (floor(i / R) mod A), so
-- consecutive requests come from different readers, and every index below
-- R * A is a view that reader has not had. Thread t of T takes the indices
-- OFFSET + t, OFFSET + t + T, ... At the end the script prints
--   views: next_index=N pairs=P
-- N is past every index any thread took; N > P means pairs were reused (some
-- requests were rereads, not new views), which bench/run reports.
--
-- nginx gets the same requests (it ignores the cookie and serves a static
-- copy of each article page at the same path).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local cookies, paths = {}, {}
local step

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then cookies[#cookies + 1] = line end
  end
  for line in io.lines(args[2]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  assert(#cookies > 0 and #paths > 0, "views.lua: no cookies or no paths")
  step = tonumber(args[4] or "1")
  next_index = tonumber(args[3] or "0") + id
  pairs_total = #cookies * #paths
end

function request()
  local i = next_index
  next_index = i + step
  local r = #cookies
  local reader = i % r
  local article = math.floor(i / r) % #paths
  return wrk.format("GET", paths[article + 1], { ["Cookie"] = cookies[reader + 1] })
end

function done(summary, latency, requests)
  local high, total = 0, 0
  for _, thread in ipairs(threads) do
    local n = thread:get("next_index") or 0
    if n > high then high = n end
    total = thread:get("pairs_total") or total
  end
  io.write(string.format("views: next_index=%d pairs=%d\n", high, total))
end
