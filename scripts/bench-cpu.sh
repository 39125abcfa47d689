#!/usr/bin/env bash
# CPU time per request (issue 13): the server's and every PostgreSQL
# process's utime + stime over 10 s of 8 connections, for the board's
# first page, a random keyset page and a random matter. Less sensitive to a
# busy machine than a rate: compare two binaries alternated in one sitting.
# Counts every postgres process, so nothing else may use PostgreSQL meanwhile.
#
#   scripts/bench-cpu.sh BINARY DATABASE_URL SEARCH_DIR
set -uo pipefail
BIN=$1; DB=$2; SD=$3; PORT=8094; BASE=http://127.0.0.1:$PORT
DUBAN_DATABASE_URL=$DB DUBAN_SEARCH_DIR=$SD DUBAN_LISTEN=127.0.0.1:$PORT DUBAN_SWEEP_INTERVAL_SECS=0 $BIN serve > /tmp/cpu-serve.log 2>&1 &
PID=$!; trap "kill $PID 2>/dev/null" EXIT
for i in $(seq 1 120); do curl -sf $BASE/healthz >/dev/null && break; sleep 1; done
curl -sf -c /tmp/cjar -H 'content-type: application/json' -d '{"login":"ducha","password":"duban2026"}' $BASE/api/v1/session >/dev/null
C=$(awk '$6 == "duban_session" { printf "%s=%s", $6, $7 }' /tmp/cjar)
TOP=$(curl -sf -H "Cookie: $C" "$BASE/api/v1/matters?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["matters"][0]["id"])')
cat > /tmp/cpu.lua <<LUA
math.randomseed(42)
local kind = os.getenv("KIND")
request = function()
  local path = wrk.path
  if kind == "keyset" then path = "/api/v1/matters?limit=50&after=" .. math.random(50, $TOP)
  elseif kind == "matter" then path = "/api/v1/matters/" .. math.random(1, $TOP) end
  return wrk.format("GET", path)
end
LUA
ticks() { # total utime+stime of the server and every postgres process
  local t=0
  for p in $PID $(pgrep -x postgres; pgrep -f "postgres:"); do
    [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0)))
  done
  echo $t
}
for kind in board keyset matter; do
  KIND=$kind wrk -t2 -c8 -d3s -s /tmp/cpu.lua -H "Cookie: $C" "$BASE/api/v1/matters?limit=50" >/dev/null 2>&1
  a=$(ticks)
  KIND=$kind wrk -t2 -c8 -d10s -s /tmp/cpu.lua -H "Cookie: $C" "$BASE/api/v1/matters?limit=50" > /tmp/cpu-$kind.txt 2>&1
  b=$(ticks)
  n=$(awk '/requests in/ {print $1}' /tmp/cpu-$kind.txt)
  rate=$(awk '/Requests\/sec/ {print $2}' /tmp/cpu-$kind.txt)
  echo "$kind: $n requests, $rate/s, CPU $(echo "scale=3; ($b-$a)*10/$n" | bc) ms/request (server + postgres)"
done
