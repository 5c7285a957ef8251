-- wrk script: the query mix of benches/peers.rs as /api/search requests, in turn.
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

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
