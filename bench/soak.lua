-- wrk script for scripts/bench-load's soak: what visitors and officers do,
-- mixed, optionally paced.
--
--   wrk ... -s bench/soak.lua http://127.0.0.1:PORT/ -- RATE CONNECTIONS COOKIE [EVERY]
--
-- Each thread keeps the form tokens of the survey pages it fetched: a
-- connection that has one submits it (a visitor sending the form they
-- opened); otherwise it opens the survey page, except every EVERY-th
-- request (default 10), which is an officer's results page, signed in with
-- COOKIE. So about as many submissions as page views, and a tenth results
-- pages. RATE is the whole run's requests a second (0: as fast as it goes);
-- each of the run's CONNECTIONS (wrk's -c) waits CONNECTIONS / RATE
-- between its requests.
-- Expected: 200 for pages, 303 for a submission; anything else is an error,
-- counted by status and kind.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local body_tail = "&organisation=other&organisation-name=Port+of+Tyne"
  .. "&organisation-sector=port&role=cyber_security&usefulness=4&ease=3"
  .. "&ncsc_principles=partly&recommend=9&missing=More+on+CCTV"
  .. "&standards=IEC+62443"

function init(args)
  local rate = tonumber(args[1]) or 0
  local connections = tonumber(args[2]) or 64
  cookie = args[3] or ""
  every = tonumber(args[4]) or 10
  pause_ms = 0
  if rate > 0 then
    pause_ms = connections * 1000 / rate
  end
  origin = "http://" .. wrk.host .. ":" .. wrk.port
  tokens, sent = {}, 0
  pages, submissions, results, errors = 0, 0, 0, {}
end

function delay()
  return pause_ms
end

function request()
  sent = sent + 1
  local token = table.remove(tokens)
  if token then
    return wrk.format("POST", "/surveys/governance", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Origin"] = origin,
    }, "form_token=" .. token .. body_tail)
  end
  if sent % every == 0 then
    return wrk.format("GET", "/admin/surveys/governance", { ["Cookie"] = cookie })
  end
  return wrk.format("GET", "/surveys/governance")
end

local function failed(kind, status)
  local key = kind .. ":" .. tostring(status)
  errors[key] = (errors[key] or 0) + 1
end

-- The kind of request is read from its answer (a thread's connections
-- answer in any order).
function response(status, headers, body)
  if status == 303 then
    submissions = submissions + 1
  elseif status == 200 and body:find("responses match", 1, true) then
    results = results + 1
  elseif status == 200 then
    local token = body:match('name="form_token" value="([^"]+)"')
    if token then
      pages = pages + 1
      table.insert(tokens, token)
    else
      failed("page without a form token", status)
    end
  else
    failed(headers["Location"] and ("redirect to " .. headers["Location"]) or "request", status)
  end
end

function done(summary, latency, requests)
  local totals = { pages = 0, submissions = 0, results = 0 }
  local errors, err_total, err_text = {}, 0, ""
  for _, t in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + t:get(key)
    end
    for status, count in pairs(t:get("errors")) do
      errors[status] = (errors[status] or 0) + count
    end
  end
  for status, count in pairs(errors) do
    err_total = err_total + count
    err_text = err_text .. (err_text == "" and "" or ",") .. status:gsub(" ", "_") .. "=" .. count
  end
  local e = summary.errors
  io.write(string.format(
    "SOAK rate=%.1f pages=%d submissions=%d results=%d errors=%d socket_errors=%d timeouts=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f detail=%s\n",
    summary.requests / (summary.duration / 1e6),
    totals.pages, totals.submissions, totals.results,
    err_total, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    err_text == "" and "none" or err_text))
end
