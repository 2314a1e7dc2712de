#!/usr/bin/env bash
# Runs the whole test suite (typecheck, unit, e2e) the way CI does: local Postgres, Redis and NATS
# first, dependencies when needed (always from scratch in CI), then `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Node 24 first on PATH (fetched into .node/ when the system has an older one).
source scripts/use-node.sh

bash scripts/ensure-services.sh

if [ "${CI:-false}" != false ] || [ ! -f node_modules/.package-lock.json ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test: installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

exec npm test
