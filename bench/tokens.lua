-- wrk script for scripts/bench-load: harvests form tokens.
-- GETs the survey page and writes the `form_token` of each answer, one per
-- line, to OUT.N (N = thread number), stopping once every thread has its
-- share of WANT tokens.   wrk ... -s bench/tokens.lua URL -- OUT WANT
local threads = {}
local nthreads = 0

function setup(thread)
  nthreads = nthreads + 1
  thread:set("id", nthreads)
  table.insert(threads, thread)
end

function init(args)
  out = assert(io.open(args[1] .. "." .. id, "w"))
  want = math.ceil(tonumber(args[2]) / tonumber(args[3] or 2))
  got, bad = 0, 0
end

function response(status, headers, body)
  local token = status == 200 and body:match('name="form_token" value="([^"]+)"')
  if token then
    out:write(token, "\n")
    got = got + 1
    if got >= want then
      out:flush()
      wrk.thread:stop()
    end
  else
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local got, bad = 0, 0
  for _, t in ipairs(threads) do
    got = got + t:get("got")
    bad = bad + t:get("bad")
  end
  io.write(string.format("tokens %d bad %d\n", got, bad))
end
