#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 (user postgres, no password) and Redis on
# 127.0.0.1:6379: starts whichever is installed but stopped, installs (Debian apt) whichever is
# missing. Idempotent; a no-op costing well under a second when both already answer.
# Does not rely on systemd: clusters are driven with pg_ctlcluster, Redis is started daemonized.
set -euo pipefail

PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres
REDIS_HOST=127.0.0.1 REDIS_PORT=6379

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

wait_for() { # <what> <check function>
  for _ in $(seq 1 50); do "$2" && return 0; sleep 0.2; done
  die "$1 did not answer within 10 s after starting"
}

pg_installed() { have pg_ctlcluster && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
redis_installed() { have redis-server; }

apt_install() { # <package>...
  have apt-get || die "cannot install $* automatically: apt-get not found (install it yourself and re-run)"
  say "installing $* with apt-get (takes a minute)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold "$@" >/dev/null
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

pg_ok=false redis_ok=false
pg_answers && pg_ok=true
redis_answers && redis_ok=true

missing=()
$pg_ok || pg_installed || missing+=(postgresql)
$redis_ok || redis_installed || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# Installing may already have started a service, hence the second look before starting one.
$pg_ok || pg_answers || start_postgres
pg_login_ok || allow_trust_login
$redis_ok || redis_answers || start_redis

say "PostgreSQL up on $PG_HOST:$PG_PORT, Redis up on $REDIS_HOST:$REDIS_PORT"
