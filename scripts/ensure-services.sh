#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 (user postgres, no password), Redis on
# 127.0.0.1:6379 and NATS with JetStream on 127.0.0.1:4222: starts whichever is installed but
# stopped, installs (Debian apt) whichever is missing. Idempotent; a no-op costing well under a
# second when all three already answer. Does not rely on systemd: clusters are driven with
# pg_ctlcluster, Redis and NATS are started daemonized. Also installs PgBouncer and Prometheus
# (with promtool) when missing: the tests run them themselves (test/support/pgbouncer.ts,
# test/service/monitoring.e2e-spec.ts) and `npm run lint:monitoring` runs promtool, so only the
# binaries are needed.
set -euo pipefail

PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres
REDIS_HOST=127.0.0.1 REDIS_PORT=6379
NATS_HOST=127.0.0.1 NATS_PORT=4222 NATS_STORE=/var/lib/nats-server NATS_LOG=/var/log/nats-server.log

say() { echo "ensure-services: $*"; }
die() { echo "ensure-services: ERROR: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Runs a command as root: directly, or through sudo (never prompting when there is no terminal).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif have sudo; then if [ -t 0 ]; then sudo "$@"; else sudo -n "$@"; fi
  else die "need root to run '$*' (not root, and sudo is not installed)"
  fi
}

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

pg_answers() {
  if have pg_isready; then pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 1; else port_open "$PG_HOST" "$PG_PORT"; fi
}

# Can user postgres log in over TCP without a password? Without psql, an open port has to do.
pg_login_ok() {
  have psql || return 0
  PGCONNECT_TIMEOUT=2 psql -w -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1
}

redis_answers() {
  if have redis-cli; then
    [ "$(timeout 2 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
  else
    timeout 1 bash -c "exec 3<>/dev/tcp/$REDIS_HOST/$REDIS_PORT && printf 'PING\r\n' >&3 && read -r reply <&3 && [[ \$reply == +PONG* ]]" 2>/dev/null
  fi
}

# A NATS server greets every client with one INFO line, which says whether JetStream is on.
nats_info() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$NATS_HOST/$NATS_PORT && read -r line <&3 && printf '%s' \"\$line\"" 2>/dev/null
}
nats_answers() { [[ $(nats_info) == INFO* ]]; }
nats_has_jetstream() { [[ $(nats_info) == *'"jetstream":true'* ]]; }

wait_for() { # <what> <check function>
  for _ in $(seq 1 50); do "$2" && return 0; sleep 0.2; done
  die "$1 did not answer within 10 s after starting"
}

pg_installed() { have pg_ctlcluster && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
redis_installed() { have redis-server; }
# Debian installs it in /usr/sbin, which a non-root PATH may lack.
nats_binary() { command -v nats-server 2>/dev/null || echo /usr/sbin/nats-server; }
nats_installed() { [ -x "$(nats_binary)" ]; }
pgbouncer_installed() { have pgbouncer || [ -x /usr/sbin/pgbouncer ]; }
prometheus_installed() { [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; }

apt_install() { # <package>...
  have apt-get || die "cannot install $* automatically: apt-get not found (install it yourself and re-run)"
  say "installing $* with apt-get (takes a minute)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold "$@" >/dev/null
}

# Debian's package would start (and enable) a prometheus service on :9090 scraping nothing of ours,
# and its recommended node exporter another: only the binaries are wanted. A policy-rc.d that
# refuses every start keeps invoke-rc.d and deb-systemd-invoke from starting them, unless the
# machine already has a policy of its own (a Docker image's refuses them already).
install_prometheus() {
  local policy=/usr/sbin/policy-rc.d own_policy=false
  have apt-get || die "cannot install prometheus automatically: apt-get not found (install it yourself and re-run)"
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    own_policy=true
  fi
  local status=0
  apt_install --no-install-recommends prometheus || status=$?
  if $own_policy; then as_root rm -f "$policy"; fi
  [ "$status" -eq 0 ] || die "could not install prometheus"
  if have systemctl && [ -d /run/systemd/system ]; then as_root systemctl disable prometheus >/dev/null 2>&1 || true; fi
  prometheus_installed || die "prometheus installed, but /usr/bin/prometheus or /usr/bin/promtool is missing"
}

# Prints "<version> <cluster> <status>" of the cluster configured for our port, if any.
pg_cluster_on_port() {
  pg_lsclusters --no-header 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2, $4; exit }'
}

start_postgres() {
  local cluster version name status
  cluster=$(pg_cluster_on_port)
  if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    say "creating PostgreSQL $version cluster 'main' on port $PG_PORT"
    as_root pg_createcluster "$version" main --port "$PG_PORT" >/dev/null ||
      die "pg_createcluster $version main failed (does a cluster 'main' already use another port? see pg_lsclusters)"
    cluster=$(pg_cluster_on_port)
  fi
  read -r version name status <<<"$cluster"
  if [[ $status != online* ]]; then
    say "starting PostgreSQL $version/$name"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start ||
      die "could not start PostgreSQL $version/$name (see /var/log/postgresql/postgresql-$version-$name.log)"
  fi
  wait_for PostgreSQL pg_answers
}

# A fresh Debian cluster asks for a password over TCP; the app, the tests and up.sh connect as
# postgres@127.0.0.1 without one, so allow exactly that (loopback only) ahead of the other rules.
allow_trust_login() {
  local cluster version name hba
  cluster=$(pg_cluster_on_port)
  [ -n "$cluster" ] || die "PostgreSQL on $PG_HOST:$PG_PORT refuses passwordless login for '$PG_USER' and is not a local cluster this script manages"
  read -r version name _ <<<"$cluster"
  hba=/etc/postgresql/$version/$name/pg_hba.conf
  say "allowing passwordless login for $PG_USER from 127.0.0.1 and ::1 in $hba"
  as_root sed -i "1i host all $PG_USER 127.0.0.1/32 trust\nhost all $PG_USER ::1/128 trust" "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" reload
  for _ in $(seq 1 25); do pg_login_ok && return 0; sleep 0.2; done
  die "user $PG_USER still cannot log in to $PG_HOST:$PG_PORT without a password (check $hba)"
}

start_redis() {
  say "starting Redis on $REDIS_HOST:$REDIS_PORT"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || die "could not start Redis (see /var/log/redis/ci.log)"
  wait_for Redis redis_answers
}

# The pid file tells our server apart from other nats-server processes (tests start their own).
start_nats() {
  say "starting NATS with JetStream on $NATS_HOST:$NATS_PORT"
  as_root mkdir -p "$NATS_STORE"
  as_root start-stop-daemon --start --oknodo --background --pidfile /run/nats-server-js.pid --make-pidfile \
    --exec "$(nats_binary)" -- -a "$NATS_HOST" -p "$NATS_PORT" -js -sd "$NATS_STORE" -l "$NATS_LOG" ||
    die "could not start nats-server (see $NATS_LOG)"
  wait_for NATS nats_answers
}

# Debian's package starts its own service where systemd runs, without JetStream: replace it
# with ours, but only right after this script installed it (any other server is not ours to stop).
replace_fresh_nats_service() {
  nats_answers && ! nats_has_jetstream || return 0
  have systemctl && systemctl is-active --quiet nats-server 2>/dev/null || return 0
  say "stopping the nats-server service the package started (it has no JetStream)"
  as_root systemctl disable --now nats-server >/dev/null 2>&1 || die "could not stop the nats-server service"
}

pg_ok=false redis_ok=false nats_ok=false
pg_answers && pg_ok=true
redis_answers && redis_ok=true
nats_answers && nats_ok=true

missing=()
$pg_ok || pg_installed || missing+=(postgresql)
$redis_ok || redis_installed || missing+=(redis-server)
$nats_ok || nats_installed || missing+=(nats-server)
pgbouncer_installed || missing+=(pgbouncer)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
prometheus_installed || install_prometheus
[[ " ${missing[*]} " != *" nats-server "* ]] || replace_fresh_nats_service

# Installing may already have started a service, hence the second look before starting one.
$pg_ok || pg_answers || start_postgres
pg_login_ok || allow_trust_login
$redis_ok || redis_answers || start_redis
nats_answers || start_nats
nats_has_jetstream || die "the NATS server on $NATS_HOST:$NATS_PORT runs without JetStream: restart it with -js (or stop it, and this script starts one that has it)"

say "PostgreSQL up on $PG_HOST:$PG_PORT, Redis up on $REDIS_HOST:$REDIS_PORT, NATS (JetStream) up on $NATS_HOST:$NATS_PORT"
