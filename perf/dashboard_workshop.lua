-- wrk script for the live workshop (perf/dashboard_workshop_load.sh). MODE (environment):
--   post       participants post notes to the open round (CODE_POST), each connection its own cookie,
--              one note every DELAY_MS; the thread stops after MAX_POSTS responses (the round's cap)
--   vote       participants place and take back a dot on the piles (PILES) of the voting round (CODE_VOTE)
--   projector  the projector's refresh callback (BODY_PROJECTOR), every DELAY_MS
local mode = os.getenv("MODE")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
local max_posts = tonumber(os.getenv("MAX_POSTS") or "0")
local piles, n, responses = {}, 0, 0
local notes = {"Gemensam introduktion för nya politiker och chefer", "Fasta avstämningar mellan ordförande och chef",
  "Tydligare delegationsordning", "Ses oftare informellt", "Gemensam planeringsdag i mars",
  "Kortare handlingar till nämnden", "Förvaltningschefen på varje presidiemöte", "Mer tid för dialog i fullmäktige"}
local token

function setup(thread)
  thread:set("id", math.random(1, 1e9))
end

function init(args)
  for p in string.gmatch(os.getenv("PILES") or "", "[^,]+") do piles[#piles + 1] = p end
  token = string.format("wrk%09d%012d", id, math.random(1, 1e11))
end

function delay()
  return delay_ms
end

local function cookie(code, who)
  return {["Content-Type"] = "application/x-www-form-urlencoded",
          ["Cookie"] = "tillit_delta=" .. code .. "." .. token .. who}
end

function request()
  n = n + 1
  if mode == "post" then
    local body = "note=" .. notes[(n % #notes) + 1]:gsub(" ", "+") .. "+" .. n
    return wrk.format("POST", "/delta/lapp", cookie(os.getenv("CODE_POST"), tostring(n % 30)), body)
  elseif mode == "vote" then
    -- every dot from another participant token (so no one runs out of dots), on the piles in turn
    local pile = piles[(n % #piles) + 1]
    return wrk.format("POST", "/delta/prick", cookie(os.getenv("CODE_VOTE"), "v" .. tostring(n)),
                      "pile=" .. pile .. "&action=add")
  else
    return wrk.format("POST", "/_dash-update-component", {["Content-Type"] = "application/json"},
                      os.getenv("BODY_PROJECTOR"))
  end
end

local shown = 0
function response(status, headers, body)
  responses = responses + 1
  if status >= 400 and shown < 3 and os.getenv("SHOW_ERRORS") then
    shown = shown + 1
    local msg = string.match(body or "", 'role="alert"[^>]*>([^<]*)') or string.sub(body or "", 1, 200)
    io.write(string.format("%s: HTTP %d: %s\n", mode, status, msg))
  end
  if max_posts > 0 and responses >= max_posts then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%s: requests %d, non-2xx/3xx %d, socket errors connect %d read %d write %d timeout %d\n",
    mode, summary.requests, e.status, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("%s: latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; %.1f req/s\n", mode,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
