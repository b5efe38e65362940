-- wrk script for benchmarks/ops_load_bench.py: many field officers, each reporting the steps of its own TPS.
-- Reads "token tps_code" lines from the file in $SIAGA_PAIRS; every request gets an Idempotency-Key unique in the
-- run ("<$SIAGA_RUN>-<thread>-<counter>"), so every acknowledged report must be a new row (201). Counts the
-- answers by status per thread and prints them in done(): 201 = stored now, 200 = replay (should be none).
local pairs_file = os.getenv("SIAGA_PAIRS")
local run_id = os.getenv("SIAGA_RUN") or tostring(os.time())
local steps = {"arrived", "opened", "voting", "closed", "counting", "counted", "handed_over"}
local clients = {}
for line in io.lines(pairs_file) do
  local token, tps = line:match("^(%S+)%s+(%S+)$")
  if token then clients[#clients + 1] = {token = token, tps = tps} end
end

-- globals, not locals: thread:set() and thread:get() reach a thread's globals only
counter = 0
thread_id = 0
created, replayed, other = 0, 0, 0
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  threads[#threads + 1] = thread
end

function request()
  counter = counter + 1
  -- the two threads walk the clients from different offsets (odd / even pairs)
  local n = #clients
  local i = ((counter - 1) * 2 + thread_id - 1) % n + 1
  local c = clients[i]
  local step = steps[(math.floor((counter - 1) * 2 / n)) % #steps + 1]
  local key = string.format("%s-%d-%d", run_id, thread_id, counter)
  local body = string.format('{"status":"%s","at":"2024-11-27T%02d:%02d:00+07:00"}', step,
                             6 + (counter % 12), counter % 60)
  return wrk.format("POST", "/api/v1/tps/" .. c.tps .. "/status", {
    ["Authorization"] = "Bearer " .. c.token,
    ["Idempotency-Key"] = key,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 200 then replayed = replayed + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local c, r, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    r = r + thread:get("replayed")
    o = o + thread:get("other")
  end
  io.write(string.format("SIAGA requests=%d errors_status=%d duration_us=%d created=%d replayed=%d other=%d\n",
                         summary.requests, summary.errors.status, summary.duration, c, r, o))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("SIAGA p%s_us=%d\n", tostring(p), latency:percentile(p)))
  end
  io.write(string.format("SIAGA pmax_us=%d\n", latency.max))
end
