// Writes docs/benchmarks.md and docs/benchmark-results.json from one run of scripts/benchmark.sh.
// node report.mjs <run dir> <docs dir>. Every number comes from the run's files; the findings text is
// src/rowcast-bench/findings.md, written by a person from a run's numbers and profile.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [dir, docs] = process.argv.slice(2);
const thisRun = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
const measured = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
// BENCH_ONLY=cluster measured the two-instance scenario alone: the rest of the page comes from the last whole run
// (BENCH_ONLY=write likewise measured the write path alone, on H2 and PostgreSQL)
const onlyScenario = ['cluster', 'write'].includes(process.env.BENCH_ONLY) ? process.env.BENCH_ONLY : null;
const only = onlyScenario !== null;
const previous = only ? JSON.parse(readFileSync(join(docs, 'benchmark-results.json'), 'utf8')) : null;
const run = only ? previous.run : thisRun;
const clusterRun = onlyScenario === 'cluster' ? thisRun : (previous?.clusterRun ?? thisRun);
const writeRun = onlyScenario === 'write' ? thisRun : (previous?.writeRun ?? previous?.run ?? thisRun);
const results = only ? [...previous.results.filter((r) => r.scenario !== onlyScenario), ...measured] : measured;
const profile = (name) => {
  if (only) return previous.profiles?.[name] ?? null;
  const f = join(dir, `profile-${name}.json`);
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
};
// paths of this machine never reach docs/: files of the tree are named from its root
const root = join(docs, '..');
// no absolute path of this machine in docs/: the checkout's become relative, the rest (Payara's temporary runtime
// directory, in thread names) is replaced
const scrub = (text) => text.replace(/\/tmp\/payaramicro-rt\d+tmp/g, '<payara-runtime>');
const relative = (key, value) => (typeof value === 'string'
  ? scrub(value.startsWith(root + '/') ? value.slice(root.length + 1) : value) : value);
const findingsFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'findings.md');

const f = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : Number(x).toLocaleString('en-US', {
  minimumFractionDigits: d, maximumFractionDigits: d,
}));
const i = (x) => f(x, 0);
const pct = (x) => `${f(x * 100, 1)} %`;
const ms = (l, k) => (l ? f(l[k], 2) : 'n/a');
const met = (ok) => (ok ? '**met**' : '**not met**');
// a window where other processes took a real share of the 2 cores is flagged: its numbers are pessimistic
const coresCell = (c) => (c ? `${f(c.server, 2)} / ${f(c.load, 2)} / ${f(c.other, 2)}${c.other > 0.3 ? ' ⚠' : ''}` : 'n/a');

const rowcast = (r) => (r.server ?? 'rowcast') === 'rowcast';
const fan = results.filter((r) => r.scenario === 'fanout' && !r.jfr);
const fanWs = fan.find((r) => r.path === '/ws' && rowcast(r) && !r.v2 && !r.cpus);
const fanV2 = fan.find((r) => r.path === '/ws' && rowcast(r) && r.v2 && !r.cpus);
const fanOneCore = fan.find((r) => rowcast(r) && r.v2 && Number(r.cpus) === 1);
const fanAllCores = fan.find((r) => rowcast(r) && r.v2 && Number(r.cpus) > 1);
const fanNode = fan.find((r) => r.server === 'node');
const latNode = results.filter((r) => r.scenario === 'latency' && r.server === 'node');
const latV2 = results.filter((r) => r.scenario === 'latency' && rowcast(r) && r.v2);
const idleNode = results.find((r) => r.scenario === 'idle' && r.server === 'node');
const fanRaw = fan.find((r) => r.path === '/raw' && r.tccl === 'app');
const fanRawSys = fan.find((r) => r.path === '/raw' && r.tccl === 'system');
const lat = results.filter((r) => r.scenario === 'latency' && !r.slow && rowcast(r) && !r.v2);
const lat1k = lat.find((r) => r.rate === 1000);
const slow = results.find((r) => r.scenario === 'latency' && r.slow);
const write = results.find((r) => r.scenario === 'write' && (r.db ?? 'h2') === 'h2');
const writePg = results.find((r) => r.scenario === 'write' && r.db === 'postgresql');
const idle = results.filter((r) => r.scenario === 'idle' && rowcast(r));

const out = [];
const p = (...lines) => out.push(...lines);

p('# Benchmarks', '',
  'What Rowcast costs and delivers today, measured by one command on one machine. Every number below was written by',
  '`scripts/benchmark.sh` from its own measurements; the raw results are in',
  '[benchmark-results.json](benchmark-results.json). Re-run it to refresh this page (7–10 minutes, after waiting at',
  'most `BENCH_LOAD_WAIT` seconds, 180 by default, for the machine to be idle):', '',
  '```', 'scripts/benchmark.sh', '```', '',
  '`SKIP_BUILD=1` reuses the last build, `BENCH_PORT` moves the server off 18080, `BENCH_QUICK=1` runs reduced counts',
  'to try the script (its numbers are not comparable). The two-instance scenario needs PostgreSQL (`ROWCAST_DB_*`,',
  'as for the chat) and `redis-server`; `BENCH_ONLY=cluster` runs it alone and keeps the rest of this page.',
  'The write path is measured on embedded H2 and on PostgreSQL (the same `ROWCAST_DB_*`; give it a database of its',
  'own, its tables are created anew); `BENCH_ONLY=write` runs only that and keeps the rest of this page.', '',
  'It builds with `mvn -B package -Pbench -DskipTests -pl src/rowcast-bench -am` (the `bench` profile adds the',
  '`src/rowcast-bench` WAR), starts Payara Micro on `127.0.0.1:' + run.port + '` with that WAR, drives it with the Node `ws`',
  'load generator in `src/rowcast-bench/load/` over loopback only, samples the processes, and writes this page.', '');

p('## The run', '',
  '| | |', '|---|---|',
  `| date (UTC) | ${run.startedAt} to ${run.finishedAt} (${run.durationSeconds} s) |`,
  `| command | \`${run.command}\`${run.quick ? ' with BENCH_QUICK=1 (reduced counts)' : ''} |`,
  `| machine | ${run.nproc} cores (${run.cpu}), ${run.memory} RAM, Linux ${run.kernel} |`,
  `| JDK | ${run.jdk}; server options \`${run.javaOpts}\` |`,
  `| server | Payara Micro 6.2025.10 (Tyrus on Grizzly), embedded H2, Hibernate 6.6, Rowcast as built from this tree, default settings |`,
  `| load generator | Node ${run.node} with \`ws\` 8; a Python client for the slow consumer |`,
  `| open files limit | ${run.openFilesLimit} per process (the hard limit; it cannot be raised here) |`,
  `| machine load at start | ${run.loadAtStart} (1, 5, 15 min load average); ${run.busyCoresAtStart ?? 'n/a'} cores busy just before the server started |`, '',
  `**The ${run.nproc} cores are shared** by the server, the load generator and whatever else runs on the machine (other`,
  'engineers\' test suites ran during some runs). Every table gives the cores each used during the measured window,',
  'as **server / load generator / other processes** (from `/proc/<pid>/stat` and `/proc/stat`), so you can see which',
  'one was the bottleneck. ⚠ marks a window in which other processes used more than 0.3 cores: its latency and',
  'throughput are pessimistic. Server CPU per frame is utime+stime of the whole Payara process over the window,',
  'divided by the frames delivered.', '');

p('### How latency is measured', '',
  'Rowcast frames carry no commit timestamp. So the benchmark entity has a column `sent_us`: wall-clock microseconds',
  'read just before `persist`, inside the transaction. The client subtracts it from its own wall clock at frame arrival',
  '(same machine, same clock). The latency therefore covers insert + commit + capture + dispatch + send + client',
  'receipt: "commit → client" as an application sees it, slightly pessimistic by the commit time itself.', '');

// ---- fan-out
p('## Fan-out: 1,000 sockets over 10 scopes, flat out', '',
  'The driver (`POST /api/bench/commit`) makes single-row commits in a loop on the server, each in its own',
  'transaction, topic `i % 10`; each commit goes to 100 sockets. The window runs from the driver call to the last frame.',
  'The raw baseline, in the same server process and run, is a plain `@ServerEndpoint` keeping topic → sessions; a',
  'REST call builds the same frame (same fields, same 100-byte payload) and calls `getAsyncRemote().sendText` for each',
  'session on the request thread. "raw, system TCCL" is the same with the thread\'s context class loader set to the',
  'system loader, the one trick Rowcast\'s sender uses.', '',
  '| path | frames | bytes/frame | delivered frames/s | server CPU µs/frame | cores server / load / other | commit→client p50 / p99 ms | driver |',
  '|---|---|---|---|---|---|---|---|');
for (const [label, r] of [['Rowcast `/ws`', fanWs], ['raw, plain sendText', fanRaw], ['raw, system TCCL', fanRawSys]]) {
  if (!r) continue;
  p(`| ${label} | ${i(r.frames)} of ${i(r.expectedFrames)}${r.timedOut ? ' (timed out)' : ''} | ${i(r.avgFrameBytes)} | ${i(r.framesPerSec)} | ${f(r.serverCpuUsPerFrame)} | ${coresCell(r.cores)} | ${ms(r.latency, 'p50Ms')} / ${ms(r.latency, 'p99Ms')} | ${i(r.driver.n)} items in ${f(r.driver.seconds, 2)} s |`);
}
const threadLine = (r) => (r?.byThread ? r.byThread.slice(0, 6).map((g) => `\`${g.name}\` ${f(g.cores, 2)}`).join(', ') : 'n/a');
p('', 'Server CPU by thread over the same windows, in cores (from `/proc/<pid>/task/*/stat`; names are the kernel\'s',
  '15-character thread names):', '',
  '| path | busiest server threads (cores) |', '|---|---|');
for (const [label, r] of [['Rowcast `/ws`', fanWs], ['raw, plain sendText', fanRaw], ['raw, system TCCL', fanRawSys]]) {
  if (r) p(`| ${label} | ${threadLine(r)} |`);
}
if (fanWs && fanRaw) {
  p('', `Rowcast vs the naive broadcast: **${f(fanWs.framesPerSec / fanRaw.framesPerSec, 2)}×** the delivered frames/s, at`,
    `**${f(fanWs.serverCpuUsPerFrame / fanRaw.serverCpuUsPerFrame, 2)}×** the server CPU per frame` +
    (fanRawSys ? ` (against the system-TCCL variant: ${f(fanWs.framesPerSec / fanRawSys.framesPerSec, 2)}× frames/s, ${f(fanWs.serverCpuUsPerFrame / fanRawSys.serverCpuUsPerFrame, 2)}× CPU/frame).` : '.'),
    'Rowcast\'s CPU per frame includes its commits (H2 insert, JTA, Hibernate), one per 100 frames; the write-path',
    'table gives their cost. The latency column under flat-out load is mostly queueing: commits are made faster than',
    'frames leave.', '');
}

// ---- against Node ws, coalescing, cores
if (fanNode || fanV2 || fanOneCore) {
  p('## Against Node `ws`, coalesced frames and more cores', '',
    'The same fan-out against a minimal Node `ws` broadcaster (`src/rowcast-bench/load/ws-broadcaster.mjs`: scope →',
    'sockets, one serialization per event, the same frame text) started after the Payara runs, and against Rowcast',
    'with clients that negotiate `rowcast.v2`, where frames queued for a socket go out as one `frames` message.',
    '"1 core" pins every server thread to one CPU with `taskset`; the load generator is not pinned. Allocation is',
    'what the server\'s threads allocated (`ThreadMXBean.getThreadAllocatedBytes`) per delivered frame.', '',
    '| server | frames | delivered frames/s | server CPU µs/frame | frames per message | allocated bytes/frame | cores server / load / other |',
    '|---|---|---|---|---|---|---|');
  for (const [label, r] of [['Rowcast v1', fanWs], ['Rowcast `rowcast.v2`', fanV2],
    ['Rowcast `rowcast.v2`, 1 core', fanOneCore], [`Rowcast \`rowcast.v2\`, ${fanAllCores?.cpus ?? 'all'} cores`, fanAllCores],
    ['Node `ws`', fanNode]]) {
    if (!r) continue;
    p(`| ${label} | ${i(r.frames)} of ${i(r.expectedFrames)}${r.timedOut ? ' (timed out)' : ''} | ${i(r.framesPerSec)} | ${f(r.serverCpuUsPerFrame)} | ${r.messages ? f(r.frames / r.messages, 2) : 'n/a'} | ${r.allocatedBytesPerFrame == null ? 'n/a' : i(r.allocatedBytesPerFrame)} | ${coresCell(r.cores)} |`);
  }
  if (fanOneCore && fanAllCores) {
    p('', `Scaling with cores: **${f(fanAllCores.framesPerSec / fanOneCore.framesPerSec, 2)}×** the frames/s on`,
      `${fanAllCores.cpus} cores as on 1 (the goal is ≥ 1.8× on 2).`);
  }
  if (latNode.length || latV2.length) {
    p('', '| paced latency | commits/s | frames/s | p50 ms | p99 ms | server µs/frame | all delivered |', '|---|---|---|---|---|---|---|');
    for (const r of [...latV2.map((x) => ['Rowcast `rowcast.v2`', x]), ...latNode.map((x) => ['Node `ws`', x])]) {
      const [label, x] = r;
      p(`| ${label} | ${i(x.rate)} | ${i(x.framesPerSec)} | ${ms(x.latency, 'p50Ms')} | ${ms(x.latency, 'p99Ms')} | ${f(x.serverCpuUsPerFrame)} | ${x.frames === x.expectedFrames ? 'yes' : `${i(x.frames)} of ${i(x.expectedFrames)}`} |`);
    }
  }
  if (idleNode) {
    p('', `Node \`ws\` holds ${f(idleNode.rssKbPerConnection)} KB of RSS per idle subscribed connection (${i(idleNode.connected)} connections).`);
  }
  p('');
}

// ---- latency
p('## Latency: 10 subscribers per scope (100 sockets, 10 scopes)', '',
  'Commits are paced by the server-side driver; each commit goes to the 10 sockets of its topic. "all delivered" means',
  'every expected frame arrived.', '',
  '| commits/s asked | achieved | frames/s | p50 ms | p95 ms | p99 ms | max ms | server µs/frame | cores server / load / other | all delivered |',
  '|---|---|---|---|---|---|---|---|---|---|');
const sustained = [];
for (const r of lat.slice().sort((a, b) => a.rate - b.rate)) {
  const ok = r.achievedCommitsPerSec >= 0.95 * r.rate && !r.timedOut && r.frames === r.expectedFrames
    && r.latency && r.latency.p99Ms <= 100;
  if (ok) sustained.push(r);
  p(`| ${i(r.rate)} | ${i(r.achievedCommitsPerSec)} | ${i(r.framesPerSec)} | ${ms(r.latency, 'p50Ms')} | ${ms(r.latency, 'p95Ms')} | ${ms(r.latency, 'p99Ms')} | ${ms(r.latency, 'maxMs')} | ${f(r.serverCpuUsPerFrame)} | ${coresCell(r.cores)} | ${r.frames === r.expectedFrames ? 'yes' : `${i(r.frames)} of ${i(r.expectedFrames)}`} |`);
}
const best = sustained.sort((a, b) => b.rate - a.rate)[0];
if (lat1k) p('', `Server CPU by thread at 1,000 commits/s: ${threadLine(lat1k)}.`);
const gcLine = (r) => (r.gc ? `${i(r.rate)}/s: ${i(r.gc.pauses)} pauses, mean ${f(r.gc.meanMs, 2)} ms, ${pct(r.gc.shareOfWindow)} of the window` : null);
const gcs = lat.slice().sort((a, b) => a.rate - b.rate).map(gcLine).filter(Boolean);
if (gcs.length) p('', `GC pauses during each window (\`jstat -gc\`): ${gcs.join('; ')}.`);
p('', best
  ? `Highest rate sustained: **${i(best.rate)} commits/s (${i(best.framesPerSec)} frames/s)**, p99 ${ms(best.latency, 'p99Ms')} ms${best.rate === Math.max(...lat.map((r) => r.rate)) ? ', the top rung of the ladder: higher rates were not tried, so the limit may be higher' : ''}. "Sustained" means the driver kept ≥ 95 % of the asked rate, every frame arrived, and p99 stayed ≤ 100 ms (no growing backlog).`
  : 'No rung met the "sustained" rule (≥ 95 % of the asked rate, every frame delivered, p99 ≤ 100 ms).', '');

// ---- slow consumer
if (slow) {
  const s = slow.slow;
  p('## Slow consumer', '',
    'The 1,000 commits/s latency run again, plus one more socket subscribed to all 10 topics (so 1,000 frames/s are',
    'meant for it) that never reads: a Python client with a 4 KB receive buffer, so the server, not the client\'s',
    'kernel, has to hold what it cannot deliver. At the end it reads everything the server still has for it.', '',
    '| | without | with the slow socket |', '|---|---|---|',
    `| others' p50 / p99 / max ms | ${ms(lat1k?.latency, 'p50Ms')} / ${ms(lat1k?.latency, 'p99Ms')} / ${ms(lat1k?.latency, 'maxMs')} | ${ms(slow.latency, 'p50Ms')} / ${ms(slow.latency, 'p99Ms')} / ${ms(slow.latency, 'maxMs')} |`,
    `| others' frames delivered | ${i(lat1k?.frames)} of ${i(lat1k?.expectedFrames)} | ${i(slow.frames)} of ${i(slow.expectedFrames)} |`,
    `| cores server / load / other | ${coresCell(lat1k?.cores)} | ${coresCell(slow.cores)} |`,
    `| server heap after full GC, before → after the run (MB) | ${f(lat1k?.heapKbBefore / 1024)} → ${f(lat1k?.heapKbAfter / 1024)} | ${f(s.heapKbBefore / 1024)} → ${f(s.heapKbWithSlowQueued / 1024)} |`,
    '', '| slow socket | |', '|---|---|',
    `| frames meant for it | ${i(s.framesOfferedToSlow)} (about ${f(s.framesOfferedToSlow * (fanWs?.avgFrameBytes ?? 317) / 1048576)} MB) |`,
    `| held by the server's kernel send queue at the end (ss Send-Q) | ${s.serverSendQ === null ? 'n/a' : `${f(s.serverSendQ / 1024)} KB`} |`,
    `| server heap after full GC: before → slow socket still open → after it read everything and left (MB) | ${f(s.heapKbBefore / 1024)} → ${f(s.heapKbWithSlowQueued / 1024)} → ${f(s.heapKbAfterSlowLeft / 1024)} |`,
    `| server RSS before → with it (MB) | ${f(s.rssKbBefore / 1024)} → ${f(s.rssKbWithSlowQueued / 1024)} |`,
    `| bytes it could still read when it started reading | ${i(s.client?.drainedBytes)} |`,
    ...(s.heapGrowthByClass ? [`| what the extra heap is (largest growth by class, after full GC) | ${s.heapGrowthByClass.slice(0, 4).map((c) => `\`${c.cls}\` ${f(c.bytesPer / 1048576)} MB in ${i(c.instancesPer)}`).join('; ')} |`] : []),
    `| cut off by the server? | ${s.client?.closedByServer ? 'yes (connection closed)' : 'no: the connection stayed open and everything was kept for it'} |`, '');
}

// ---- connections
if (idle.length) {
  p('## Idle subscribed connections', '',
    'Sockets opened by several Node processes (each under the per-process file limit), each subscribed to one of 10',
    'topics, then left idle. Per-connection cost = (reading with sockets − reading before) ÷ sockets connected; the',
    'heap figure is after a full GC (`jcmd GC.run`), so it is what each connection keeps alive. "RSS before" is read after',
    'a full GC too; "after full GC" is RSS read again once the heap figure was taken, the like-for-like pair.', '',
    '| target | connected | failed (first error) | connect time s | server CPU ms / handshake | RSS before → after MB | RSS KB / connection | RSS KB / connection after full GC | live heap KB / connection | server fds | server threads before → peak → after |',
    '|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of idle) {
    p(`| ${i(r.target)} | ${i(r.connected)} | ${i(r.failed)}${r.firstError ? ` (${r.firstError})` : ''} | ${f(r.connectSeconds)} | ${f(r.serverCpuUsPerConnect / 1000, 2)} | ${f(r.rssKbBefore / 1024)} → ${f(r.rssKbAfter / 1024)} | ${f(r.rssKbPerConnection)} | ${r.rssKbPerConnectionAfterGc == null ? 'n/a' : f(r.rssKbPerConnectionAfterGc)} | ${r.heapError ? `n/a: ${r.heapError}` : f(r.heapKbPerConnection)} | ${i(r.serverOpenFds)} | ${i(r.serverThreadsBefore)} → ${r.serverThreadsPeak == null ? '?' : i(r.serverThreadsPeak)} → ${i(r.serverThreadsAfter)} |`);
  }
  p('');
  const h = idle.find((r) => r.heapGrowthByClass);
  if (h) {
    p(`What an idle connection keeps alive: the classes whose live bytes grew most with ${i(h.connected)} connections`,
      '(`jcmd GC.class_histogram` before and after), per connection.', '',
      '| class | instances / connection | bytes / connection |', '|---|---|---|',
      ...h.heapGrowthByClass.map((c) => `| \`${c.cls}\` | ${f(c.instancesPer, 2)} | ${i(c.bytesPer)} |`), '');
  }
}

// ---- write path
/** Reactive commits/s over plain: paired round by round where the run has it (older results: the medians' ratio). */
const throughputRatio = (w) => w.throughputRatio ?? w.reactivePerSec / w.plainPerSec;
const writeTable = (w) => {
  p('| entity | commits/s | server CPU µs / commit | committing thread CPU µs / commit |', '|---|---|---|---|',
    `| plain | ${i(w.plainPerSec)} | ${f(w.plainCpuUs)} | ${f(w.plainThreadCpuUs)} |`,
    `| @Reactive | ${i(w.reactivePerSec)} | ${f(w.reactiveCpuUs)} | ${f(w.reactiveThreadCpuUs)} |`, '',
    `Throughput cost: **${pct(1 - throughputRatio(w))}** (median over the rounds of reactive ÷ the plain round next to it = ${f(throughputRatio(w), 3)}); server CPU per commit`,
    `${pct(w.reactiveCpuUs / w.plainCpuUs - 1)}; committing thread **${w.threadCpuUsPerChange >= 0 ? '+' : ''}${f(w.threadCpuUsPerChange)} µs per captured change** (median over the`,
    'rounds of @Reactive minus the plain round next to it). Each round:', '',
    '| round | entity | commits/s | server CPU µs / commit | committing thread CPU µs / commit | cores server / load / other |',
    '|---|---|---|---|---|---|');
  for (const r of w.rows) {
    p(`| ${r.round} | ${r.reactive ? '@Reactive' : 'plain'} | ${i(r.commitsPerSec)} | ${f(r.serverCpuUsPerCommit)} | ${f(r.threadCpuUsPerCommit)} | ${coresCell(r.cores)} |`);
  }
  if (w.threadsPlain) {
    const names = [...new Set([...w.threadsReactive, ...w.threadsPlain].map((g) => g.name))];
    const us = (list, n) => list.find((g) => g.name === n)?.usPerCommit;
    p('', 'Server CPU per commit by thread, mean of the rounds (µs):', '', '| thread | plain | @Reactive |', '|---|---|---|',
      ...names.map((n) => `| \`${n}\` | ${f(us(w.threadsPlain, n))} | ${f(us(w.threadsReactive, n))} |`));
  }
  if (w.profile) {
    const [pl, re] = [w.profile.plain, w.profile.reactive];
    const b = (side, k) => side.buckets.find((x) => x.key === k)?.usPerCommit;
    p('', `The committing thread's CPU profile (async-profiler, \`${re.event}\` every ${i(re.intervalUs)} µs of CPU, one more round of each`,
      `entity: ${i(pl.commits)} plain and ${i(re.commits)} @Reactive commits), µs per commit:`, '',
      '| committing thread in | plain | @Reactive |', '|---|---|---|',
      `| everything sampled | ${f(pl.sampledUsPerCommit)} | ${f(re.sampledUsPerCommit)} |`,
      `| Rowcast, all of it | ${f(pl.rowcastUsPerCommit, 2)} | ${f(re.rowcastUsPerCommit, 2)} |`,
      ...re.buckets.map((x) => `| – ${x.key} | ${f(b(pl, x.key), 2)} | ${f(x.usPerCommit, 2)} |`),
      `| – of which waking the dispatch thread | ${f(pl.wakeUsPerCommit, 2)} | ${f(re.wakeUsPerCommit, 2)} |`);
  } else if (w.samples) {
    const keys = [...new Set([...w.samples.reactive.where, ...w.samples.plain.where].map((x) => x.key))];
    const n = (side, k) => side.where.find((x) => x.key === k)?.samples ?? 0;
    p('', `Where the committing thread was, from \`jstack\` samples during a long loop (${i(w.samples.plain.taken)} plain, ${i(w.samples.reactive.taken)} @Reactive):`, '',
      '| committing thread in | plain | @Reactive |', '|---|---|---|',
      ...keys.map((k) => `| ${k} | ${n(w.samples.plain, k)} | ${n(w.samples.reactive, k)} |`));
  }
  p('');
};
if (write || writePg) {
  p('## Write-path cost: @Reactive vs the same entity without it', '',
    'Rounds of single-row commits from one thread, plain entity and `@Reactive` entity in alternating order, after a',
    'warm-up of each. No subscribers, so it is the cost every commit pays (capture, queue hand-off, dispatch; no frame',
    'is built). Medians of the rounds. "Committing thread CPU" is the driver thread\'s own CPU time (`ThreadMXBean`), so',
    'the JIT compiler, the dispatch thread and other processes are not in it; on a shared machine it is the steadier',
    'figure, throughput the noisier one.', '');
  if (write) {
    p(`### Embedded H2`, '', `Rounds of ${i(write.roundSeconds)} s, measured ${writeRun.startedAt}${onlyScenario === 'write' ? ' by `BENCH_ONLY=write scripts/benchmark.sh`, apart from the rest of this page' : ''}.`, '');
    writeTable(write);
  }
  if (writePg) {
    p(`### PostgreSQL`, '',
      `The same WAR on PostgreSQL (\`scripts/postgres.asadmin\`, the database named by \`ROWCAST_DB_NAME\`, server defaults:`,
      `\`synchronous_commit=on\`, so every commit waits for its WAL flush). Rounds of ${i(writePg.roundSeconds)} s, right after the H2 rounds.`, '');
    writeTable(writePg);
  }
}

// ---- two instances
const clusterOne = results.find((r) => r.scenario === 'cluster' && r.instances === 1);
const clusterTwo = results.find((r) => r.scenario === 'cluster' && r.instances === 2);
if (clusterOne || clusterTwo) {
  const us = (x) => (x === null || x === undefined ? '–' : `${f(x)} µs`);
  p('## Two instances (cluster mode)', '',
    `Measured ${clusterRun.startedAt}${onlyScenario === 'cluster' ? ' by `BENCH_ONLY=cluster scripts/benchmark.sh`, apart from the rest of this page' : ''};`,
    `machine busy before the run: ${f(clusterRun.busyCoresAtStart, 2)} cores${clusterRun.busyCoresAtStart > 0.3 ? ' (**shared**: other builds ran, so these numbers are pessimistic)' : ''}.`,
    'The bench WAR in cluster mode: channel `bench_row` captured from PostgreSQL (trigger into the outbox), the',
    'outbox relayed through a Redis of the run\'s own (one Lua script per row), every instance reading the cluster log.',
    'Paced single-row commits through instance A\'s REST driver; 100 sockets over 10 scopes (10 subscribers per',
    'scope). "One instance" is A alone, writes and subscribers on it; "two instances" writes on A (which holds the',
    'relay lease) and has every subscriber on B. Server CPU is per delivered frame: A\'s includes the commits and the',
    'relay, B\'s is reading the log and sending. Compare with the one-instance JPA-capture figures in',
    '[Latency](#latency-10-subscribers-per-scope-100-sockets-10-scopes) (embedded H2, no Redis).', '',
    '| run | commits/s | frames (expected) | p50 | p99 | max | server CPU per frame: A | B | A + B | cores A / B / machine |',
    '|---|---|---|---|---|---|---|---|---|---|');
  for (const [name, r] of [['one instance (A)', clusterOne], ['writes on A, subscribers on B', clusterTwo]]) {
    if (!r) continue;
    p(`| ${name} | ${f(r.achievedCommitsPerSec, 0)} | ${i(r.frames)} (${i(r.expectedFrames)})${r.timedOut ? ' ⚠' : ''} | ${ms(r.latency, 'p50Ms')} ms | ${ms(r.latency, 'p99Ms')} ms | ${ms(r.latency, 'maxMs')} ms | ${us(r.writerCpuUsPerFrame)} | ${us(r.readerCpuUsPerFrame)} | ${us(r.writerCpuUsPerFrame + (r.readerCpuUsPerFrame ?? 0))} | ${f(r.cores.writer, 2)} / ${f(r.cores.reader, 2)} / ${f(r.cores.machine, 2)} |`);
  }
  p('');
}

// ---- targets
const rows = [];
if (fanWs) rows.push(['server CPU per delivered frame (fan-out)', '≤ 8 µs', `${f(fanWs.serverCpuUsPerFrame)} µs`, fanWs.serverCpuUsPerFrame <= 8]);
// the goal: half of what v1 allocated per delivered frame before the small write buffer (docs/benchmarks.md, finding 11)
if (fanWs && fanWs.allocatedBytesPerFrame != null) rows.push(['allocation per delivered frame (fan-out)', '≤ 5,795 B (half of 11,590 B, v1)', `v1 ${i(fanWs.allocatedBytesPerFrame)} B${fanV2?.allocatedBytesPerFrame != null ? `; v2 ${i(fanV2.allocatedBytesPerFrame)} B at ${f(fanV2.frames / fanV2.messages, 2)} frames per message` : ''}`, fanWs.allocatedBytesPerFrame <= 5795]);
const worstIdle = idle.filter((r) => r.connected > 0).sort((a, b) => b.rssKbPerConnection - a.rssKbPerConnection)[0];
if (worstIdle) rows.push(['RSS per idle subscribed connection', '≤ 10 KB', idle.map((r) => `${f(r.rssKbPerConnection)} KB RSS, ${f(r.heapKbPerConnection)} KB live heap (${i(r.connected)} conns)`).join('; '), idle.every((r) => r.rssKbPerConnection <= 10)]);
if (lat1k) rows.push(['p99 commit→client at 10k frames/s', '≤ 5 ms', `${ms(lat1k.latency, 'p99Ms')} ms (${i(lat1k.framesPerSec)} frames/s delivered)`, lat1k.latency && lat1k.latency.p99Ms <= 5 && lat1k.frames === lat1k.expectedFrames]);
for (const [w, on] of [[write, 'H2'], [writePg, 'PostgreSQL']]) {
  if (!w) continue;
  const threadShare = w.threadCpuUsPerChange / w.plainThreadCpuUs;
  const fewer = 1 - throughputRatio(w);
  rows.push([`write-path cost of @Reactive, ${on}`, '≤ 3 %', `${fewer >= 0 ? `${pct(fewer)} fewer` : `${pct(-fewer)} more`} commits/s; committing thread CPU ${threadShare >= 0 ? '+' : ''}${pct(threadShare)}, plus ${f(w.threadsReactive?.find((g) => g.name.startsWith('rowcast-dispatc'))?.usPerCommit)} µs of dispatch thread per commit`, fewer <= 0.03 && threadShare <= 0.03]);
}
const perChange = [[write, 'H2'], [writePg, 'PostgreSQL']].filter(([w]) => w);
if (perChange.length) rows.push(['committing-thread CPU per captured change', '≤ 5 µs', perChange.map(([w, on]) => `${on}: ${f(w.threadCpuUsPerChange)} µs measured${w.profile ? `, ${f(w.profile.reactive.rowcastUsPerCommit, 2)} µs in Rowcast's frames (profile)` : ''}`).join('; '), perChange.every(([w]) => w.threadCpuUsPerChange <= 5)]);
const leading = fanV2 ?? fanWs;
if (leading && fanNode) rows.push(['server CPU per frame, against Node `ws` in the same run', '≤ 1.0×', `${f(leading.serverCpuUsPerFrame / fanNode.serverCpuUsPerFrame, 2)}× (${f(leading.serverCpuUsPerFrame)} µs against ${f(fanNode.serverCpuUsPerFrame)} µs)`, leading.serverCpuUsPerFrame <= fanNode.serverCpuUsPerFrame]);
const idleRowcast = idle.find((r) => r.connected > 0);
if (idleRowcast && idleNode) rows.push(['RSS per idle connection, against Node `ws`', '≤ 1.5×', `${f(idleRowcast.rssKbPerConnection / idleNode.rssKbPerConnection, 2)}×`, idleRowcast.rssKbPerConnection <= 1.5 * idleNode.rssKbPerConnection]);
const lat50k = latV2.find((r) => r.rate === 5000);
if (lat50k) rows.push(['p99 commit→client at 50k frames/s', '≤ 5 ms', `${ms(lat50k.latency, 'p99Ms')} ms (${i(lat50k.framesPerSec)} frames/s delivered)`, lat50k.latency && lat50k.latency.p99Ms <= 5 && lat50k.frames === lat50k.expectedFrames]);
if (fanOneCore && fanAllCores) rows.push(['fan-out frames/s, 2 cores against 1', '≥ 1.8×', `${f(fanAllCores.framesPerSec / fanOneCore.framesPerSec, 2)}×`, fanAllCores.framesPerSec / fanOneCore.framesPerSec >= 1.8]);
p('## Against the targets', '', '| target | goal | measured | |', '|---|---|---|---|',
  ...rows.map(([t, g, m, ok]) => `| ${t} | ${g} | ${m} | ${met(ok)} |`), '',
  'The causes are under [Findings](#findings).', '');

// ---- profiles
for (const [name, title] of [['ws', 'Rowcast fan-out'], ['raw', 'raw broadcast (plain sendText)'],
  ['write', '@Reactive commits, no subscribers (write path)']]) {
  const pr = profile(name);
  if (!pr) continue;
  p(`### Profile: ${title}`, '',
    `JFR (\`settings=profile\`) over a separate run of the same scenario; ${i(pr.java.samples)} Java samples (JFR samples`,
    'only threads running Java code). A sample whose stack holds the idle-timer re-arm counts there; any other',
    'counts in the bucket of its frame nearest the leaf.', '',
    '| thread | share of samples | where its samples were |', '|---|---|---|');
  for (const t of pr.java.byThread) {
    p(`| ${t.thread} | ${pct(t.samples / pr.java.samples)} | ${t.buckets.map((b) => `${b.key} ${pct(b.share)}`).join('; ')} |`);
  }
  p('', '| bucket (all threads) | share |', '|---|---|', ...pr.java.buckets.map((b) => `| ${b.key} | ${pct(b.share)} |`), '');
  const nat = pr.native.leaves.filter((l) => l.samples > 0).slice(0, 4);
  if (nat.length) p(`Busy native samples (idle waits left out): ${nat.map((l) => `${l.key} ${i(l.samples)}`).join('; ')}.`, '');
}

p('## Findings', '');
p(existsSync(findingsFile) ? readFileSync(findingsFile, 'utf8').trim() : '_findings.md is missing_', '');

writeFileSync(join(docs, 'benchmarks.md'), scrub(out.join('\n')));
writeFileSync(join(docs, 'benchmark-results.json'), JSON.stringify({
  run, clusterRun, writeRun, results, profiles: { ws: profile('ws'), raw: profile('raw'), write: profile('write') },
}, relative, 1) + '\n');
