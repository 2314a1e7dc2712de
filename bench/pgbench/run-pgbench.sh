#!/usr/bin/env bash
# The ceiling Postgres alone sets on this machine for scenario 1's payment: pgbench runs
# payment.sql (the statement of one POST /payments: the payment as one statement that reads the
# order itself) at each concurrency, each time on a freshly created, migrated and filled database.
# PGBENCH_SCRIPT=transaction runs payment-transaction.sql instead: the same payment the transaction
# way (a coupon's or an Idempotency-Key's payment, and every balance payment before issue 21).
#
#   npm run bench:pgbench                       # -c 16 and -c 64, -j 2, 15 s each
#   PGBENCH_CLIENTS="16" PGBENCH_SECONDS=20 npm run bench:pgbench
#   PGBENCH_RATE=1 npm run bench:pgbench        # also a run at half the measured tps (-R), for p99
#   bash bench/pgbench/run-pgbench.sh explain   # EXPLAIN (ANALYZE, BUFFERS) of each statement
#   PGBENCH_MODE=prepared npm run bench:pgbench # named prepared statements, as the app's on sessions of its own
#   PGBENCH_SCRIPT=transaction npm run bench:pgbench
#
# Needs a build for the migrations (dist/, or BENCH_DIST=bench/.server/dist from npm run bench).
set -euo pipefail
cd "$(dirname "$0")/../.."

PGBENCH=${PGBENCH:-$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)}
SERVER=${PGBENCH_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
DB=${PGBENCH_DB:-shop_pgbench}
CLIENTS=${PGBENCH_CLIENTS:-16 64}
THREADS=${PGBENCH_THREADS:-2}
DURATION=${PGBENCH_SECONDS:-15}
ORDERS=${PGBENCH_ORDERS:-300000}
PRODUCTS=${PGBENCH_PRODUCTS:-100}
MODE=${PGBENCH_MODE:-extended}
case "${PGBENCH_SCRIPT:-one-statement}" in
  one-statement) SCRIPT=bench/pgbench/payment.sql ;;
  transaction) SCRIPT=bench/pgbench/payment-transaction.sql ;;
  *) echo "PGBENCH_SCRIPT: one-statement (default) or transaction" >&2; exit 2 ;;
esac
export BENCH_DIST=${BENCH_DIST:-dist}
[[ -f "$BENCH_DIST/migrations/index.js" ]] || { echo "no build in $BENCH_DIST: run npm run build (or set BENCH_DIST)" >&2; exit 1; }

OUT=bench/results/pgbench-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"

fresh_db() {
  psql "$SERVER/postgres" -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  node bench/pgbench/migrate.mjs "$SERVER/$DB"
  psql "$SERVER/$DB" -qX -v orders="$ORDERS" -v products="$PRODUCTS" -v ttl=600 -f bench/pgbench/fill.sql >/dev/null
}

# p50/p95/p99 (ms) of the per-transaction log lines (3rd field: latency in µs).
percentiles() {
  cat "$@" | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {
    if (NR == 0) { print "no transactions logged"; exit }
    printf "latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (%d transactions)\n",
      a[int(NR*0.50+0.999)]/1000, a[int(NR*0.95+0.999)]/1000, a[int(NR*0.99+0.999)]/1000, a[NR]/1000, NR }'
}

# CPU ticks so far (USER_HZ = 100 per second) and the time: "<machine busy> <postgres processes> <seconds>".
cpu_ticks() {
  local machine pg
  machine=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  pg=$(cat /proc/[0-9]*/stat 2>/dev/null | awk '/^[0-9]+ \(postgres\) / {t += $14 + $15} END {print t + 0}')
  echo "$machine $pg $(date +%s.%N)"
}

# One pgbench run: $1 clients, $2 label, further args go to pgbench.
run() {
  local c=$1 label=$2; shift 2
  fresh_db
  echo "== pgbench -c $c $label ==" | tee -a "$OUT/summary.txt"
  # CPU use is sampled from second 1 to 1 s before the end, while pgbench's backends live.
  ( sleep 1; a=$(cpu_ticks); sleep $((DURATION - 2)); echo "$a $(cpu_ticks)" > "$OUT/cpu-c$c-$label" ) &
  local sampler=$!
  "$PGBENCH" "$SERVER/$DB" -n -M "$MODE" -c "$c" -j "$THREADS" -T "$DURATION" -P 5 -r \
    -l --log-prefix="$OUT/log-c$c-$label" -D n=0 -D clients="$c" -D options=$((PRODUCTS * 2)) -f "$SCRIPT" "$@" 2>&1 | tee "$OUT/c$c-$label.txt"
  wait "$sampler"
  awk '{d = $6 - $3; printf "cores busy: machine %.2f, postgres %.2f (the rest is mostly pgbench)\n", ($4-$1)/100/d, ($5-$2)/100/d}' "$OUT/cpu-c$c-$label" | tee -a "$OUT/summary.txt"
  percentiles "$OUT"/log-c"$c"-"$label".* | tee -a "$OUT/summary.txt"
  grep -E '^(tps|latency average|number of (transactions actually processed|failed))' "$OUT/c$c-$label.txt" | tee -a "$OUT/summary.txt"
  psql "$SERVER/$DB" -qAtX -c "SELECT 'check: ' || count(*) FILTER (WHERE status = 'PAID') || ' PAID orders, ' || (SELECT count(*) FROM payments) || ' payments, '
    || (SELECT count(*) FROM outbox_events) || ' outbox rows, reserved units = PENDING orders: '
    || ((SELECT sum(reserved) FROM product_options) = count(*) FILTER (WHERE status = 'PENDING')) FROM orders" | tee -a "$OUT/summary.txt"
}

if [[ "${1:-}" == explain ]]; then
  fresh_db
  psql "$SERVER/$DB" -X -v oid=1000 -f bench/pgbench/explain.sql
  exit 0
fi

echo "$(date -u +%FT%TZ)  $(basename "$SCRIPT")  $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)  $("$PGBENCH" --version)  load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/summary.txt"
for c in $CLIENTS; do
  run "$c" closed
  if [[ -n "${PGBENCH_RATE:-}" ]]; then
    tps=$(grep -Eo '^tps = [0-9.]+' "$OUT/c$c-closed.txt" | grep -Eo '[0-9.]+$')
    run "$c" "rate$(printf '%.0f' "$(echo "$tps / 2" | bc -l)")" -R "$(printf '%.0f' "$(echo "$tps / 2" | bc -l)")"
  fi
done
echo "figures in $OUT/summary.txt"
