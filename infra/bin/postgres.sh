#!/usr/bin/env bash
# Postgres for Flagpole: uses the machine's PostgreSQL (no container).
#
#   infra/bin/postgres.sh ensure   server accepts connections (starts the local Debian cluster if it
#                                  is down and pg_ctlcluster exists), and the DATABASE_URL database
#                                  exists (created if missing). Idempotent.
#   infra/bin/postgres.sh status   exit 0 if the server accepts connections and the database exists
#
# Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/flagpole), PG_WAIT_TIMEOUT (30 s).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/flagpole}"
PG_WAIT_TIMEOUT="${PG_WAIT_TIMEOUT:-30}"
export DATABASE_URL
cd "$ROOT" # node -e resolves require("pg") from the working directory

die() { echo "postgres: ERROR: $*" >&2; exit 1; }

# host and port from the URL (no credentials printed)
read -r PG_HOST PG_PORT PG_DB < <(node -e '
  const u = new URL(process.env.DATABASE_URL);
  console.log(u.hostname || "127.0.0.1", u.port || "5432", decodeURIComponent(u.pathname.slice(1)) || "-");
') || die "cannot parse DATABASE_URL"

accepting() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
  else
    node "$ROOT/infra/bin/pg-ensure.js" --check >/dev/null 2>&1
  fi
}

is_local() { [[ "$PG_HOST" == "127.0.0.1" || "$PG_HOST" == "localhost" || "$PG_HOST" == "::1" ]]; }

start_local_cluster() {
  command -v pg_ctlcluster >/dev/null 2>&1 || return 1
  [[ -d /etc/postgresql ]] || return 1
  local ver
  ver="$(ls /etc/postgresql | sort -V | tail -1)"
  [[ -n "$ver" ]] || return 1
  echo "postgres: $PG_HOST:$PG_PORT not accepting connections; starting cluster $ver/main"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
}

cmd_ensure() {
  if ! accepting; then
    if is_local && start_local_cluster; then
      local i
      for ((i = 0; i < PG_WAIT_TIMEOUT * 2; i++)); do
        accepting && break
        sleep 0.5
      done
    fi
    accepting || die "no PostgreSQL accepting connections at $PG_HOST:$PG_PORT (DATABASE_URL)"
  fi
  node "$ROOT/infra/bin/pg-ensure.js"
  echo "postgres: ready at $PG_HOST:$PG_PORT, database \"$PG_DB\""
}

cmd_status() {
  if ! accepting; then
    echo "postgres: NOT accepting connections at $PG_HOST:$PG_PORT"
    return 1
  fi
  if node -e '
      const { Client } = require("pg");
      const u = new URL(process.env.DATABASE_URL);
      const c = new Client({ connectionString: u.toString(), connectionTimeoutMillis: 5000 });
      c.connect().then(() => c.end()).catch(() => process.exit(1));
    ' 2>/dev/null; then
    echo "postgres: ready at $PG_HOST:$PG_PORT, database \"$PG_DB\" exists"
    return 0
  fi
  echo "postgres: accepting connections at $PG_HOST:$PG_PORT, but database \"$PG_DB\" is missing (run infra/bin/postgres.sh ensure)"
  return 1
}

case "${1:-}" in
  ensure) cmd_ensure ;;
  status) cmd_status ;;
  *) echo "usage: $0 ensure|status" >&2; exit 64 ;;
esac
