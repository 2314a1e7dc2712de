#!/usr/bin/env bash
# Quick start: local Postgres, Redis and NATS, dependencies, .env, database, build, then the server in
# the foreground with a demo catalog and a token to try it with. Ctrl-C stops it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
# Node 24 first on PATH (fetched into .node/ when the system has an older one).
source scripts/use-node.sh

say() { echo "up: $*"; }

bash scripts/ensure-services.sh

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

if [ ! -f .env ]; then
  secret=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))')
  sed "s/^JWT_SECRET=.*/JWT_SECRET=$secret/" .env.example >.env
  say "created .env from .env.example with a new random JWT_SECRET"
fi
# A .env from before the event log: give it the local NATS that ensure-services.sh started.
if ! grep -q '^NATS_URL=' .env; then
  printf '%s\n' '# NATS with JetStream for the event log; empty = no event log' 'NATS_URL=nats://127.0.0.1:4222' >>.env
  say "added NATS_URL=nats://127.0.0.1:4222 to .env (the event log)"
fi

# A setting as the server will see it: the environment first, then .env.
setting() { node -e 'process.loadEnvFile(".env"); process.stdout.write(process.env[process.argv[1]] ?? "")' "$1"; }
port=$(setting PORT)
port=${port:-3000}
base_url="http://127.0.0.1:$port"
case "$(setting JWT_SECRET)" in change-me*) say "WARNING: JWT_SECRET in .env is still the placeholder: anyone can mint tokens" ;; esac

command -v psql >/dev/null || { say "ERROR: psql not found (apt-get install postgresql-client)"; exit 1; }
# CREATE DATABASE has no IF NOT EXISTS; \gexec runs the statement only when the select finds none.
read -r db admin_url < <(node -e 'const u = new URL(process.argv[1]); const db = decodeURIComponent(u.pathname.slice(1));
  u.pathname = "/postgres"; console.log(db, u.href)' "$(setting DATABASE_URL)")
created=$(psql -X -v ON_ERROR_STOP=1 -v db="$db" "$admin_url" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
)
[ -z "$created" ] || say "created database $db"

say "building (npm run build)"
npm run --silent build

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  say "ERROR: port $port is already in use (another server running?): stop it or set PORT"; exit 1
fi

# Gateway payments go to the local gateway simulator when PG_BASE_URL points at this machine and
# nothing answers there yet; it sends its webhooks to this server, and stops with it.
pg_url=$(setting PG_BASE_URL)
simulator=
if [ -n "$pg_url" ]; then
  read -r pg_host pg_port < <(node -e 'const u = new URL(process.argv[1]); console.log(u.hostname, u.port || 80)' "$pg_url")
  if [[ $pg_host == 127.0.0.1 || $pg_host == localhost ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; then
    PG_SIM_PORT=$pg_port PG_SECRET_KEY=$(setting PG_SECRET_KEY) PG_SIM_WEBHOOK_URL=$base_url/webhooks/payment-gateway \
      node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON tools/pg-sim.mjs &
    simulator=$!
  fi
fi
stop_simulator() { [ -z "$simulator" ] || kill -TERM "$simulator" 2>/dev/null || true; }
trap stop_simulator EXIT

# The server gets a process group of its own (set -m), so that a Ctrl-C in the terminal reaches
# it once, through the trap below, and not a second time straight from the terminal.
set -m
node dist/main.js &
server=$!
set +m
stop() { kill -TERM "$server" 2>/dev/null || true; }
trap stop INT TERM

for attempt in $(seq 1 120); do
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' \
    "$base_url/health" && break
  kill -0 "$server" 2>/dev/null || { wait "$server" || exit $?; exit 1; }
  [ "$attempt" -lt 120 ] || { say "the server did not become healthy within 60 s"; stop; wait "$server" || true; exit 1; }
  sleep 0.5
done

BASE_URL=$base_url node scripts/seed-demo.js || say "WARNING: seeding the demo catalog failed; the server keeps running"
token=$(npm run --silent token -- 1)
cat <<EOF

  Ready on $base_url    API docs: $base_url/docs
  Demo token (user 1, 24 h; more with: npm run token -- <userId> [--admin]):
    $token
  Try (jq picks the ids out of the answers: apt-get install jq):
    auth="Authorization: Bearer $token"; json='Content-Type: application/json'
    curl -s -X POST $base_url/me/balance/charge -H "\$auth" -H "\$json" -d '{"amount":50000}'
    option=\$(curl -s "$base_url/products?size=1" | jq '.items[0].options[0].id')
    order=\$(curl -s -X POST $base_url/orders -H "\$auth" -H "\$json" -d "{\"items\":[{\"productOptionId\":\$option,\"quantity\":1}]}")
    # pay it from the balance:
    curl -s -X POST $base_url/payments -H "\$auth" -H "\$json" -d "{\"orderId\":\$(jq .id <<<"\$order")}"
EOF
if [ -n "$pg_url" ]; then
  cat <<EOF
    # or place another order and pay it by card: a checkout gives the gateway order id, the customer
    # authorises the amount in the gateway's widget (here the simulator's /sim/checkout), then the
    # shop confirms it with the paymentKey (the gateway's webhook reaches this server too)
    order=\$(curl -s -X POST $base_url/orders -H "\$auth" -H "\$json" -d "{\"items\":[{\"productOptionId\":\$option,\"quantity\":1}]}")
    checkout=\$(curl -s -X POST $base_url/orders/\$(jq .id <<<"\$order")/checkout -H "\$auth" -H "\$json" -d '{"method":"CARD"}')
    key=\$(curl -s -X POST $pg_url/sim/checkout -H "\$json" -d "{\"orderId\":\$(jq .gatewayOrderId <<<"\$checkout"),\"amount\":\$(jq .amount <<<"\$checkout")}" | jq -r .paymentKey)
    curl -s -X POST $base_url/payments -H "\$auth" -H "\$json" -d "{\"orderId\":\$(jq .id <<<"\$order"),\"method\":\"CARD\",\"paymentKey\":\"\$key\",\"gatewayOrderId\":\$(jq .gatewayOrderId <<<"\$checkout")}"
    # or pay into a virtual account: the confirm issues an account (202 AWAITING_DEPOSIT), the
    # customer transfers the money later (here one simulator call), its callback pays the order
    order=\$(curl -s -X POST $base_url/orders -H "\$auth" -H "\$json" -d "{\"items\":[{\"productOptionId\":\$option,\"quantity\":1}]}")
    checkout=\$(curl -s -X POST $base_url/orders/\$(jq .id <<<"\$order")/checkout -H "\$auth" -H "\$json" -d '{"method":"VIRTUAL_ACCOUNT"}')
    key=\$(curl -s -X POST $pg_url/sim/checkout -H "\$json" -d "{\"orderId\":\$(jq .gatewayOrderId <<<"\$checkout"),\"amount\":\$(jq .amount <<<"\$checkout"),\"method\":\"VIRTUAL_ACCOUNT\"}" | jq -r .paymentKey)
    curl -s -X POST $base_url/payments -H "\$auth" -H "\$json" -d "{\"orderId\":\$(jq .id <<<"\$order"),\"method\":\"VIRTUAL_ACCOUNT\",\"paymentKey\":\"\$key\",\"gatewayOrderId\":\$(jq .gatewayOrderId <<<"\$checkout")}" | jq '{status, virtualAccount}'
    curl -s -X POST $pg_url/sim/deposit -H "\$json" -d "{\"paymentKey\":\"\$key\"}" >/dev/null
    sleep 1; curl -s $base_url/orders/\$(jq .id <<<"\$order") -H "\$auth" | jq '{status, paidAt}'
EOF
fi
cat <<EOF
  Watch the event log (NATS JetStream) in another terminal:
    npm run events:tail

  Ctrl-C stops the server.

EOF

# `wait` returns early when a trapped signal arrives: keep waiting until the server has exited.
while :; do
  wait "$server" && status=0 || status=$?
  kill -0 "$server" 2>/dev/null || break
done
say "server stopped (exit status $status)"
exit "$status"
