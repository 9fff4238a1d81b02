-- Pipelined load: each write carries DEPTH requests back to back (wrk ... -- DEPTH), as in wrk's own example.
-- wrk counts every response; the latency it records is per batch of DEPTH. The report comes from report.lua.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

init = function(args)
  local depth = tonumber(args[1]) or 16
  local batch = {}
  for i = 1, depth do batch[i] = wrk.format() end
  pipelined = table.concat(batch)
end

request = function()
  return pipelined
end
