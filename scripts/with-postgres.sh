#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server: initdb in a temporary folder, start it on
# a free loopback port, export DATABASE_URL, run "$@", stop and remove the server.
set -euo pipefail
initdb=$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
[[ -x $initdb ]] || { echo "initdb not found: run scripts/system-packages.sh" >&2; exit 1; }
bindir=$(dirname "$(readlink -f "$initdb")")
tmp=$(mktemp -d /tmp/zhifa-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  # PostgreSQL refuses to run as root: run the server as the unprivileged `postgres` user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$tmp/data" -U zhifa --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"$bindir/psql" -h 127.0.0.1 -p "$port" -U zhifa -d postgres -qc "select version()" -At | head -n 1
export DATABASE_URL="postgres://zhifa@127.0.0.1:$port/zhifa"
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U zhifa zhifa
"$@"
