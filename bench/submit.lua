-- wrk script for scripts/bench-load: survey submissions, a fresh token each.
--
--   wrk ... -s bench/submit.lua http://127.0.0.1:PORT/surveys/governance -- TOKENS
--
-- TOKENS holds one form token a line (fetched from the survey page
-- beforehand). Thread N of T sends the tokens on lines N, N+T, N+2T, ...
-- so no token is sent twice; when a thread has none left it stops and the
-- run is reported as exhausted (its rate would be wrong: fetch more).
-- A submission stored answers 303; anything else is counted as an error,
-- by status, and printed in done().
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local body_tail = "&organisation=other&organisation-name=Port+of+Tyne"
  .. "&organisation-sector=port&role=cyber_security&usefulness=4&ease=3"
  .. "&ncsc_principles=partly&recommend=9&missing=More+on+CCTV"
  .. "&standards=IEC+62443"

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open the token file " .. tostring(args[1]))
  local all = tonumber(args[2]) or 2 -- wrk threads (-t)
  tokens, n = {}, 0
  local line_no = 0
  for line in file:lines() do
    if line_no % all == id - 1 and line ~= "" then
      n = n + 1
      tokens[n] = line
    end
    line_no = line_no + 1
  end
  file:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Origin"] = "http://" .. wrk.host .. ":" .. wrk.port
  next_token, sent, ok, errors, exhausted = 0, 0, 0, {}, 0
end

function request()
  next_token = next_token + 1
  if next_token > n then
    exhausted = 1
    wrk.thread:stop()
    -- wrk still wants a request: resend the last token (stored once, not counted)
    return wrk.format(nil, nil, nil, "form_token=" .. tokens[n] .. body_tail)
  end
  sent = sent + 1
  return wrk.format(nil, nil, nil, "form_token=" .. tokens[next_token] .. body_tail)
end

function response(status, headers, body)
  if status == 303 then
    ok = ok + 1
  else
    local key = tostring(status)
    errors[key] = (errors[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  local ok, sent, exhausted, errors = 0, 0, 0, {}
  for _, t in ipairs(threads) do
    ok = ok + t:get("ok")
    sent = sent + t:get("sent")
    exhausted = exhausted + t:get("exhausted")
    for status, count in pairs(t:get("errors")) do
      errors[status] = (errors[status] or 0) + count
    end
  end
  local err_total, err_text = 0, ""
  for status, count in pairs(errors) do
    err_total = err_total + count
    err_text = err_text .. (err_text == "" and "" or ",") .. status .. ":" .. count
  end
  local e = summary.errors
  -- one line the script reads: key=value
  io.write(string.format(
    "SUBMIT ok=%d non3xx=%d sent=%d exhausted=%d socket_errors=%d timeouts=%d p50_ms=%.2f p99_ms=%.2f duration_s=%.3f statuses=%s\n",
    ok, err_total, sent, exhausted, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.duration / 1e6, err_text == "" and "-" or err_text))
end
