#!/usr/bin/env bash
# Rowcast benchmark: builds the benchmark WAR, starts it on Payara Micro on 127.0.0.1, runs every scenario with the
# Node load generator over loopback, and writes docs/benchmarks.md (raw numbers: docs/benchmark-results.json).
#
#   scripts/benchmark.sh            # whole run, about 10 minutes
#   SKIP_BUILD=1 scripts/benchmark.sh
#   BENCH_ONLY=cluster scripts/benchmark.sh   # only the two-instance scenario; the rest of the page is kept
#   BENCH_ONLY=write scripts/benchmark.sh     # only the write path, on embedded H2 then on PostgreSQL; likewise
#
# Env: BENCH_PORT (18080), BENCH_QUICK=1 (smaller counts, for trying the script), BENCH_LOAD_WAIT (seconds to wait
# for the machine to be idle, under 0.3 busy cores, before measuring; 180), BENCH_HTTP_THREADS (Payara Micro's
# --maxHttpThreads, 32), BENCH_HTTP_QUEUE (that pool's task queue, 16384), BENCH_KEEP_PROFILES (a path prefix: keep the
# write path's committing-thread profiles there, as collapsed stacks named <prefix>-plain|reactive-<commits>-commits).
#
#   scripts/benchmark.sh write-path # commits/s of 16 JDBC writers with and without database capture, on PostgreSQL
#
# Env of write-path: ROWCAST_DB_HOST/PORT/NAME/USER/PASSWORD (127.0.0.1, 5432, test, postgres, postgres),
# WRITE_PATH_THREADS (16), WRITE_PATH_SECONDS (10 per mode), WRITE_PATH_ROUNDS (3). It prints a table; it does not
# write docs/benchmarks.md. MVN_ARGS=-o builds offline.
#
#   scripts/benchmark.sh serialize-cost # decode and render cost per row: cluster-wide or per-instance serialization
# The write path's PostgreSQL rounds run the bench WAR on ROWCAST_DB_* (its tables are dropped and created: give it a
# database of its own) on BENCH_PORT + 12; the committing thread is profiled with async-profiler from Maven Central
# (tools.profiler:async-profiler, loaded with jcmd).
# The two-instance scenario (cluster mode) needs PostgreSQL (ROWCAST_DB_HOST/PORT/NAME/USER/PASSWORD, default
# 127.0.0.1:5432/test as postgres) and redis-server on the PATH; it starts its own Redis on BENCH_REDIS_PORT (16379)
# and two instances on BENCH_PORT + 10 and + 11.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

if [[ "${1:-}" == write-path ]]; then
  (cd "$root" && mvn -B -q ${MVN_ARGS:-} compile -pl src/rowcast)
  driver=$root/src/rowcast/target/postgresql.jar
  [[ -f $driver ]] || (cd "$root" && mvn -B -q ${MVN_ARGS:-} dependency:copy -Dartifact=org.postgresql:postgresql:42.7.8 \
    -DoutputDirectory=src/rowcast/target -Dmdep.stripVersion=true)
  url="jdbc:postgresql://${ROWCAST_DB_HOST:-127.0.0.1}:${ROWCAST_DB_PORT:-5432}/${ROWCAST_DB_NAME:-test}"
  echo "== write path on $url; machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
  exec java -cp "$root/src/rowcast/target/classes:$driver" "$root/src/rowcast-bench/write-path/WritePath.java" \
    "$url" "${WRITE_PATH_THREADS:-16}" "${WRITE_PATH_SECONDS:-10}" "${WRITE_PATH_ROUNDS:-3}"
fi
if [[ "${1:-}" == serialize-cost ]]; then
  (cd "$root" && mvn -B -q ${MVN_ARGS:-} compile dependency:build-classpath -pl src/rowcast \
    -Dmdep.outputFile=target/serialize-classpath.txt -Dmdep.includeScope=test)
  echo "== serialization cost per row (cluster mode: per instance or cluster-wide); machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
  exec java -cp "$root/src/rowcast/target/classes:$(cat "$root/src/rowcast/target/serialize-classpath.txt")" \
    "$root/src/rowcast-bench/serialize/SerializeCost.java" "${SERIALIZE_ROWS:-200000}"
fi
module=$root/src/rowcast-bench
load=$module/load
port=${BENCH_PORT:-18080}
node_port=$((port + 20)) # +10 and +11 are the cluster scenario's instances
out=$module/target/bench
mkdir -p "$out"
results=$out/results.jsonl
: > "$results"
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
SECONDS=0

# every scenario is bounded here as well as inside bench.mjs
budget() { timeout --kill-after=10 "$@"; }

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "== build: mvn -B package -Pbench -DskipTests -pl src/rowcast-bench -am"
  (cd "$root" && mvn -B -q package -Pbench -DskipTests -pl src/rowcast-bench -am)
fi
# async-profiler's agent, for the committing thread's profile: the Maven Central jar carries the native library
asprof_version=4.2
asprof=$out/async-profiler/linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/libasyncProfiler.so
if [[ ! -f $asprof ]]; then
  (cd "$root" && mvn -B -q ${MVN_ARGS:-} dependency:copy -Dartifact=tools.profiler:async-profiler:$asprof_version \
    -DoutputDirectory="$out/async-profiler" -Dmdep.stripVersion=true)
  (cd "$out/async-profiler" && jar xf async-profiler.jar "${asprof#"$out/async-profiler/"}")
fi
if [[ ! -d $load/node_modules/ws ]]; then
  (cd "$load" && npm ci --no-audit --no-fund --loglevel=error)
fi

# sockets are file descriptors: server and clients need as many as the hard limit allows
ulimit -n "$(ulimit -Hn)"
echo "== open files limit: $(ulimit -n)"

# other work on the machine skews every number: wait (bounded) until it is nearly idle
busy_cores() { # cores busy over the next 3 s, from /proc/stat
  local a b
  a=($(head -1 /proc/stat)); sleep 3; b=($(head -1 /proc/stat))
  awk -v u=$((b[1]+b[2]+b[3]+b[6]+b[7]+b[8] - a[1]-a[2]-a[3]-a[6]-a[7]-a[8])) -v t="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f", u / t / 3 }'
}
load_wait=${BENCH_LOAD_WAIT:-180}
busy=$(busy_cores)
for ((i = 0; i < load_wait; i += 3)); do
  awk -v b="$busy" 'BEGIN { exit !(b < 0.3) }' && break
  [[ $i == 0 ]] && echo "== waiting up to ${load_wait}s for the machine to be idle ($busy cores busy)"
  busy=$(busy_cores)
done
echo "== machine busy before the run: $busy cores"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
top -bn1 -o %CPU | sed -n '7,12p' > "$out/top-at-start.txt" || true

java_opts=(-Xmx2g -XX:FlightRecorderOptions=stackdepth=256)
server=
start_server() { # a fresh Payara Micro with the WAR; embedded H2 starts empty
  echo "== start Payara Micro on 127.0.0.1:$port"
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port is already taken by another process; set BENCH_PORT"; exit 1
  fi
  # handshakes need HTTP worker threads, idle sockets none: a ramp of 10k connections must not leave hundreds behind;
  # with few threads, 10k clients closing at once overflow the default 4,096-task queue (docs/operations.md)
  echo "set configs.config.server-config.thread-pools.thread-pool.http-thread-pool.max-queue-size=${BENCH_HTTP_QUEUE:-16384}" \
    > "$out/preboot.txt"
  java "${java_opts[@]}" -jar "$module/target/payara-micro.jar" --nocluster --port "$port" --contextroot / \
    --maxHttpThreads "${BENCH_HTTP_THREADS:-32}" --prebootcommandfile "$out/preboot.txt" \
    --deploy "$module/target/rowcast-bench.war" >> "$out/server.log" 2>&1 &
  server=$!
  local i started=$SECONDS
  for ((i = 0; i < 180; i++)); do
    if curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/api/bench/commit?n=1"; then break; fi
    kill -0 "$server" 2>/dev/null || { echo "server died, see $out/server.log"; exit 1; }
    sleep 1
  done
  kill -0 "$server" 2>/dev/null || { echo "server died, see $out/server.log"; exit 1; }
  echo "== server pid $server ready after $((SECONDS - started))s"
}
stop_server() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=
}
node_server=
stop_all() {
  stop_server
  stop_cluster
  if [[ -n $pg_server ]]; then kill "$pg_server" 2>/dev/null || true; fi
  if [[ -n $node_server ]]; then kill "$node_server" 2>/dev/null || true; fi
}
trap stop_all EXIT
only=${BENCH_ONLY:-}
: > "$out/server.log"
[[ $only == cluster ]] || start_server

bench() { # bench <scenario> [args]: one JSON line appended to results
  local scenario=$1; shift
  echo "-- $scenario $*"
  # a failed scenario is reported as missing, the rest still runs
  (cd "$load" && budget 300 node bench.mjs "$scenario" --port "$port" --pid "$server" "$@") | tee -a "$results" \
    | cut -c1-240 || echo "!! $scenario $* failed (see above)"
}

quick=${BENCH_QUICK:-}
fan_n=${quick:+200}; fan_n=${fan_n:-1000}
lat_s=${quick:+6}; lat_s=${lat_s:-20}   # long enough to overflow the slow socket's kernel send buffer (4 MB)
rung_s=${quick:+3}; rung_s=${rung_s:-8}
write_s=${quick:+1}; write_s=${write_s:-3}
write_pg_s=${quick:+2}; write_pg_s=${write_pg_s:-6}   # a PostgreSQL commit waits for its WAL flush: fewer per second
# round-to-round noise (±10 % on a shared VM) is larger than the 3 % goal: many short paired rounds, their median
write_rounds=${quick:+2}; write_rounds=${write_rounds:-8}
write_pg_rounds=${quick:+2}; write_pg_rounds=${write_pg_rounds:-10}
write_pg_warm=${quick:+1000}; write_pg_warm=${write_pg_warm:-20000}
idle_a=${quick:+2000}; idle_a=${idle_a:-10000}
idle_b=${quick:+4000}; idle_b=${idle_b:-20000}

# ---- two instances in cluster mode: PostgreSQL capture, the outbox relayed through Redis ----
redis_port=${BENCH_REDIS_PORT:-16379}
redis_pid=
nodes=()
start_node() { # start_node <port>: the bench WAR in cluster mode on PostgreSQL and the run's own Redis
  local p=$1 i started=$SECONDS
  if curl -s -o /dev/null "http://127.0.0.1:$p/"; then echo "port $p is already taken; set BENCH_PORT"; exit 1; fi
  ROWCAST_DB_HOST=${ROWCAST_DB_HOST:-127.0.0.1} ROWCAST_DB_PORT=${ROWCAST_DB_PORT:-5432} \
    ROWCAST_DB_NAME=${ROWCAST_DB_NAME:-test} ROWCAST_DB_USER=${ROWCAST_DB_USER:-postgres} \
    ROWCAST_DB_PASSWORD=${ROWCAST_DB_PASSWORD:-postgres} ROWCAST_CLUSTER_REDIS=redis://127.0.0.1:$redis_port \
    ROWCAST_CLUSTER_KEYPREFIX=rowcast-bench ROWCAST_CAPTURE_DATABASE=bench_row ROWCAST_CAPTURE_INSTALLTRIGGERS=true \
    java "${java_opts[@]}" -jar "$module/target/payara-micro.jar" --nocluster --port "$p" --contextroot / \
    --deploy "$module/target/rowcast-bench.war" --addlibs "$module/target/postgresql.jar" \
    --postbootcommandfile "$root/scripts/postgres.asadmin" >> "$out/cluster-$p.log" 2>&1 &
  nodes+=($!)
  for ((i = 0; i < 240; i++)); do
    if curl -sf -o /dev/null -X POST "http://127.0.0.1:$p/api/bench/commit?n=1"; then break; fi
    kill -0 "${nodes[-1]}" 2>/dev/null || { echo "instance on $p died, see $out/cluster-$p.log"; exit 1; }
    sleep 1
  done
  echo "== instance on $p, pid ${nodes[-1]}, ready after $((SECONDS - started))s"
}
# ---- the write path on PostgreSQL: the single-instance bench WAR, its default data source moved to ROWCAST_DB_*
pg_server=
run_write_postgres() {
  local p=$((port + 12)) i started=$SECONDS
  echo "== write path on PostgreSQL ${ROWCAST_DB_NAME:-test} (instance on $p)"
  if curl -s -o /dev/null "http://127.0.0.1:$p/"; then echo "port $p is already taken; set BENCH_PORT"; exit 1; fi
  : > "$out/write-pg.log"
  ROWCAST_DB_HOST=${ROWCAST_DB_HOST:-127.0.0.1} ROWCAST_DB_PORT=${ROWCAST_DB_PORT:-5432} \
    ROWCAST_DB_NAME=${ROWCAST_DB_NAME:-test} ROWCAST_DB_USER=${ROWCAST_DB_USER:-postgres} \
    ROWCAST_DB_PASSWORD=${ROWCAST_DB_PASSWORD:-postgres} \
    java "${java_opts[@]}" -jar "$module/target/payara-micro.jar" --nocluster --port "$p" --contextroot / \
    --deploy "$module/target/rowcast-bench.war" --addlibs "$module/target/postgresql.jar" \
    --postbootcommandfile "$root/scripts/postgres.asadmin" >> "$out/write-pg.log" 2>&1 &
  pg_server=$!
  for ((i = 0; i < 240; i++)); do
    if curl -sf -o /dev/null -X POST "http://127.0.0.1:$p/api/bench/commit?n=1"; then break; fi
    kill -0 "$pg_server" 2>/dev/null || { echo "instance on $p died, see $out/write-pg.log"; exit 1; }
    sleep 1
  done
  echo "== instance on $p, pid $pg_server, ready after $((SECONDS - started))s"
  bench write --db postgresql --port "$p" --pid "$pg_server" --seconds "$write_pg_s" --rounds "$write_pg_rounds" --warm "$write_pg_warm" \
    --asprof "$asprof"
  kill "$pg_server" 2>/dev/null || true; wait "$pg_server" 2>/dev/null || true
  pg_server=
}
stop_cluster() {
  local pid
  for pid in "${nodes[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  nodes=()
  if [[ -n $redis_pid ]]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  redis_pid=
}
run_cluster() {
  local a=$((port + 10)) b=$((port + 11)) rate=${quick:+100} secs=${quick:+4}
  rate=${rate:-250}; secs=${secs:-15}
  echo "== two instances (cluster mode): PostgreSQL ${ROWCAST_DB_NAME:-test}, Redis on 127.0.0.1:$redis_port"
  : > "$out/cluster-$a.log"; : > "$out/cluster-$b.log"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no > "$out/redis.log" 2>&1 &
  redis_pid=$!
  start_node "$a"
  local pid_a=${nodes[0]}
  # one instance of the cluster first (it relays, commits and delivers), then writes on A with subscribers on B
  (cd "$load" && budget 120 node bench.mjs cluster --port "$a" --pid "$pid_a" --rate "$rate" --seconds 4 > /dev/null) || true
  bench cluster --port "$a" --pid "$pid_a" --rate "$rate" --seconds "$secs"
  start_node "$b"
  local pid_b=${nodes[1]}
  (cd "$load" && budget 120 node bench.mjs cluster --port "$b" --pid "$pid_b" --write-port "$a" --write-pid "$pid_a" \
    --rate "$rate" --seconds 4 > /dev/null) || true
  bench cluster --port "$b" --pid "$pid_b" --write-port "$a" --write-pid "$pid_a" --rate "$rate" --seconds "$secs"
  grep -h 'holds the relay lease' "$out/cluster-$a.log" "$out/cluster-$b.log" | sed 's/.*Rowcast: /   relay: /' | head -2 || true
  stop_cluster
}

if [[ $only == cluster ]]; then
  run_cluster
elif [[ $only == write ]]; then
  echo "== write path on embedded H2"
  bench write --seconds "$write_s" --rounds "$write_rounds" --asprof "$asprof"
  stop_server
  run_write_postgres
else
echo "== warm-up (JIT), not reported"
(cd "$load" && budget 120 node bench.mjs fanout --port "$port" --pid "$server" --sockets 1000 --n 300 > /dev/null)
(cd "$load" && budget 120 node bench.mjs fanout --port "$port" --pid "$server" --sockets 1000 --n 100 --path /raw > /dev/null)
(cd "$load" && budget 120 node bench.mjs latency --port "$port" --pid "$server" --rate 1000 --seconds 3 > /dev/null)

echo "== write path (embedded H2; the PostgreSQL rounds come last)"
bench write --seconds "$write_s" --rounds "$write_rounds" --asprof "$asprof"

echo "== fan-out: 1000 sockets, 10 scopes, flat out"
bench fanout --sockets 1000 --n "$fan_n" --path /ws
bench fanout --sockets 1000 --n "$fan_n" --path /raw --tccl app
bench fanout --sockets 1000 --n "$fan_n" --path /raw --tccl system

echo "== fan-out to rowcast.v2 clients: queued frames coalesced into frames messages"
bench fanout --sockets 1000 --n "$fan_n" --path /ws --v2

echo "== fan-out on 1 core, then on every core (taskset on the server's threads; the load generator is not pinned)"
all_cpus=0-$(($(nproc) - 1))
taskset -a -p -c 0 "$server" > /dev/null
bench fanout --sockets 1000 --n "$fan_n" --path /ws --v2 --cpus 1
taskset -a -p -c "$all_cpus" "$server" > /dev/null
bench fanout --sockets 1000 --n "$fan_n" --path /ws --v2 --cpus "$(nproc)"

echo "== latency: 10 subscribers per scope"
bench latency --sockets 100 --rate 1000 --seconds "$lat_s"
bench latency --sockets 100 --rate 5000 --seconds "$rung_s" --v2
for rate in 250 500 1500 2000; do
  bench latency --sockets 100 --rate "$rate" --seconds "$rung_s"
done

echo "== slow consumer during the 1k commits/s latency run"
bench latency --sockets 100 --rate 1000 --seconds "$lat_s" --slow "$load/slow.py"

echo "== profiles (JFR), separate runs so sampling does not touch the numbers above"
bench fanout --sockets 1000 --n "$fan_n" --path /ws --jfr "$out/fanout-ws.jfr"
bench fanout --sockets 1000 --n "$fan_n" --path /raw --tccl app --jfr "$out/fanout-raw.jfr"
(cd "$load" && node profile.mjs "$out/fanout-ws.jfr" > "$out/profile-ws.json" \
  && node profile.mjs "$out/fanout-raw.jfr" > "$out/profile-raw.json")

echo "== idle connections, on a fresh server so earlier garbage does not hide RSS growth (20k last: it may exhaust fds)"
stop_server
start_server
bench idle --sockets "$idle_a" --procs 2 --histogram
bench idle --sockets "$idle_b" --procs 3

server_log_tail=$(grep -cE 'SEVERE|Too many open files' "$out/server.log" || true)
stop_server

# the outside anchor: a minimal Node ws broadcaster (scope -> sockets, one serialization per event), same scenarios
echo "== Node ws broadcaster on 127.0.0.1:$node_port, same scenarios"
node "$load/ws-broadcaster.mjs" --port "$node_port" > "$out/node.log" 2>&1 &
node_server=$!
for ((i = 0; i < 50; i++)); do curl -s -o /dev/null -X POST "http://127.0.0.1:$node_port/api/bench/raw?n=0" && break; sleep 0.2; done
node_bench() { bench "$@" --port "$node_port" --pid "$node_server" --server node; }
node_bench fanout --sockets 1000 --n "$fan_n" --path /ws
node_bench latency --sockets 100 --rate 1000 --seconds "$rung_s"
node_bench latency --sockets 100 --rate 5000 --seconds "$rung_s"
node_bench idle --sockets "$idle_a" --procs 2
kill "$node_server" 2>/dev/null || true
wait "$node_server" 2>/dev/null || true

run_cluster
run_write_postgres
fi

echo "== report"
cat > "$out/run.json" <<EOF
{"startedAt":"$started_at","finishedAt":"$(date -u +%Y-%m-%dT%H:%M:%SZ)","durationSeconds":$SECONDS,
 "command":"${only:+BENCH_ONLY=$only }scripts/benchmark.sh","port":$port,"quick":"${quick}",
 "nproc":$(nproc),"cpu":"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)",
 "memory":"$(free -g | awk '/^Mem:/ {print $2}') GiB","kernel":"$(uname -r)",
 "jdk":"$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')","node":"$(node --version)",
 "javaOpts":"${java_opts[*]}","openFilesLimit":$(ulimit -n),
 "loadAtStart":"$load_at_start","busyCoresAtStart":$busy,"serverLogSevereLines":${server_log_tail:-0}}
EOF
BENCH_ONLY=$only node "$load/report.mjs" "$out" "$root/docs"
echo "== done in ${SECONDS}s: docs/benchmarks.md"
