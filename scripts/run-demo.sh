#!/usr/bin/env bash
# Runs the reference chat on Payara Micro: ./run-demo.sh <payara-micro.jar> <war> [port]
# Embedded H2 by default. ROWCAST_DB=postgres switches to PostgreSQL (see docs/configuration.md).
set -euo pipefail
micro_jar=$1
war=$2
port=${3:-8080}
here=$(cd "$(dirname "$0")" && pwd)

args=(--deploy "$war" --contextroot / --port "$port" --nocluster)
if [[ "${ROWCAST_DB:-h2}" == postgres ]]; then
  export ROWCAST_DB_HOST=${ROWCAST_DB_HOST:-127.0.0.1}
  export ROWCAST_DB_PORT=${ROWCAST_DB_PORT:-5432}
  export ROWCAST_DB_NAME=${ROWCAST_DB_NAME:-test}
  export ROWCAST_DB_USER=${ROWCAST_DB_USER:-postgres}
  export ROWCAST_DB_PASSWORD=${ROWCAST_DB_PASSWORD:-postgres}
  # every write to the message table reaches the pages, psql's too; Rowcast installs its trigger at deployment
  export ROWCAST_CAPTURE_DATABASE=${ROWCAST_CAPTURE_DATABASE:-message}
  export ROWCAST_CAPTURE_INSTALLTRIGGERS=${ROWCAST_CAPTURE_INSTALLTRIGGERS:-true}
  args+=(--addlibs "$(dirname "$micro_jar")/postgresql.jar" --postbootcommandfile "$here/postgres.asadmin")
  echo "Rowcast chat: PostgreSQL at $ROWCAST_DB_HOST:$ROWCAST_DB_PORT/$ROWCAST_DB_NAME as $ROWCAST_DB_USER; channels captured from the database: $ROWCAST_CAPTURE_DATABASE"
fi
echo "Rowcast chat: http://localhost:$port/  (socket ws://localhost:$port/ws; Ctrl+C stops)"
exec java -jar "$micro_jar" "${args[@]}"
