// Load generator for scripts/benchmark.sh. Loopback only; every wait is bounded.
// node bench.mjs <scenario> --port P --pid SERVER_PID [options]; prints one JSON object on stdout.
// Scenarios: fanout, latency, cluster, write, idle (see scripts/benchmark.sh for the parameters it uses).
import { execFileSync, fork, spawn } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const HOST = '127.0.0.1'; // never anything but loopback
const CLK_TCK = 100;

function args(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      const key = argv[i].slice(2);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) out[key] = true;
      else { out[key] = next; i++; }
    } else out._.push(argv[i]);
  }
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;

// ---- process sampling --------------------------------------------------------------------------------------------

/** utime+stime of a process in µs, from /proc/<pid>/stat. */
function cpuUs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1e6 / CLK_TCK); // fields 14 and 15 of stat
}

function rssKb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function threads(pid) {
  const m = /Threads:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Full GC, then the Java heap in use (KB) as G1 reports it; null for a server that is not a JVM (Node). */
function heapAfterGcKb(pid, timeout = 60_000) {
  if (!/java/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) return null;
  execFileSync('jcmd', [String(pid), 'GC.run'], { timeout });
  const info = execFileSync('jcmd', [String(pid), 'GC.heap_info'], { timeout }).toString();
  const m = /used (\d+)K/.exec(info);
  return m ? Number(m[1]) : NaN;
}

/** Live bytes per class (jcmd GC.class_histogram runs a full GC first). */
function histogram(pid) {
  const text = execFileSync('jcmd', [String(pid), 'GC.class_histogram'], { timeout: 60_000, maxBuffer: 1 << 28 }).toString();
  const m = new Map();
  for (const line of text.split('\n')) {
    const r = /^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/.exec(line);
    if (r) m.set(r[3], { count: Number(r[1]), bytes: Number(r[2]) });
  }
  return m;
}

/** The classes whose live bytes grew most between two histograms, per connection. */
function histogramGrowth(before, after, per, k = 12) {
  return [...after].map(([cls, a]) => {
    const b = before.get(cls) ?? { count: 0, bytes: 0 };
    return { cls, instancesPer: (a.count - b.count) / per, bytesPer: (a.bytes - b.bytes) / per };
  }).sort((x, y) => y.bytesPer - x.bytesPer).slice(0, k);
}

/** GC counters from jstat -gc: pauses (young + full + concurrent-cycle pauses) and their total seconds. */
function gcStats(pid) {
  try {
    const [head, values] = execFileSync('jstat', ['-gc', String(pid)], { timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().trim().split('\n')
      .map((l) => l.trim().split(/\s+/));
    const g = Object.fromEntries(head.map((h, k) => [h, Number(values[k])]));
    return { pauses: g.YGC + g.FGC + (g.CGC || 0), seconds: g.GCT };
  } catch {
    return null;
  }
}

function gcDelta(before, after, windowSeconds) {
  if (!before || !after) return null;
  const pauses = after.pauses - before.pauses, seconds = after.seconds - before.seconds;
  return { pauses, totalMs: seconds * 1000, meanMs: pauses ? seconds * 1000 / pauses : 0,
    shareOfWindow: seconds / windowSeconds };
}

function ownCpuUs() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** CPU µs per server thread, keyed by tid, with the kernel's (15-character) thread name. */
function threadCpu(pid) {
  const m = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      m.set(tid, { name, us: (Number(fields[11]) + Number(fields[12])) * (1e6 / CLK_TCK) });
    } catch { /* thread ended */ }
  }
  return m;
}

/** Where the server's CPU went between two threadCpu readings: cores per thread group (numbers stripped). */
function threadGroups(before, after, seconds, k = 8) {
  const groups = new Map();
  for (const [tid, a] of after) {
    const used = a.us - (before.get(tid)?.us ?? 0);
    if (used <= 0) continue;
    const group = a.name.replace(/[-#(]?\d+\)?$/, '').replace(/\d+$/, '');
    groups.set(group, (groups.get(group) ?? 0) + used);
  }
  return [...groups].sort((x, y) => y[1] - x[1]).slice(0, k).map(([name, us]) => ({ name, cores: us / 1e6 / seconds }));
}

/** Busy CPU of the whole machine in µs (all cores), from /proc/stat: to show what other processes took. */
function machineBusyUs() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] || 0); // user nice system irq softirq steal
  return busy * (1e6 / CLK_TCK);
}

function snapshot(pid) {
  return { t: performance.now(), server: cpuUs(pid), load: ownCpuUs(), machine: machineBusyUs(), rssKb: rssKb(pid) };
}

/** Cores used over a window by the server, this load generator, and everything else on the machine. */
function cores(before, after) {
  const s = (after.t - before.t) / 1000;
  const server = (after.server - before.server) / 1e6 / s;
  const load = (after.load - before.load) / 1e6 / s;
  const machine = (after.machine - before.machine) / 1e6 / s;
  return { server, load, other: Math.max(0, machine - server - load) };
}

function loadAvg() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

// ---- latency recording ------------------------------------------------------------------------------------------

class Recorder {
  constructor(cap = 4_000_000) {
    this.lat = new Float64Array(cap);
    this.count = 0; // frames of type change
    this.messages = 0; // WebSocket messages that carried them: fewer when the server coalesced (rowcast.v2)
    this.bytes = 0;
    this.recorded = 0;
    this.lastAt = 0;
  }

  /**
   * Change frames carry the row's sent_us (taken before persist); cheap scan instead of JSON.parse. A rowcast.v2
   * `frames` message counts as every change inside it.
   */
  frame(buf) {
    const at = nowUs();
    if (buf[9] === 0x66) return this.frames(buf, at); // {"type":"f... = frames
    if (buf[9] !== 0x63) return false; // {"type":"c...  = change; subscribed/errors are not counted
    this.messages++;
    this.count++;
    this.bytes += buf.length;
    this.lastAt = performance.now();
    this.latency(buf, buf.indexOf('"sent_us":'), at);
    return true;
  }

  frames(buf, at) {
    let changes = 0;
    for (let i = buf.indexOf('{"type":"change"'); i >= 0; i = buf.indexOf('{"type":"change"', i + 16)) changes++;
    if (changes === 0) return false;
    this.messages++;
    this.count += changes;
    this.bytes += buf.length;
    this.lastAt = performance.now();
    for (let i = buf.indexOf('"sent_us":'); i >= 0; i = buf.indexOf('"sent_us":', i + 10)) this.latency(buf, i, at);
    return true;
  }

  latency(buf, i, at) {
    if (i >= 0 && this.recorded < this.lat.length) {
      let v = 0;
      for (let j = i + 10; j < buf.length; j++) {
        const c = buf[j];
        if (c < 0x30 || c > 0x39) break;
        v = v * 10 + (c - 0x30);
      }
      this.lat[this.recorded++] = at - v;
    }
  }

  percentiles() {
    if (this.recorded === 0) return null;
    const a = this.lat.subarray(0, this.recorded).slice().sort();
    const p = (q) => a[Math.min(a.length - 1, Math.floor(q * a.length))] / 1000;
    return { n: a.length, p50Ms: p(0.5), p95Ms: p(0.95), p99Ms: p(0.99), maxMs: a[a.length - 1] / 1000 };
  }
}

// ---- sockets ------------------------------------------------------------------------------------------------------

/** Opens `count` sockets, each subscribed to topic i % topics, at most `concurrency` handshakes at a time. */
async function openSockets({ port, path, count, topics, recorder, concurrency = 100, timeoutMs = 120_000, offset = 0,
  maxFailures = Infinity, protocols = undefined }) {
  const sockets = [];
  let failed = 0;
  let firstError = null;
  const deadline = Date.now() + timeoutMs;
  let next = 0;
  async function one(i) {
    const topic = (offset + i) % topics;
    const url = path === '/raw' ? `ws://${HOST}:${port}/raw?topic=${topic}` : `ws://${HOST}:${port}${path}`;
    await new Promise((resolve) => {
      const ws = new WebSocket(url, protocols, { perMessageDeflate: false, handshakeTimeout: 10_000 });
      let done = false;
      const finish = (ok, err) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (ok) sockets.push(ws);
        else {
          failed++;
          if (!firstError && err) firstError = String(err.message || err);
          ws.terminate();
        }
        resolve();
      };
      const timer = setTimeout(() => finish(false, new Error('subscribe timeout')), 12_000);
      ws.on('open', () => {
        if (path !== '/raw') {
          ws.send(JSON.stringify({ type: 'subscribe', channel: 'bench_row', scope: { col: 'topic', value: topic } }));
        }
      });
      ws.on('message', (data) => {
        if (recorder && recorder.frame(data)) return;
        // "subscribed", alone or inside a rowcast.v2 frames message
        if (!done && (data[9] === 0x73 || (data[9] === 0x66 && data.includes('"type":"subscribed"')))) finish(true);
      });
      ws.on('error', (e) => finish(false, e));
      ws.on('close', () => finish(false, new Error('closed before subscribed')));
    });
  }
  async function worker() {
    while (next < count && Date.now() < deadline && failed < maxFailures) await one(next++);
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { sockets, failed, firstError };
}

/**
 * Bytes the server's live threads have allocated so far (the benchmark WAR sums ThreadMXBean's per-thread counts);
 * null for a server that cannot tell, such as the Node broadcaster.
 */
async function allocated(port) {
  try {
    const res = await fetch(`http://${HOST}:${port}/api/bench/allocated`, { signal: AbortSignal.timeout(10_000) });
    return res.ok ? (await res.json()).bytes : null;
  } catch {
    return null;
  }
}

async function closeAll(sockets) {
  for (const ws of sockets) ws.terminate();
  await sleep(1000);
}

async function post(port, pathAndQuery, timeoutMs = 180_000) {
  const res = await fetch(`http://${HOST}:${port}${pathAndQuery}`, {
    method: 'POST', signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`${pathAndQuery}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** Waits until `expected` change frames arrived, or none arrived for `quietMs` after the driver returned. */
async function awaitFrames(recorder, expected, driver, { quietMs = 5000, timeoutMs = 120_000 } = {}) {
  const start = performance.now();
  let driverDone = false;
  let driverResult = null;
  let driverError = null;
  driver.then((r) => { driverResult = r; }, (e) => { driverError = e; }).finally(() => { driverDone = true; });
  while (recorder.count < expected && performance.now() - start < timeoutMs) {
    await sleep(20);
    const quietSince = Math.max(recorder.lastAt, start);
    if (driverDone && performance.now() - quietSince > quietMs) break;
  }
  while (!driverDone && performance.now() - start < timeoutMs) await sleep(20);
  if (driverError) throw driverError;
  return { driverResult, timedOut: recorder.count < expected };
}

// ---- scenarios ----------------------------------------------------------------------------------------------------

/**
 * Broadcast throughput. The window runs from the driver call to the last frame, and server CPU is sampled at both
 * ends, so µs per frame includes everything the server did for those frames (for Rowcast: the commits too).
 */
async function fanout(o) {
  const port = o.port, pid = o.pid;
  const sockets = Number(o.sockets ?? 1000), topics = Number(o.topics ?? 10), n = Number(o.n ?? 2000);
  const path = o.path ?? '/ws';
  const recorder = new Recorder();
  const protocols = o.v2 ? ['rowcast.v2'] : undefined;
  const opened = await openSockets({ port, path, count: sockets, topics, recorder, protocols });
  await sleep(1000);
  const expected = opened.sockets.length === sockets ? n * sockets / topics : Infinity;
  const driverPath = path === '/raw'
    ? `/api/bench/raw?n=${n}&topics=${topics}&tccl=${o.tccl ?? 'app'}&maxSeconds=60`
    : `/api/bench/commit?n=${n}&topics=${topics}&reactive=true&maxSeconds=60`;
  let jfr = null;
  if (o.jfr) {
    execFileSync('jcmd', [String(pid), 'JFR.start', 'name=rowcast-bench', 'settings=profile', `filename=${o.jfr}`]);
  }
  const allocatedBefore = await allocated(port);
  const tBefore = threadCpu(pid);
  const before = snapshot(pid);
  const load = loadAvg();
  const { driverResult, timedOut } = await awaitFrames(recorder, expected, post(port, driverPath));
  const after = snapshot(pid);
  const byThread = threadGroups(tBefore, threadCpu(pid), (after.t - before.t) / 1000);
  const allocatedAfter = await allocated(port);
  if (o.jfr) {
    execFileSync('jcmd', [String(pid), 'JFR.stop', 'name=rowcast-bench']);
    jfr = o.jfr;
  }
  const seconds = (recorder.lastAt - before.t) / 1000;
  const serverCpu = after.server - before.server;
  const result = {
    scenario: 'fanout', server: o.server ?? 'rowcast', path, v2: Boolean(o.v2), cpus: o.cpus ?? null,
    tccl: o.tccl ?? null, sockets, connected: opened.sockets.length, failed: opened.failed,
    topics, items: n, expectedFrames: expected, frames: recorder.count, messages: recorder.messages, timedOut,
    allocatedBytesPerFrame: allocatedBefore === null || allocatedAfter === null ? null
      : (allocatedAfter - allocatedBefore) / recorder.count,
    avgFrameBytes: recorder.count ? recorder.bytes / recorder.count : 0,
    seconds, framesPerSec: recorder.count / seconds,
    serverCpuUs: serverCpu, serverCpuUsPerFrame: serverCpu / recorder.count,
    loadCpuUs: after.load - before.load, loadCpuUsPerFrame: (after.load - before.load) / recorder.count,
    cores: cores(before, after),
    rssKbBefore: before.rssKb, rssKbAfter: after.rssKb, latency: recorder.percentiles(),
    driver: driverResult, loadAvg: load, jfr, byThread,
  };
  await closeAll(opened.sockets);
  return result;
}

/**
 * Cluster mode: paced commits through instance A (--write-port, --write-pid), subscribers on instance B (--port,
 * --pid); A and B may be one instance. Server CPU per delivered frame is reported for each instance.
 */
async function cluster(o) {
  const port = o.port, pid = o.pid;
  const writePort = o['write-port'] ?? port, writePid = o['write-pid'] ?? pid;
  const sockets = Number(o.sockets ?? 100), topics = Number(o.topics ?? 10);
  const rate = Number(o.rate ?? 250), seconds = Number(o.seconds ?? 10);
  const n = rate * seconds;
  const recorder = new Recorder();
  const opened = await openSockets({ port, path: '/ws', count: sockets, topics, recorder });
  await sleep(1000);
  const expected = n * sockets / topics;
  const cpu = () => ({ t: performance.now(), writer: cpuUs(writePid), reader: cpuUs(pid), machine: machineBusyUs() });
  const before = cpu();
  const load = loadAvg();
  const driverPath = `/api/bench/commit?n=${n}&topics=${topics}&rate=${rate}&reactive=true&maxSeconds=${seconds * 3 + 10}`;
  const { driverResult, timedOut } = await awaitFrames(recorder, expected, post(writePort, driverPath));
  const after = cpu();
  const s = (after.t - before.t) / 1000;
  const same = String(writePid) === String(pid);
  const result = {
    scenario: 'cluster', instances: same ? 1 : 2, rate, sockets, connected: opened.sockets.length,
    failed: opened.failed, topics, commits: driverResult.n, achievedCommitsPerSec: driverResult.perSecond,
    expectedFrames: expected, frames: recorder.count, timedOut,
    framesPerSec: recorder.count / ((recorder.lastAt - before.t) / 1000),
    latency: recorder.percentiles(),
    // the writing instance commits, relays (when it holds the lease) and delivers to its own subscribers (none here)
    writerCpuUsPerFrame: (after.writer - before.writer) / recorder.count,
    readerCpuUsPerFrame: same ? null : (after.reader - before.reader) / recorder.count,
    cores: { writer: (after.writer - before.writer) / 1e6 / s, reader: same ? 0 : (after.reader - before.reader) / 1e6 / s,
      machine: (after.machine - before.machine) / 1e6 / s },
    loadAvg: load,
  };
  await closeAll(opened.sockets);
  return result;
}

/** Paced commits; optionally with one socket that never reads (the slow consumer, a Python client). */
async function latency(o) {
  const port = o.port, pid = o.pid;
  const sockets = Number(o.sockets ?? 100), topics = Number(o.topics ?? 10);
  const rate = Number(o.rate ?? 1000), seconds = Number(o.seconds ?? 10);
  const n = rate > 0 ? rate * seconds : Number(o.n ?? 10000);
  const heapBefore = heapAfterGcKb(pid);
  const rssBefore = rssKb(pid);
  let slow = null;
  const histBefore = o.slow ? histogram(pid) : null;
  if (o.slow) slow = await startSlow(port, topics, seconds + 20, o.slow);
  const recorder = new Recorder();
  const protocols = o.v2 ? ['rowcast.v2'] : undefined;
  const opened = await openSockets({ port, path: '/ws', count: sockets, topics, recorder, protocols });
  await sleep(1000);
  const expected = n * sockets / topics;
  const gcBefore = gcStats(pid);
  const tBefore = threadCpu(pid);
  const before = snapshot(pid);
  const load = loadAvg();
  const driverPath = `/api/bench/commit?n=${n}&topics=${topics}&rate=${rate}&reactive=true&maxSeconds=${seconds * 3 + 10}`;
  const { driverResult, timedOut } = await awaitFrames(recorder, expected, post(port, driverPath));
  const after = snapshot(pid);
  const gc = gcDelta(gcBefore, gcStats(pid), (after.t - before.t) / 1000);
  const byThread = threadGroups(tBefore, threadCpu(pid), (after.t - before.t) / 1000);
  const result = {
    scenario: 'latency', server: o.server ?? 'rowcast', v2: Boolean(o.v2), rate, sockets, connected: opened.sockets.length, failed: opened.failed, topics,
    commits: driverResult.n, commitSeconds: driverResult.seconds, achievedCommitsPerSec: driverResult.perSecond,
    expectedFrames: expected, frames: recorder.count, timedOut,
    framesPerSec: recorder.count / ((recorder.lastAt - before.t) / 1000),
    latency: recorder.percentiles(),
    cores: cores(before, after),
    serverCpuUsPerFrame: (after.server - before.server) / recorder.count,
    loadAvg: load, byThread, gc,
  };
  if (slow) {
    result.slow = {
      subscribedTopics: topics,
      framesOfferedToSlow: driverResult.n, // it follows every topic: one frame per commit
      serverSendQ: serverSendQueue(port, slow.localPort),
      heapKbBefore: heapBefore,
      heapKbWithSlowQueued: heapAfterGcKb(pid),
      heapGrowthByClass: histogramGrowth(histBefore, histogram(pid), 1, 8),
      rssKbBefore: rssBefore,
      rssKbWithSlowQueued: rssKb(pid),
    };
    const report = await slow.finish(); // now it reads: how much did the server keep for it?
    result.slow.client = report;
    await sleep(1000);
    result.slow.heapKbAfterSlowLeft = heapAfterGcKb(pid);
  } else {
    result.heapKbBefore = heapBefore;
    result.heapKbAfter = heapAfterGcKb(pid);
  }
  await closeAll(opened.sockets);
  return result;
}

/** The server's Send-Q toward the slow client's port, from ss (bytes the kernel holds for it). */
function serverSendQueue(port, clientPort) {
  try {
    const out = execFileSync('ss', ['-tnH', 'state', 'established', `( sport = :${port} and dport = :${clientPort} )`])
      .toString().trim();
    const cols = out.split(/\s+/);
    return out ? Number(cols[1]) : null;
  } catch {
    return null;
  }
}

/** Starts slow.py; resolves once it subscribed. finish() tells it to drain and report. */
function startSlow(port, topics, maxSeconds, script) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [script, String(port), String(topics), String(maxSeconds)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let buffer = '';
    const waiters = [];
    child.stdout.on('data', (d) => {
      buffer += d;
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
        if (line.ready) {
          resolve({
            localPort: line.localPort,
            finish: () => new Promise((r) => { waiters.push(r); child.stdin.write('drain\n'); }),
          });
        } else waiters.shift()?.(line);
      }
    });
    child.on('error', reject);
    setTimeout(() => reject(new Error('slow client did not subscribe')), 20_000);
  });
}

/** The middle value; for an even count, the mean of the two middle ones. */
function median(xs) {
  const sorted = xs.slice().sort((a, b) => a - b), mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Write-path cost, with no subscribers: alternating rounds of n commits of the plain and the @Reactive entity.
 * Reports commits/s and CPU per commit (server process, and the committing thread alone). --db names the database
 * the server writes to (a label: h2 or postgresql); --asprof <libasyncProfiler.so> adds a CPU profile of the
 * committing thread, one more round of each entity.
 */
async function write(o) {
  const port = o.port, pid = o.pid, db = o.db ?? 'h2';
  // rounds are time-bounded: short counted rounds were dominated by JIT and GC noise
  const seconds = Number(o.seconds ?? 4), n = 2_000_000, rounds = Number(o.rounds ?? 4), warm = Number(o.warm ?? 30000);
  const rows = [];
  // warm-up: Payara + Hibernate keep the C2 compiler busy for tens of thousands of commits
  for (let w = 0; w < warm; w += 5000) {
    const k = Math.min(5000, warm - w);
    await post(port, `/api/bench/commit?n=${k}&reactive=false`);
    await post(port, `/api/bench/commit?n=${k}&reactive=true`);
  }
  if (o.jfr) { // profile one @Reactive round only
    execFileSync('jcmd', [String(pid), 'JFR.start', 'name=rowcast-write', 'settings=profile', `filename=${o.jfr}`]);
    const d = await post(port, `/api/bench/commit?n=${n}&reactive=true&maxSeconds=60`);
    execFileSync('jcmd', [String(pid), 'JFR.stop', 'name=rowcast-write']);
    return { scenario: 'write-profile', n, commitsPerSec: d.perSecond, jfr: o.jfr };
  }
  const perThread = { false: [], true: [] };
  for (let r = 0; r < rounds; r++) {
    // alternate which entity goes first, so drift (JIT, H2 growth, neighbours) does not favour one
    for (const reactive of r % 2 === 0 ? [false, true] : [true, false]) {
      const tBefore = threadCpu(pid);
      const before = snapshot(pid);
      const d = await post(port, `/api/bench/commit?n=${n}&reactive=${reactive}&maxSeconds=${seconds}`);
      const after = snapshot(pid);
      perThread[reactive].push(threadGroups(tBefore, threadCpu(pid), (after.t - before.t) / 1000, 6)
        .map((g) => ({ name: g.name, usPerCommit: g.cores * 1e6 * ((after.t - before.t) / 1000) / d.n })));
      rows.push({
        round: r + 1, reactive, commits: d.n, commitsPerSec: d.perSecond,
        serverCpuUsPerCommit: (after.server - before.server) / d.n,
        threadCpuUsPerCommit: d.threadCpuUs / d.n, cores: cores(before, after), loadAvg: loadAvg(),
      });
    }
  }
  const pick = (reactive, k) => median(rows.filter((x) => x.reactive === reactive).map((x) => x[k]));
  // the cost, round by round: the plain round next to it is the baseline, so drift between rounds (JIT, the
  // database's files, neighbours) cancels; the committing thread's extra CPU is per captured change (one per commit)
  const extra = [], ratio = [];
  for (let r = 0; r < rounds; r++) {
    const [plain, reactive] = [false, true].map((x) => rows.find((y) => y.round === r + 1 && y.reactive === x));
    extra.push(reactive.threadCpuUsPerCommit - plain.threadCpuUsPerCommit);
    ratio.push(reactive.commitsPerSec / plain.commitsPerSec);
  }
  return {
    scenario: 'write', db, roundSeconds: seconds, rounds, rows,
    threadCpuUsPerChange: median(extra), throughputRatio: median(ratio),
    profile: o.asprof ? { plain: await committingProfile(port, pid, false, seconds, o.asprof),
      reactive: await committingProfile(port, pid, true, seconds, o.asprof) } : null,
    samples: o.jstack ? { plain: await jstackSamples(port, pid, false, Number(o.jstack)),
      reactive: await jstackSamples(port, pid, true, Number(o.jstack)) } : null, threadsPlain: meanByName(perThread.false), threadsReactive: meanByName(perThread.true),
    plainPerSec: pick(false, 'commitsPerSec'), reactivePerSec: pick(true, 'commitsPerSec'),
    plainCpuUs: pick(false, 'serverCpuUsPerCommit'), reactiveCpuUs: pick(true, 'serverCpuUsPerCommit'),
    plainThreadCpuUs: pick(false, 'threadCpuUsPerCommit'), reactiveThreadCpuUs: pick(true, 'threadCpuUsPerCommit'),
  };
}

/**
 * async-profiler (Maven Central's tools.profiler:async-profiler, loaded with jcmd) samples every thread's CPU time
 * during one more round; the committing thread's stacks (those under BenchResource.commit) are sorted into what
 * Rowcast does there. µs per commit = samples × interval ÷ commits.
 */
async function committingProfile(port, pid, reactive, seconds, lib) {
  const intervalUs = 1000;
  const file = `/tmp/rowcast-write-${process.pid}-${reactive}.collapsed`;
  // jcmd splits arguments at '=': the quotes keep the agent's options one argument
  const agent = (opts) => execFileSync('jcmd', [String(pid), 'JVMTI.agent_load', lib, `"${opts}"`], { timeout: 60_000 })
    .toString();
  let event = 'cpu';
  if (!/return code: 0/.test(agent(`start,event=cpu,interval=${intervalUs}us,threads`))) {
    event = 'itimer'; // perf events not allowed here
    agent(`start,event=itimer,interval=${intervalUs}us,threads`);
  }
  const d = await post(port, `/api/bench/commit?n=2000000&reactive=${reactive}&maxSeconds=${seconds}`);
  agent(`stop,file=${file},collapsed`);
  const buckets = {
    capture: /ChangeCaptureListener\.on/, 'before-completion (ticket)': /TransactionCapture\.doBefore/,
    'after-completion (hand-off)': /TransactionCapture\.doAfter/,
  };
  const sums = { total: 0, rowcast: 0, wake: 0 };
  for (const k of Object.keys(buckets)) sums[k] = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cut = line.lastIndexOf(' ');
    if (cut < 0 || !line.includes('BenchResource.commit')) continue;
    const stack = line.slice(0, cut), samples = Number(line.slice(cut + 1));
    sums.total += samples;
    if (stack.includes('dev/rowcast/impl/')) sums.rowcast += samples;
    if (/dev\/rowcast\/impl\/.*LockSupport\.unpark/.test(stack)) sums.wake += samples;
    for (const [k, re] of Object.entries(buckets)) if (re.test(stack)) sums[k] += samples;
  }
  // for a differential look at what else the committing thread does (scripts/benchmark.sh, BENCH_KEEP_PROFILES)
  if (process.env.BENCH_KEEP_PROFILES) copyFileSync(file, `${process.env.BENCH_KEEP_PROFILES}-${reactive ? 'reactive' : 'plain'}-${d.n}-commits.collapsed`);
  rmSync(file, { force: true });
  const us = (x) => x * intervalUs / d.n;
  return { event, intervalUs, commits: d.n, threadCpuUsPerCommit: d.threadCpuUs / d.n, sampledUsPerCommit: us(sums.total),
    rowcastUsPerCommit: us(sums.rowcast), wakeUsPerCommit: us(sums.wake),
    buckets: Object.keys(buckets).map((key) => ({ key, usPerCommit: us(sums[key]) })) };
}

/**
 * A few jstack samples of the committing thread during a long commit loop, sorted into where it was. JFR's
 * sampler saw too few samples of this thread to be useful; jstack sees every thread at a safepoint.
 */
async function jstackSamples(port, pid, reactive, count) {
  const driver = post(port, `/api/bench/commit?n=2000000&reactive=${reactive}&maxSeconds=${Math.ceil(count * 0.8) + 3}`);
  await sleep(1000);
  const where = new Map();
  let taken = 0;
  for (let k = 0; k < count; k++) {
    const dump = execFileSync('jstack', [String(pid)], { timeout: 20_000, maxBuffer: 1 << 26 }).toString();
    const stack = dump.split('\n\n').find((t) => t.includes('BenchResource.commit'));
    if (stack) {
      taken++;
      const frames = [...stack.matchAll(/at ([\w.$<>]+)\(/g)].map((m) => m[1]);
      const rc = frames.findIndex((f) => f.startsWith('dev.rowcast.impl'));
      const key = rc >= 0 ? `Rowcast: ${frames.slice(0, rc + 1).slice(-3).map((f) => f.split('.').slice(-2).join('.')).join(' < ')}`
        : frames.some((f) => /afterCompletion|AfterTransactionCompletion/i.test(f)) ? 'JTA after-completion (Hibernate post-commit, session close)'
          : frames.some((f) => /beforeCompletion/.test(f)) ? 'JTA before-completion (flush)'
            : frames.some((f) => f.startsWith('org.h2')) ? 'H2'
              : frames.some((f) => f.startsWith('org.hibernate')) ? 'Hibernate (persist, insert)'
                : 'interceptors, JTA begin/commit, other';
      where.set(key, (where.get(key) ?? 0) + 1);
    }
    await sleep(300);
  }
  await driver;
  return { taken, where: [...where].sort((a, b) => b[1] - a[1]).map(([key, samples]) => ({ key, samples })) };
}

/** Mean µs per commit of each thread group over rounds (absent in a round counts as 0). */
function meanByName(roundsOfGroups) {
  const sum = new Map();
  for (const groups of roundsOfGroups) for (const g of groups) sum.set(g.name, (sum.get(g.name) ?? 0) + g.usPerCommit);
  return [...sum].map(([name, us]) => ({ name, usPerCommit: us / roundsOfGroups.length }))
    .sort((a, b) => b.usPerCommit - a.usPerCommit).slice(0, 6);
}

/**
 * Idle subscribed sockets: `procs` child processes (each under the per-process fd limit) open their share, then
 * the server's RSS and live heap (after a full GC) are compared with the same readings before any socket.
 */
async function idle(o) {
  const port = o.port, pid = o.pid;
  const sockets = Number(o.sockets ?? 10000), procs = Number(o.procs ?? 2), topics = Number(o.topics ?? 10);
  const holdMs = Number(o.holdMs ?? 3000);
  const heapBefore = heapAfterGcKb(pid);
  const rssBefore = rssKb(pid);
  const threadsBefore = threads(pid);
  const histBefore = o.histogram ? histogram(pid) : null;
  const started = performance.now();
  const cpuBefore = cpuUs(pid);
  // the ramp's handshakes need HTTP worker threads: the most the server had at once, sampled
  let threadsPeak = threadsBefore;
  const sampler = setInterval(() => { threadsPeak = Math.max(threadsPeak, threads(pid)); }, 200);
  const children = [];
  const share = Math.ceil(sockets / procs);
  const ready = [];
  for (let p = 0; p < procs; p++) {
    const count = Math.min(share, sockets - p * share);
    const child = fork(new URL(import.meta.url).pathname, ['idle-child', '--port', String(port),
      '--count', String(count), '--topics', String(topics), '--offset', String(p * share)]);
    children.push(child);
    ready.push(new Promise((resolve) => {
      child.once('message', resolve);
      setTimeout(() => resolve({ connected: 0, failed: count, firstError: 'child timeout' }), 180_000);
    }));
  }
  const reports = await Promise.all(ready);
  const connectSeconds = (performance.now() - started) / 1000;
  const connectCpuUs = cpuUs(pid) - cpuBefore;
  await sleep(holdMs);
  clearInterval(sampler);
  const connected = reports.reduce((s, r) => s + r.connected, 0);
  const rssAfter = rssKb(pid);
  const fdsAfter = countFds(pid);
  let heapAfter = null, heapError = null;
  try {
    heapAfter = heapAfterGcKb(pid, 20_000);
  } catch (e) {
    heapError = `jcmd failed (${e.code ?? e.message}); the attach socket needs a file descriptor`;
  }
  // "before" was read after a full GC as well: this pair leaves out the handshakes' garbage that G1 has not returned
  const rssAfterGc = heapAfter !== null ? rssKb(pid) : null;
  const result = {
    scenario: 'idle', server: o.server ?? 'rowcast', target: sockets, procs, connected, failed: reports.reduce((s, r) => s + r.failed, 0),
    firstError: reports.map((r) => r.firstError).find(Boolean) ?? null, connectSeconds,
    serverCpuUsPerConnect: connected ? connectCpuUs / connected : null,
    rssKbBefore: rssBefore, rssKbAfter: rssAfter, heapKbBefore: heapBefore, heapKbAfter: heapAfter,
    rssKbPerConnection: connected ? (rssAfter - rssBefore) / connected : null,
    rssKbAfterGc: rssAfterGc, rssKbPerConnectionAfterGc: connected && rssAfterGc !== null ? (rssAfterGc - rssBefore) / connected : null,
    heapKbPerConnection: connected && heapAfter !== null ? (heapAfter - heapBefore) / connected : null, heapError,
    serverThreadsBefore: threadsBefore, serverThreadsPeak: threadsPeak, serverThreadsAfter: threads(pid),
    serverOpenFds: fdsAfter, loadAvg: loadAvg(),
  };
  if (histBefore && connected && heapAfter !== null) result.heapGrowthByClass = histogramGrowth(histBefore, histogram(pid), connected);
  for (const c of children) c.send('close');
  await Promise.all(children.map((c) => new Promise((r) => { c.once('exit', r); setTimeout(r, 20_000); })));
  await sleep(2000);
  return result;
}

function countFds(pid) {
  try {
    return execFileSync('ls', [`/proc/${pid}/fd`]).toString().trim().split('\n').length;
  } catch {
    return null;
  }
}

async function idleChild(o) {
  const opened = await openSockets({
    port: o.port, path: '/ws', count: Number(o.count), topics: Number(o.topics), offset: Number(o.offset),
    concurrency: 50, timeoutMs: 150_000, maxFailures: 100,
  });
  process.send({ connected: opened.sockets.length, failed: opened.failed, firstError: opened.firstError });
  process.once('message', async () => {
    await closeAll(opened.sockets);
    process.exit(0);
  });
  process.once('disconnect', () => process.exit(0)); // never outlive the parent
  setTimeout(() => process.exit(0), 300_000).unref();
}

const o = args(process.argv.slice(2));
const scenario = o._[0];
const run = { fanout, latency, cluster, write, idle, 'idle-child': idleChild }[scenario];
if (!run) {
  console.error('usage: node bench.mjs fanout|latency|cluster|write|idle --port P --pid PID [...]');
  process.exit(2);
}
const hardStop = setTimeout(() => { console.error('bench.mjs: time limit reached'); process.exit(3); }, 400_000);
hardStop.unref();
const result = await run(o);
if (scenario !== 'idle-child') {
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}
