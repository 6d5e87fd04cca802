-- Requests as returning visitors: each request takes the next of many pre-made sessions
-- (cookie and CSRF token from a real page view), so no single session is hammered.
-- Set by bench/run.py before this file: SESSIONS (path), METHOD, PATH.
local sessions = {}
for line in io.lines(SESSIONS) do
  local cookie, token = line:match("^(.-)\t(.*)$")
  sessions[#sessions + 1] = {cookie = cookie, token = token}
end

local thread_no = 0
function setup(thread)
  thread:set("thread_no", thread_no)
  thread_no = thread_no + 1
end

local i = 0
function init(args)
  -- Threads start far apart in the list, so they do not use the same session at once.
  i = (thread_no or 0) * 997
end

function request()
  i = i + 1
  local s = sessions[(i % #sessions) + 1]
  local headers = {["Cookie"] = s.cookie, ["HX-Request"] = "true"}
  if METHOD == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "csrf_token=" .. s.token .. "&stars=" .. ((i % 5) + 1)
    return wrk.format("POST", PATH, headers, body)
  end
  return wrk.format("GET", PATH, headers)
end
