#!/usr/bin/env bash
# The production path as an operator takes it, on the PostgreSQL database named by $1:
# build, `npm pack`, install the tarball in a temporary folder with production dependencies
# only, serve with the installed bin (as systemd or a container runs it: `npx` does not pass
# SIGTERM on to it), wait for /health, import a statement with `npx xapi-gateway` beside the
# running server and see the server deliver it to its LRS, then SIGTERM: exit 0 and the port
# free. One line per step; exits non-zero at the first step that fails.
# usage: bash scripts/package-smoke.sh [--built] postgres://postgres@127.0.0.1:5432/<an empty database>
# (--built: pack the build in dist/ as it is, as CI does right after `npm ci` built it)
set -uo pipefail
cd "$(dirname "$0")/.."
built=
[ "${1:-}" = --built ] && { built=1; shift; }
[ $# -eq 1 ] || { echo "usage: $0 [--built] <DATABASE_URL of an empty database>"; exit 2; }
root=$(pwd)
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill -KILL "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "   FAILED: $1"
  [ -f "$work/log" ] && tail -n 20 "$work/log" | sed 's/^/   | /'
  exit 1
}

if [ -n "$built" ]; then
  [ -x dist/src/cli.js ] || fail "--built, but dist/src/cli.js is not built"
else
  npm run build >"$work/log" 2>&1 || fail "npm run build"
fi
tarball=$(npm pack --ignore-scripts --json --pack-destination "$work" 2>>"$work/log" | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].filename)') \
  || fail "npm pack"
echo "   packed $tarball ($(du -h "$work/$tarball" | cut -f1))"

mkdir "$work/app" && cd "$work/app" || fail "mkdir"
npm init -y >/dev/null 2>&1 && npm install --omit=dev --no-audit --no-fund "$work/$tarball" >"$work/log" 2>&1 || fail "npm install --omit=dev $tarball"
for dev in tsx typescript vitest drizzle-kit @types/node; do
  [ -e "node_modules/$dev" ] && fail "a development dependency was installed: $dev"
done
echo "   installed with production dependencies only ($(ls node_modules | wc -l) packages)"
npx --no-install xapi-gateway --version >/dev/null 2>>"$work/log" || fail "npx xapi-gateway --version"
ls node_modules/xapi-gateway/dist/pglite-base-*.tar.gz >/dev/null 2>&1 || fail "the package holds no embedded database to start from (dist/pglite-base-*.tar.gz)"
env -u DATABASE_URL DATA_DIR="$work/embedded" LOG_LEVEL=warn npx --no-install xapi-gateway status >/dev/null 2>>"$work/log" \
  || fail "npx xapi-gateway status on a new embedded database"
echo "   a command on a new embedded database starts from the shipped one"

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
user=smoke
password=smoke-password-of-16
export DATABASE_URL="$1" DATA_DIR="$work/data" LOG_LEVEL=warn
PORT=$port LRS_USERS="$user:$password" FLUSH_CRON='* * * * * *' node_modules/.bin/xapi-gateway serve >"$work/log" 2>&1 &
server=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  kill -0 "$server" 2>/dev/null || fail "the server exited before /health answered"
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/health" >/dev/null || fail "/health did not answer within 120 s"
echo "   xapi-gateway serve: /health answers on port $port"

id=5e0b7c2a-3f4d-4b8e-9a61-0c2d4e6f8a10
printf '{"id":"%s","actor":{"mbox":"mailto:smoke@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"http://example.org/smoke"}}\n' "$id" >"$work/one.ndjson"
npx --no-install xapi-gateway import xapi --json "$work/one.ndjson" >"$work/import.json" 2>>"$work/log" || fail "npx xapi-gateway import xapi beside the server"
grep -q '"added": 1' "$work/import.json" || fail "import xapi did not add the statement: $(tr -d '\n' <"$work/import.json")"
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -u "$user:$password" -H 'X-Experience-API-Version: 1.0.3' "http://127.0.0.1:$port/xapi/statements?statementId=$id")" = 200 ] && break
  sleep 0.5
done
[ "$(curl -s -o /dev/null -w '%{http_code}' -u "$user:$password" -H 'X-Experience-API-Version: 1.0.3' "http://127.0.0.1:$port/xapi/statements?statementId=$id")" = 200 ] \
  || fail "the statement imported beside the server never reached its LRS"
echo "   npx xapi-gateway import xapi beside the server: the server delivered the statement to /xapi"

kill -TERM "$server"
wait "$server"
code=$?
server=
[ "$code" -eq 0 ] || fail "the server exited with $code after SIGTERM"
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && fail "port $port still open after SIGTERM"
echo "   SIGTERM: the server stopped with exit 0 and freed its port"
cd "$root"
