-- wrk script: the query mix of benches/speed/peers.rs as /api/search requests, in turn.
-- Every answer carries facet counts and snippets, as for a user.
local paths = {
  "/api/search?q=minister",
  "/api/search?q=persoonsgegevens+verwerking",
  "/api/search?q=%22wet+open+overheid%22",
  "/api/search?q=vaccin*",
  "/api/search?q=coronamelder~1",
  "/api/search?q=informatie&publisher=Ministerie+van+Volksgezondheid%2C+Welzijn+en+Sport&year=2024",
  "/api/search?q=privacy&sort=date",
}
local counter = 0
local threads = {}

-- Status counts per thread (wrk runs the script once per thread), summed in done().
setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  shed = 0
  other = 0
end

response = function(status, headers, body)
  if status == 503 then
    shed = shed + 1
  elseif status >= 300 then
    other = other + 1
  end
end

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local shed_total, other_total = 0, 0
  for _, thread in ipairs(threads) do
    shed_total = shed_total + thread:get("shed")
    other_total = other_total + thread:get("other")
  end
  io.write(string.format("answers 503 (load shed) %d, other non-2xx %d\n", shed_total, other_total))
  io.write(string.format("requests %d, errors connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
