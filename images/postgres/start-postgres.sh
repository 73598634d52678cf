#!/bin/sh
# A throwaway PostgreSQL for a benchmark run: a fresh cluster on every container start,
# local connections trusted (the harness seeds through `podman exec`), network
# connections with passwords.
set -eu
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
DATA=/var/lib/postgresql/ib-data
mkdir -p "$DATA" /run/postgresql
chown -R postgres:postgres "$DATA" /run/postgresql
AS_POSTGRES="setpriv --reuid=postgres --regid=postgres --init-groups"
if [ ! -s "$DATA/PG_VERSION" ]; then
  $AS_POSTGRES "$PGBIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  echo "listen_addresses = '*'" >> "$DATA/postgresql.conf"
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$DATA/pg_hba.conf"
  echo "host all all ::/0 scram-sha-256" >> "$DATA/pg_hba.conf"
fi
exec $AS_POSTGRES "$PGBIN/postgres" -D "$DATA"
