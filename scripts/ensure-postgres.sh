#!/usr/bin/env bash
# Start the machine's PostgreSQL cluster if it is installed but stopped; the tests then run on it too.
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "ensure-postgres: PostgreSQL is not installed; PostgreSQL tests will be skipped" >&2
  exit 0
fi
pg_lsclusters --no-header | while read -r version cluster port status _; do
  if [ "$status" != "online" ]; then
    echo "ensure-postgres: starting cluster $version/$cluster on port $port"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
  fi
done
for _ in $(seq 1 30); do
  if pg_isready -q -h 127.0.0.1 -p 5432; then exit 0; fi
  sleep 1
done
echo "ensure-postgres: PostgreSQL does not answer on 127.0.0.1:5432" >&2
exit 1
