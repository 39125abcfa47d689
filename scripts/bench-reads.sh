#!/usr/bin/env bash
# Reads that stay fast (issue 13): in one run, nginx serving the very bytes
# Duban answers as static files, then Duban serving the same requests:
# the board's first page, a keyset page deep in the board, a matter, the
# dashboard, and (through `duban bench api`) a report write.
#
#   scripts/bench-reads.sh DATABASE_URL [LABEL]
#
# DATABASE_URL is a database made by `duban generate` (sqlite://… or
# postgres://…). Needs wrk and nginx (apt install wrk nginx) and a release
# build (cargo build --release -p duban); DUBAN=path overrides the binary.
# Each test runs SECONDS (10) with CONN (8) connections on 2 threads; the
# board's p99 "at half the rate" is taken with wrk pacing every connection
# (lua delay()) to about half the rate Duban reached unpaced. Output: one
# line per test, and the raw wrk reports under $OUT (/tmp/duban-bench-*).
set -euo pipefail

DB=${1:?usage: scripts/bench-reads.sh DATABASE_URL [LABEL]}
LABEL=${2:-$DB}
DUBAN=${DUBAN:-target/release/duban}
SECONDS_PER=${SECONDS_PER:-10}
CONN=${CONN:-8}
PORT=${PORT:-8091}
NGINX_PORT=${NGINX_PORT:-8092}
OUT=$(mktemp -d /tmp/duban-bench-XXXXXX)
BASE="http://127.0.0.1:$PORT"
NGINX="http://127.0.0.1:$NGINX_PORT"

cleanup() {
    [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null || true
    [ -f "$OUT/nginx.pid" ] && kill "$(cat "$OUT/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

# The write test measures the server, not the per-user write limit (300 a
# minute by default, which eight liaisons reach within seconds).
printf '[accounts]\nwrites_per_minute = 1000000\n' >"$OUT/duban.toml"
DUBAN_CONFIG="$OUT/duban.toml" DUBAN_DATABASE_URL="$DB" DUBAN_LISTEN="127.0.0.1:$PORT" DUBAN_SWEEP_INTERVAL_SECS=0 \
    "$DUBAN" serve >"$OUT/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 600); do
    curl -sf "$BASE/healthz" >/dev/null 2>&1 && break
    sleep 1
done

# The office's session (generated users share the password duban2026).
curl -sf -c "$OUT/jar" -H 'content-type: application/json' \
    -d '{"login":"ducha","password":"duban2026"}' "$BASE/api/v1/session" >/dev/null
COOKIE=$(awk '$6 == "duban_session" { printf "%s=%s", $6, $7 }' "$OUT/jar")
get() { curl -sf -H "Cookie: $COOKIE" "$BASE$1"; }

FIRST=$(get "/api/v1/matters?limit=50")
TOTAL=$(printf '%s' "$FIRST" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
TOP=$(printf '%s' "$FIRST" | python3 -c 'import json,sys; print(json.load(sys.stdin)["matters"][0]["id"])')
MID=$((TOP / 2))

# The same bytes as static files for nginx.
mkdir -p "$OUT/www"
printf '%s' "$FIRST" >"$OUT/www/board.json"
get "/api/v1/matters?limit=50&after=$MID" >"$OUT/www/keyset.json"
get "/api/v1/matters/$MID" >"$OUT/www/matter.json"
get "/dashboard" >"$OUT/www/dashboard.html"
cat >"$OUT/nginx.conf" <<EOF
worker_processes 2;
daemon on;
pid $OUT/nginx.pid;
error_log $OUT/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $OUT/www;
        location / { default_type application/json; }
    }
}
EOF
nginx -c "$OUT/nginx.conf" -p "$OUT" -e "$OUT/nginx.err"

# Random pages and matters, chosen per request by wrk's lua.
cat >"$OUT/random.lua" <<EOF
math.randomseed(os.time())
local top = $TOP
local kind = os.getenv("KIND")
local pause = tonumber(os.getenv("PAUSE_MS") or "0")
request = function()
    local path
    if kind == "keyset" then
        path = "/api/v1/matters?limit=50&after=" .. math.random(50, top)
    elseif kind == "matter" then
        path = "/api/v1/matters/" .. math.random(1, top)
    else
        path = wrk.path
    end
    return wrk.format("GET", path)
end
if pause > 0 then
    delay = function() return pause end
end
EOF

# wrk's summary as "rate p50 p99".
run() { # name url kind conns [pause_ms]
    local name=$1 url=$2 kind=$3 conns=$4 pause=${5:-0}
    local threads=$((conns < 2 ? conns : 2))
    KIND=$kind PAUSE_MS=$pause wrk -t"$threads" -c"$conns" -d"${SECONDS_PER}s" --latency \
        -s "$OUT/random.lua" -H "Cookie: $COOKIE" "$url" >"$OUT/$name.txt" 2>&1
    local rate p50 p99 errs
    rate=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$OUT/$name.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/$name.txt")
    errs=$(awk '/Non-2xx/ {print $4}' "$OUT/$name.txt")
    echo "$rate $p50 $p99 ${errs:-0}"
}

echo "# $LABEL: $TOTAL matters; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg); $CONN connections, ${SECONDS_PER}s each"
printf '%-34s %10s %10s %9s %9s %8s %s\n' test nginx/s duban/s p50 p99 share errors
line() { # name nginx-result duban-result
    read -r nr _ _ _ <<<"$2"
    read -r dr dp50 dp99 derr <<<"$3"
    printf '%-34s %10s %10s %9s %9s %7.1f%% %s\n' "$1" "$nr" "$dr" "$dp50" "$dp99" \
        "$(echo "100 * $dr / $nr" | bc -l)" "$derr"
}
N=$(run nginx-board "$NGINX/board.json" static "$CONN")
D=$(run board "$BASE/api/v1/matters?limit=50" static "$CONN")
line "board, first page" "$N" "$D"
BOARD_RATE=$(echo "$D" | cut -d' ' -f1)
# Half the rate: each connection waits so that CONN of them together ask
# about BOARD_RATE / 2 a second.
PAUSE=$(echo "$CONN * 1000 * 2 / $BOARD_RATE" | bc)
D=$(run board-half "$BASE/api/v1/matters?limit=50" static "$CONN" "$PAUSE")
line "board, first page, paced ~half" "$N" "$D"
N=$(run nginx-keyset "$NGINX/keyset.json" static "$CONN")
D=$(run keyset "$BASE/api/v1/matters" keyset "$CONN")
line "board, random keyset page" "$N" "$D"
N=$(run nginx-matter "$NGINX/matter.json" static "$CONN")
D=$(run matter "$BASE/api/v1/matters" matter "$CONN")
line "matter, random" "$N" "$D"
N=$(run nginx-dashboard "$NGINX/dashboard.html" static "$CONN")
D=$(run dashboard "$BASE/dashboard" static "$CONN")
line "dashboard page" "$N" "$D"
D=$(run dashboard-1 "$BASE/dashboard" static 1)
line "dashboard page, 1 connection" "$N" "$D"

# The write: eight liaisons reporting on their open tracks.
"$DUBAN" bench api --url "$BASE" --office ducha --seconds "$SECONDS_PER" --concurrency "$CONN" \
    >"$OUT/bench-api.txt" 2>&1 || true
grep -E "POST" "$OUT/bench-api.txt" || cat "$OUT/bench-api.txt"
echo "# raw reports in $OUT"
