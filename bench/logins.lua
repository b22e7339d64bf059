-- wrk script for bench/run's "logins" scenario: every request is a reader
-- signing in with the right password, so Masthead verifies an argon2id hash
-- (about 0.1 s of CPU and 64 MiB) and opens a session per request.
--
--   wrk -t 1 -c 20 ... -s bench/logins.lua URL/login -- LOGINS ORIGIN
--
-- LOGINS: a file of "COOKIE<TAB>BODY" lines, one per account (bench/run's
--         helper registers the accounts and writes it): COOKIE is a CSRF
--         cookie pair ("csrf=..."), BODY the urlencoded login form with that
--         cookie's token, the account's e-mail and its password;
-- ORIGIN: the site's origin, sent as Origin (the form check wants it).
--
-- The CSRF token is the HMAC of the cookie's value, so a (cookie, token) pair
-- stays valid however often it is used: the server rotates the browser's
-- cookie at each login, but wrk keeps no cookies and sends the same pair
-- again. Requests take the accounts in turn. Every login succeeds (303), so
-- the login throttle, which counts failures only, never steps in; an answer
-- other than 2xx or 3xx is counted by wrk and reported by bench/run.

local logins = {}
local origin
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do
    local cookie, body = line:match("^([^\t]+)\t(.+)$")
    if cookie then logins[#logins + 1] = { cookie = cookie, body = body } end
  end
  assert(#logins > 0, "logins.lua: no logins in " .. tostring(args[1]))
  origin = args[2]
end

function request()
  local login = logins[next_index % #logins + 1]
  next_index = next_index + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = login.cookie,
    ["Origin"] = origin,
  }, login.body)
end
