#!/usr/bin/env bash
# Runs the reference chat as a cluster of two Payara Micro instances on PostgreSQL and Redis:
#   ./run-demo-cluster.sh <payara-micro.jar> <war> [first-port]
# Instances on first-port (8080) and first-port + 1, one database, one Redis (ROWCAST_CLUSTER_REDIS, default
# redis://127.0.0.1:6379). Ctrl+C stops both.
set -euo pipefail
micro_jar=$1
war=$2
port=${3:-8080}
here=$(cd "$(dirname "$0")" && pwd)

export ROWCAST_DB=postgres
export ROWCAST_CLUSTER_REDIS=${ROWCAST_CLUSTER_REDIS:-redis://127.0.0.1:6379}
# cluster mode needs every channel captured from the database; the chat has one, message
export ROWCAST_CAPTURE_DATABASE=${ROWCAST_CAPTURE_DATABASE:-message,membership}
echo "Rowcast chat cluster on Redis $ROWCAST_CLUSTER_REDIS: http://localhost:$port/ and http://localhost:$((port + 1))/"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait
}
trap stop INT TERM EXIT
for p in "$port" $((port + 1)); do
  # run-demo.sh execs java, so $! is the instance's own PID; its output is prefixed with its port
  "$here/run-demo.sh" "$micro_jar" "$war" "$p" > >(sed -u "s/^/[$p] /") 2>&1 &
  pids+=($!)
done
wait
