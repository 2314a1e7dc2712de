#!/usr/bin/env bash
# npm run lint:monitoring: the Prometheus config and rules of monitoring/prometheus/ are valid,
# and their unit tests (monitoring/prometheus/tests/*.test.yml) pass. promtool comes with
# Debian's prometheus package (/usr/bin), which scripts/ensure-services.sh installs; PROMTOOL
# names another one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

promtool=${PROMTOOL:-$(command -v promtool || echo /usr/bin/promtool)}
if [ ! -x "$promtool" ]; then
  echo "lint:monitoring: promtool not found (not on PATH nor /usr/bin/promtool): bash scripts/ensure-services.sh installs it (Debian's prometheus package)" >&2
  exit 1
fi

"$promtool" check config monitoring/prometheus/prometheus.yml
"$promtool" check rules monitoring/prometheus/rules/*.yml
"$promtool" test rules monitoring/prometheus/tests/*.test.yml
