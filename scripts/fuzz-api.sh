#!/usr/bin/env bash
# API fuzzing against the server's own OpenAPI document (issue 14), with
# Schemathesis (pip install schemathesis): builds the demo database, serves
# it, issues an API token for each kind of caller and fuzzes every
# operation as each of them. Fails on any 5xx, any response that breaks its
# schema (status code, content type, body, headers) or any schema-valid
# request refused as malformed.
#
#   scripts/fuzz-api.sh [EXAMPLES_PER_OPERATION]   (default 30)
#
# DUBAN_BIN overrides the binary (default: target/release/duban, built if
# missing). Runs on a throw-away copy of the demo in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-30}"
bin="${DUBAN_BIN:-target/release/duban}"
[ -x "$bin" ] || cargo build --release -p duban
command -v st >/dev/null || { echo "需要 Schemathesis：pip install schemathesis" >&2; exit 2; }

work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
"$bin" demo --db "$work/demo.db" --no-serve >"$work/demo.log"
"$bin" demo --db "$work/demo.db" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

# Log in as the system admin and issue a token per caller.
csrf=$(curl -sf -c "$work/cookies" -H 'content-type: application/json' \
  -d '{"login":"admin","password":"duban2026"}' "$base/api/v1/session" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
users=$(curl -sf -b "$work/cookies" "$base/api/v1/users")
token_for() {
  local id
  id=$(python3 -c 'import json,sys
d=json.loads(sys.argv[1]); d=d.get("users", d) if isinstance(d, dict) else d
print(next(u["id"] for u in d if u["role"] == sys.argv[2]))' "$users" "$1")
  curl -sf -b "$work/cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"fuzz"}' "$base/api/v1/users/$id/tokens" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# Every token issued before any fuzzing: the runs' writes count against
# each user's write limit, the admin's included.
declare -A tokens
for role in office liaison leader public auditor admin security; do
  tokens[$role]=$(token_for "$role" 2>/dev/null) || tokens[$role]=""
done

status=0
rm -rf target/fuzz
# The security admin last: the rules it changes (write limits, TOTP for
# admins) would change the later runs.
for role in office liaison leader public auditor admin security; do
  token="${tokens[$role]:-}"
  if [ -z "$token" ]; then
    echo "== $role: no token for this role, skipped"
    continue
  fi
  echo "== fuzzing as $role ($examples examples per operation)"
  # Operations that would end the run's own access are left out: logging
  # out, revoking tokens, disabling users, changing passwords.
  DUBAN_TOKEN="$token" st --config-file scripts/schemathesis.toml run "$base/api/openapi.json" \
    -n "$examples" --seed 1 \
    --exclude-path-regex '^/api/v1/(session|tokens|users/\{id\}/(tokens|disable|active|password|reset))' \
    --exclude-path-regex '^/api/v1/me/password' \
    --report ndjson --report-ndjson-path "$work/$role.ndjson" >"$work/$role.txt" 2>&1 || status=1
  sed -n '/SUMMARY/,$p' "$work/$role.txt"
  if grep -q "failures\?," "$work/$role.txt"; then
    mkdir -p target/fuzz && cp "$work/$role.txt" "target/fuzz/$role.txt"
    echo "   details: target/fuzz/$role.txt"
  fi
done
exit $status
