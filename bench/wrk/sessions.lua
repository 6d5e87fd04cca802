-- Requests as returning visitors, each with a session pre-made by bench/run.py (cookie, CSRF
-- token and, for conditional GETs, the ETag the visitor's page had), so no single session is
-- hammered. Set by bench/run.py before this file: SESSIONS (path), METHOD, PATH, STARS (the
-- vote's stars), ONCE (each session used once, for votes that must be new or changed: the
-- file then holds one run's sessions, and thread t takes every THREADS-th from the t-th).
local sessions = {}
for line in io.lines(SESSIONS) do
  local cookie, token, etag = line:match("^([^\t]*)\t([^\t]*)\t?(.*)$")
  sessions[#sessions + 1] = {cookie = cookie, token = token, etag = etag}
end

local thread_no = 0
function setup(thread)
  thread:set("thread_no", thread_no)
  thread_no = thread_no + 1
end

local i = 0
local step = 1
function init(args)
  if ONCE then
    i, step = thread_no or 0, THREADS
  else
    -- Threads start far apart in the list, so they do not use the same session at once.
    i = (thread_no or 0) * 997
  end
end

function request()
  local s = sessions[(i % #sessions) + 1]
  i = i + step
  local headers = {["Cookie"] = s.cookie, ["HX-Request"] = "true"}
  if METHOD == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "csrf_token=" .. s.token .. "&stars=" .. STARS
    return wrk.format("POST", PATH, headers, body)
  end
  if s.etag ~= "" then
    headers["If-None-Match"] = s.etag
    headers["HX-Request"] = nil
  end
  return wrk.format("GET", PATH, headers)
end
